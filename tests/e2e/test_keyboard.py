"""The till flow with the keyboard alone: signing in, opening a shift with a float counted by
notes and coins, and closing it. No clicks; every control is reached with Tab, and the
focused control always shows a visible focus ring."""

from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from sessions_app.models import SessionRecord

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 60


def tab_to(page: Page, target: Locator) -> None:
    """Presses Tab until the target has the focus, checking each stop shows a focus ring."""
    if target.evaluate("el => el === document.activeElement"):  # autofocus
        return
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        if page.evaluate("el => el === document.body", focused):
            continue  # past the last control, the browser's own toolbar has the focus
        outline = page.evaluate(
            "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }",
            focused,
        )
        assert outline[0] != "none" and outline[1] != "0px", (
            f"no visible focus on {page.evaluate('el => el.outerHTML.slice(0, 120)', focused)}"
        )
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached in {MAX_TABS} presses of Tab")


def test_a_cashier_opens_and_closes_a_shift_with_the_keyboard_alone(
    page: Page,
    live_server,
    demo_company,
    axe_check,
):
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type("cashier")
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type("cashier-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tills")

    tab_to(page, page.get_by_role("link", name="Open a shift on Till 1"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a shift")
    tab_to(page, page.get_by_text("Count by notes and coins").first)
    page.keyboard.press("Enter")  # opens the <details>
    tab_to(page, page.get_by_label("Number of $50", exact=True))
    page.keyboard.type("2")
    tab_to(page, page.get_by_label("Number of $10", exact=True))
    page.keyboard.type("5")
    expect(page.get_by_label("Opening float")).to_have_value("150.00")
    tab_to(page, page.get_by_role("button", name="Open shift"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("is open on Till 1")
    shift = SessionRecord.objects.get(station_id="6560a1f0c0ffee0000000101", close_time=None)
    assert shift.opening_amount == Decimal("150.00")  # the index keeps three decimals

    tab_to(page, page.get_by_role("link", name="Close the shift on Till 1"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Cash counted in the drawer"))
    page.keyboard.type("150.00")
    tab_to(page, page.get_by_label("Card", exact=True))
    page.keyboard.type("0")
    tab_to(page, page.get_by_label("Oliver Pay"))
    page.keyboard.type("0")
    tab_to(page, page.get_by_label("Closing note"))
    page.keyboard.type("Quiet afternoon")
    tab_to(page, page.get_by_role("button", name="Review before closing"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and close Till 1")
    axe_check("close confirmation")
    tab_to(page, page.get_by_role("button", name="Close shift"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    closed = SessionRecord.objects.get(id=shift.id)
    assert closed.close_time is not None and closed.closing_note == "Quiet afternoon"
