"""Money in other currencies and languages, in Chromium: a Kuwaiti outlet (three decimals), a
Japanese one (none), a Swiss one rounding cash to 0.05, and a close in German. Each opens a
shift through the page, sells in the simulator, closes through the page, and leaves a
screenshot (artifacts/screenshots/money-*.png)."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from sessions_app.models import Outlet, SessionRecord
from sessions_app.services.outlet_settings import outlet_settings_update
from tests.catalogues import filled, translated
from tests.conftest import OUTLET_A, PASSWORD, STATION_A1

pytestmark = pytest.mark.django_db(transaction=True)


def _outlet_rules(manager, **changes) -> None:
    outlet_settings_update(
        outlet=Outlet.objects.get(id=OUTLET_A), changes=changes, updated_by_user=manager
    )


def _sell(simulator, shift: SessionRecord, amount: str, currency: str, method="cash") -> None:
    simulator.simulator.record_transaction(
        sessionId=shift.id, paymentMethod=method, amount=amount, currency=currency
    )


def _said(language: str, text: str) -> str:
    """A text of the page as it reads in the language (the catalogue's, for a translation)."""
    return text if language == "en" else translated(language, text)


def _open_shift(page: Page, live_server, float_text: str, language: str = "en") -> SessionRecord:
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    page.get_by_label(_said(language, "Opening float")).fill(float_text)
    page.get_by_role("button", name=_said(language, "Open shift")).click()
    opened = _said(language, "Shift %(number)s is open on %(station)s with a float of %(float)s.")
    status = page.get_by_role("status").first
    expect(status).to_contain_text(filled(opened))
    expect(status).to_contain_text("Till 1")
    return SessionRecord.objects.get(station_id=STATION_A1, close_time=None)


def _close(page: Page, live_server, shift: SessionRecord, **typed: str) -> None:
    page.goto(f"{live_server.url}/sessions/{shift.id}/close/")
    page.get_by_label("Cash counted in the drawer").fill(typed.get("cash", "0"))
    page.get_by_label("Card", exact=True).fill(typed.get("card", "0"))
    page.get_by_label("Oliver Pay").fill("0")
    page.get_by_role("button", name="Review before closing").click()


def test_a_kuwaiti_outlet_counts_fils_and_closes_balanced_at_6000(
    page: Page, live_server, sign_in, tills, manager, cashier, simulator, screenshot, axe_check
):
    _outlet_rules(manager, currency="KWD")
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    page.get_by_text("Count by notes and coins").first.click()
    page.get_by_label("Number of KWD 5", exact=True).fill("1")
    expect(page.get_by_label("Opening float")).to_have_value("5.000")
    screenshot("money-kwd-open-count")
    page.get_by_role("button", name="Open shift").click()
    shift = SessionRecord.objects.get(station_id=STATION_A1, close_time=None)
    assert (shift.currency, shift.opening_amount) == ("KWD", Decimal("5.000"))
    for _sale in range(8):
        _sell(simulator, shift, "0.125", "KWD")

    _close(page, live_server, shift, cash="6.000")
    methods = page.get_by_role("table", name="Counted, expected and difference per payment method")
    expect(methods.get_by_role("row", name="Cash")).to_contain_text("KWD\u00a06.000")
    expect(methods.get_by_role("row", name="Cash")).to_contain_text("Balanced")
    axe_check("KWD close confirmation")
    screenshot("money-kwd-review")
    page.get_by_role("button", name="Close shift").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    closed = SessionRecord.objects.get(id=shift.id)
    assert closed.result == "balanced" and closed.closing_amount == Decimal("6.000")
    screenshot("money-kwd-report")


def test_a_japanese_outlet_takes_whole_yen_only(
    page: Page, live_server, sign_in, tills, manager, cashier, simulator, screenshot, axe_check
):
    _outlet_rules(manager, currency="JPY")
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    expect(page.get_by_label("Number of ¥10,000", exact=True)).to_have_count(1)  # folded
    shift = _open_shift(page, live_server, "30000")
    assert (shift.currency, shift.opening_amount) == ("JPY", Decimal(30000))
    _sell(simulator, shift, "2480", "JPY")

    _close(page, live_server, shift, cash="32480.50")
    expect(page.get_by_text("JPY amounts have no decimals")).to_be_visible()
    assert SessionRecord.objects.get(id=shift.id).close_time is None
    screenshot("money-jpy-refused")
    page.get_by_label("Cash counted in the drawer").fill("32,480")
    page.get_by_role("button", name="Review before closing").click()
    methods = page.get_by_role("table", name="Counted, expected and difference per payment method")
    expect(methods.get_by_role("row", name="Cash")).to_contain_text("¥32,480")
    axe_check("JPY close confirmation")
    page.get_by_role("button", name="Close shift").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    assert SessionRecord.objects.get(id=shift.id).result == "balanced"
    screenshot("money-jpy-report")


def test_a_swiss_outlet_rounds_cash_to_5_rappen_on_its_own_line(
    page: Page, live_server, sign_in, tills, manager, cashier, simulator, screenshot, axe_check
):
    # Its cashiers see what the drawer should hold on the X report (no blind count here).
    _outlet_rules(manager, currency="CHF", cash_rounding=Decimal("0.05"), blind_count=False)
    sign_in(cashier.username, PASSWORD)
    shift = _open_shift(page, live_server, "79.30")
    for _sale in range(3):
        _sell(simulator, shift, "15.72", "CHF")  # each paid 15.70 in cash
    _sell(simulator, shift, "20.00", "EUR")  # a tourist's euros: apart, never in the drawer

    page.goto(f"{live_server.url}/sessions/{shift.id}/x/")
    expect(page.locator("[data-rounding]")).to_contain_text("−CHF\u00a00.06")
    expect(page.locator("[data-foreign-sales]")).to_contain_text("€20.00")
    screenshot("money-chf-x-report")

    _close(page, live_server, shift, cash="126.40")
    methods = page.get_by_role("table", name="Counted, expected and difference per payment method")
    expect(methods.get_by_role("row", name="Cash")).to_contain_text("Balanced")
    expect(page.locator("[data-rounding]")).to_contain_text("−CHF\u00a00.06")
    axe_check("CHF close confirmation")
    page.get_by_role("button", name="Close shift").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-of-shift report")
    expect(page.locator("[data-rounding]")).to_contain_text("not a difference")
    expect(page.locator("[data-foreign-sales]")).to_contain_text("never added")
    closed = SessionRecord.objects.get(id=shift.id)
    assert (closed.result, closed.rounding) == ("balanced", Decimal("-0.06"))
    axe_check("CHF shift report")
    screenshot("money-chf-report")


@pytest.mark.browser_context_args(locale="de-DE")
def test_a_close_in_german_reads_and_takes_the_decimal_comma(
    page: Page, live_server, tills, manager, cashier, simulator, screenshot, axe_check
):
    _outlet_rules(manager, currency="EUR")
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.locator("input[name=username]").fill(cashier.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    shift = _open_shift(page, live_server, "1.219,50", language="de")
    assert shift.opening_amount == Decimal("1219.50")
    _sell(simulator, shift, "15.00", "EUR")
    _sell(simulator, shift, "15.00", "EUR", method="credit_card")

    page.goto(f"{live_server.url}/sessions/{shift.id}/close/")
    page.get_by_label(translated("de", "Cash counted in the drawer")).fill("1.234,50")
    page.get_by_label(translated("de", "Card"), exact=True).fill("15,00")
    page.get_by_label("Oliver Pay").fill("0")
    screenshot("money-de-close-form")
    page.get_by_role("button", name=translated("de", "Review before closing")).click()
    methods = page.get_by_role(
        "table", name=translated("de", "Counted, expected and difference per payment method")
    )
    expect(methods.get_by_role("row", name=translated("de", "Cash"))).to_contain_text(
        "1.234,50\u00a0€"
    )
    expect(methods.get_by_role("row", name=translated("de", "Card"))).to_contain_text(
        "15,00\u00a0€"
    )
    axe_check("German close confirmation")
    screenshot("money-de-review")
    page.get_by_role("button", name=translated("de", "Close shift")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        translated("de", "End-of-shift report")
    )
    closed = SessionRecord.objects.get(id=shift.id)
    assert closed.result == "balanced" and closed.closing_amount == Decimal("1234.50")
    expect(page.get_by_text("1.234,50\u00a0€").first).to_be_visible()
    screenshot("money-de-report")
