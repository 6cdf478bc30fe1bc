"""The whole till flow in Chromium: the demo cashier opens a shift, sells, closes short, and
the demo manager approves it. Every page passes axe; each step leaves a screenshot."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from sessions_app.models import SessionRecord
from tests.conftest import record_sale

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cashier_closes_short_and_a_manager_approves(
    page: Page, live_server, sign_in, demo_company, simulator, screenshot, axe_check
):
    sign_in("cashier", "cashier-demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tills")
    expect(page.get_by_text("by Priya Shah")).to_be_visible()
    axe_check("board")
    screenshot("flow-1-board")

    page.get_by_role("link", name="Open a shift on Till 1").click()
    expect(page.get_by_label("Till", exact=True)).to_have_value("6560a1f0c0ffee0000000101")
    page.get_by_text("Count by notes and coins").first.click()
    page.get_by_label("Number of $100").fill("1")
    page.get_by_label("Number of $20").fill("4")
    page.get_by_label("Number of $0.25").fill("4")
    expect(page.get_by_label("Opening float")).to_have_value("181.00")
    axe_check("open form")
    screenshot("flow-2-open-form")
    page.get_by_role("button", name="Open shift").click()
    expect(page.get_by_role("status").first).to_contain_text("is open on Till 1")
    shift = SessionRecord.objects.get(station_id="6560a1f0c0ffee0000000101", close_time=None)
    assert shift.opening_amount == Decimal("181.00")  # the index keeps three decimals

    record_sale(simulator, shift.id, "64.50", "cash")
    record_sale(simulator, shift.id, "4.50", "cash", "refund")
    record_sale(simulator, shift.id, "120.00", "credit_card")

    page.get_by_role("link", name="Close the shift on Till 1").click()
    expect(page.get_by_text("Blind count")).to_be_visible()
    expect(page.get_by_text("Expected:")).to_have_count(0)
    page.get_by_label("Cash counted in the drawer").fill("201.00")
    page.get_by_label("Card", exact=True).fill("120.00")
    page.get_by_label("Oliver Pay").fill("0")
    page.get_by_label("Closing note").fill("Busy lunch")
    axe_check("close form")
    screenshot("flow-3-close-form")
    page.get_by_role("button", name="Review before closing").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and close Till 1")
    methods = page.get_by_role("table", name="Counted, expected and difference per payment method")
    expect(methods.get_by_role("row", name="Cash")).to_contain_text("Short")
    expect(methods.get_by_role("row", name="Cash")).to_contain_text("−$40.00")
    axe_check("close confirmation")
    screenshot("flow-4-confirm")
    page.get_by_role("button", name="Close shift").click()
    expect(page.get_by_role("alert")).to_contain_text("Some values need fixing")
    expect(page.get_by_text("give a reason")).to_be_visible()
    page.get_by_label("Reason for the difference").fill("Gave change for a $20 as a $10? Recounted")
    page.get_by_role("button", name="Close shift").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    expect(page.get_by_role("status").first).to_contain_text("short by $40.00")
    expect(page.get_by_text("Needs review")).to_be_visible()
    axe_check("shift report")
    screenshot("flow-5-report")
    report_url = page.url

    page.get_by_role("button", name="Sign out").click()
    sign_in("manager", "manager-demo")
    page.goto(report_url)
    page.get_by_label("Approval comment").fill("Recounted the safe with Sam; fine.")
    axe_check("report with approval form")
    page.get_by_role("button", name="Approve shift").click()
    expect(page.get_by_role("status").first).to_contain_text("approved")
    expect(page.get_by_role("region", name="Manager review")).to_contain_text("by Maya Okafor")
    axe_check("approved report")
    screenshot("flow-6-approved")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("flow-6-approved-phone")
    assert SessionRecord.objects.get(id=shift.id).review_state == "approved"


def test_back_after_a_close_shows_the_closed_shift_not_the_confirm_page(
    page: Page, live_server, sign_in, demo_company, settings
):
    settings.BLIND_COUNT = False
    sign_in("cashier", "cashier-demo")
    page.get_by_role("link", name="Close the shift on Till 2").click()
    page.get_by_label("Cash counted in the drawer").fill("0")
    page.get_by_label("Card", exact=True).fill("0")
    page.get_by_label("Oliver Pay").fill("0")
    page.get_by_role("button", name="Review before closing").click()
    page.get_by_role("button", name="Back to edit the count").click()  # sends no close
    expect(page.get_by_role("heading", level=1)).to_contain_text("Close the shift on Till 2")
    page.go_back()  # the confirm step again, as it was: nothing was sent from it
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check and close Till 2")
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Close the shift on Till 2")
    page.get_by_role("button", name="Review before closing").click()
    reason = page.get_by_label("Reason for the difference")
    if reason.count():
        reason.fill("Counted twice")
    page.get_by_role("button", name="Close shift").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    report_url = page.url

    page.go_back()
    expect(page).to_have_url(report_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    expect(page.get_by_role("button", name="Close shift")).to_have_count(0)
