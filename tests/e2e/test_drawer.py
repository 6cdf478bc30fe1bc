"""The drawer in Chromium: cash moved during a shift, the X report, a close whose cash is short
while the card is over (never "balanced"), the Z report that explains it, a count typed
offline, and the manager's navigation on a phone."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from sessions_app.models import SessionRecord

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def _expected_now(page: Page, tender: str) -> Decimal:
    row = page.locator(
        "#now-heading ~ .table-wrap tr", has=page.get_by_role("rowheader", name=tender)
    )
    text = row.locator("td").last.inner_text()
    return Decimal(re.sub(r"[^\d.]", "", text))


def _shoot(page: Page, screenshot, name: str) -> None:
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        screenshot(f"{name}-{label}", jpeg=True)


def test_cash_moved_the_x_report_and_a_mixed_close_that_leads_with_cash(
    page: Page, live_server, sign_in, demo_company, screenshot, axe_check, settings
):
    settings.BLIND_COUNT = False  # an outlet whose cashiers see expected on the X report
    sign_in("cashier", "cashier-demo")
    page.get_by_role("link", name="X report of the shift on Till 2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("X report")
    axe_check("the X report")
    cash_before = _expected_now(page, "Cash")

    page.get_by_role("link", name="Cash in or out").first.click()
    page.get_by_label("Pay-out: cash taken out to pay for something").check()
    page.get_by_label("Amount").fill("12.00")
    page.get_by_label("Reason").select_option("Supplies")
    page.get_by_label("Note").fill("Milk for the café")
    axe_check("the cash movement form")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".messages")).to_contain_text("Pay-out of $12.00 recorded")
    cash_now = _expected_now(page, "Cash")
    card_now = _expected_now(page, "Card")
    wallet_now = _expected_now(page, "Oliver Pay")
    assert cash_now == cash_before - Decimal("12.00")
    expect(page.locator("main")).to_contain_text("Milk for the café")
    _shoot(page, screenshot, "x-report-after-a-pay-out")

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Close this shift").click()
    page.get_by_label("Cash counted in the drawer").fill(str(cash_now - Decimal("10.00")))
    page.get_by_label("Card", exact=True).fill(str(card_now + Decimal("10.00")))
    page.get_by_label("Oliver Pay").fill(str(wallet_now))
    page.get_by_role("button", name="Review before closing").click()
    expect(page.locator("main")).to_contain_text("Mixed")
    page.get_by_label("Reason for the difference").fill("Card slip counted twice")
    page.get_by_role("button", name="Close shift").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    expect(page.locator(".messages")).to_contain_text("Cash short by $10.00, Card over by $10.00")
    main = page.locator("main")
    for words in ("Mixed", "Cash drawer", "Pay-outs", "Sales by tender", "Supplies"):
        expect(main).to_contain_text(words)
    axe_check("the Z report")
    _shoot(page, screenshot, "z-report-mixed")
    closed = SessionRecord.objects.get(id=page.url.rstrip("/").split("/")[-1])
    assert closed.result == "mixed" and closed.cash_variance == Decimal("-10.00")


def test_a_blind_outlets_x_report_shows_the_cashier_sales_not_expected(
    page: Page, live_server, sign_in, demo_company, screenshot, axe_check
):
    sign_in("cashier", "cashier-demo")
    page.get_by_role("link", name="X report of the shift on Till 2").click()
    main = page.locator("main")
    expect(main).to_contain_text("Sales so far, per tender")
    expect(main).to_contain_text("counts blind")
    expect(main).not_to_contain_text("Expected")
    axe_check("a blind outlet's X report")
    _shoot(page, screenshot, "x-report-blind")


def test_a_count_typed_offline_survives_the_connection_and_a_reload(
    page: Page, live_server, sign_in, demo_company
):
    sign_in("cashier", "cashier-demo")
    page.get_by_role("link", name="Close the shift on Till 2").click()
    close_url = page.url
    page.get_by_label("Cash counted in the drawer").fill("250.00")
    page.get_by_label("Card", exact=True).fill("12.34")
    page.get_by_label("Oliver Pay").fill("0")
    page.get_by_label("Closing note").fill("Counted twice, offline")

    page.context.set_offline(True)
    expect(page.locator("[data-offline-banner]")).to_be_visible()
    page.get_by_role("button", name="Review before closing").click()
    expect(page.locator("[data-offline-note]")).to_contain_text("nothing was sent")
    assert page.url == close_url
    expect(page.get_by_label("Cash counted in the drawer")).to_have_value("250.00")

    page.context.set_offline(False)
    page.reload()
    expect(page.locator(".draft-note")).to_contain_text("back in the form")
    expect(page.get_by_label("Cash counted in the drawer")).to_have_value("250.00")
    expect(page.get_by_label("Card", exact=True)).to_have_value("12.34")
    expect(page.get_by_label("Closing note")).to_have_value("Counted twice, offline")

    page.get_by_role("button", name="Review before closing").click()
    reason = page.get_by_label("Reason for the difference")
    if reason.count():
        reason.fill("Counted twice")
    page.get_by_role("button", name="Close shift").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    shift_id = page.url.rstrip("/").split("/")[-1]
    stored = page.evaluate(f"localStorage.getItem('till-close:draft:close:{shift_id}')")
    assert stored is None  # Final POS accepted the close: the draft is gone
    assert SessionRecord.objects.get(id=shift_id).closing_note == "Counted twice, offline"


def test_the_managers_navigation_works_on_a_phone(page: Page, live_server, sign_in, demo_store):
    page.set_viewport_size(PHONE)
    sign_in("manager", "manager-demo")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Setup")).to_be_hidden()
    menu.click()
    for name in ("History", "Insights", "Audit", "Staff", "Setup"):
        link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], name
    page.get_by_role("link", name="Setup").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outlets and tills")


LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 200);
})"""


def test_the_board_does_not_move_when_site_js_comes_late_on_a_phone(
    page: Page, live_server, sign_in, demo_store
):
    # Under Lighthouse's throttling site.js often ran after the first paint, and folding the
    # menu then moved the whole page up (cumulative layout shift 0.09). Hold site.js back until
    # the page has painted: the menu must already be folded, and nothing may move.
    page.set_viewport_size(PHONE)
    sign_in("manager", "manager-demo")
    held = []

    def hold(route):
        held.append(route)

    page.route("**/js/site*.js", hold)
    page.goto(f"{live_server.url}/", wait_until="commit")
    page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length")
    assert held, "site.js was not requested before the first paint"
    expect(page.get_by_role("link", name="Setup")).to_be_hidden()
    for route in held:
        route.continue_()
    page.unroute("**/js/site*.js", hold)
    page.wait_for_load_state("load")
    assert page.evaluate(LAYOUT_SHIFT) == 0
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Setup")).to_be_visible()


def test_the_reasons_offered_are_those_of_the_kind_of_movement_chosen(
    page: Page, live_server, sign_in, demo_company
):
    sign_in("cashier", "cashier-demo")
    page.get_by_role("link", name="X report of the shift on Till 2").click()
    page.get_by_role("link", name="Cash in or out").first.click()
    reason = page.get_by_label("Reason")
    page.get_by_label("Pay-out: cash taken out to pay for something").check()
    reason.select_option("Supplies")

    page.get_by_label("Pay-in: cash put into the drawer").check()
    expect(reason).to_have_value("")  # a pay-out's reason is not kept for a pay-in
    offered = reason.locator("option:not([disabled])").all_inner_texts()
    assert offered == ["Choose a reason", "Change for the till", "Float top-up", "Other"]

    reason.select_option("Change for the till")
    page.get_by_label("Amount").fill("5.00")
    page.reload()  # the draft on the device keeps the kind and its reason
    expect(page.get_by_label("Pay-in: cash put into the drawer")).to_be_checked()
    expect(reason).to_have_value("Change for the till")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".messages")).to_contain_text("Pay-in of $5.00 recorded")
