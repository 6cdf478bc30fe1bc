"""Closing scenarios from the public point-of-sale tests of Odoo and ERPNext, replayed through
the dashboard's real open, cash movement and close services against the simulator, over HTTP.
Each agrees with the figures the peer's own test asserts, to the minor unit.

Read in their public repositories:
- Odoo, addons/point_of_sale/tests/test_pos_basic_config.py: test_orders_no_invoiced,
  test_return_order, test_split_cash_payments, test_rounding_method.
- Odoo, addons/point_of_sale/tests/test_pos_cash_rounding.py (and the payment-screen checks of
  its tours): 15.72 paid 15.70 in cash (0.05, half up), its refund too; 0.68 by card and the
  rest in cash, 15.73; UP and DOWN; the 0.50 increment (1.20 -> 1.00, 1.25 -> 1.50).
- Odoo, addons/point_of_sale/tests/test_pos_session_amounts.py: a 12.50 float, 2.25 paid
  out, 10.25 counted, no difference; amounts that are not numbers are refused.
- ERPNext, erpnext/accounts/doctype/pos_closing_entry/test_pos_closing_entry.py: two cash
  invoices of 3500 and 3200 closed at 6700; with the 3200 one returned, 3500.

The peers have no Final POS: a sale is the transaction the till records (its amount is what
the sale came to), a bank payment is "card", a cash-in/out is a pay-in/pay-out.
"""

from decimal import Decimal

import pytest

from sessions_app.models import Outlet, SessionRecord
from sessions_app.services.cash_movements import cash_movement_record
from sessions_app.services.outlet_settings import outlet_settings_update
from sessions_app.services.shift_close import shift_close, shift_close_preview
from sessions_app.services.shift_open import shift_open
from tests.conftest import OUTLET_A, record_sale

pytestmark = pytest.mark.django_db

D = Decimal


def _rules(manager, **changes):
    outlet_settings_update(
        outlet=Outlet.objects.get(id=OUTLET_A), changes=changes, updated_by_user=manager
    )


def _open(tills, cashier, opening):
    return shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=D(opening)).record


def _close(shift, cashier, **counted):
    shift.refresh_from_db()
    amounts = {"cash": D(0), "card": D(0), "oliverPay": D(0)} | {
        key: D(value) for key, value in counted.items()
    }
    return shift_close(
        record=shift,
        closed_by_user=cashier,
        counted=amounts,
        seen_updated_at=shift.upstream_updated_at,
        close_request_id=f"{shift.id}{'0' * 8}",
    ).record


def _expected(shift):
    shift.refresh_from_db()
    figures = shift_close_preview(
        record=shift, counted={"cash": D(0), "card": D(0)}, cash_count=None
    )
    return {line.key: line.expected for line in figures.reconciliation.lines}, figures


# --- Odoo: basic configuration -------------------------------------------------------------


def test_odoo_orders_no_invoiced_cash_370_and_bank_220(tills, cashier, simulator):
    """Three orders: 200 and 170 in cash, 220 by bank. Odoo: pos receivable cash 370, bank
    220, total balance 0."""
    shift = _open(tills, cashier, "0.00")
    record_sale(simulator, shift.id, "200.00", "cash")
    record_sale(simulator, shift.id, "170.00", "cash")
    record_sale(simulator, shift.id, "220.00", "credit_card")
    expected, _figures = _expected(shift)
    assert expected["cash"] == D("370.00") and expected["card"] == D("220.00")
    closed = _close(shift, cashier, cash="370.00", card="220.00")
    assert closed.result == "balanced" and closed.variances == {
        "cash": "0.00",
        "card": "0.00",
        "oliverPay": "0.00",
    }


def test_odoo_return_order_refunded_in_cash_leaves_only_the_bank(tills, cashier, simulator):
    """110 by bank, 100 in cash, the 100 returned in cash. Odoo: bank receivable 110, and
    the cash order and its refund cancel out."""
    shift = _open(tills, cashier, "0.00")
    record_sale(simulator, shift.id, "110.00", "credit_card")
    record_sale(simulator, shift.id, "100.00", "cash")
    record_sale(simulator, shift.id, "100.00", "cash", "refund")
    expected, figures = _expected(shift)
    assert expected["cash"] == D("0.00") and expected["card"] == D("110.00")
    assert figures.sales.of("cash").refund_count == 1
    assert _close(shift, cashier, card="110.00").result == "balanced"


def test_odoo_split_cash_payments_290_cash_and_300_bank(tills, cashier, simulator):
    """Three orders, each split between cash (100, 70, 120) and bank (100 each). Odoo: cash
    statement lines 100, 70 and 120; bank 300."""
    shift = _open(tills, cashier, "0.00")
    for cash in ("100.00", "70.00", "120.00"):
        record_sale(simulator, shift.id, cash, "cash")
        record_sale(simulator, shift.id, "100.00", "credit_card")
    expected, figures = _expected(shift)
    assert expected["cash"] == D("290.00") and expected["card"] == D("300.00")
    assert figures.sales.of("cash").sale_count == 3
    assert _close(shift, cashier, cash="290.00", card="300.00").result == "balanced"


def test_odoo_rounding_method_on_every_tender_is_a_rounding_line_of_003(
    tills, cashier, manager, simulator
):
    """Cash rounding 0.05 half up on every tender; 429.88 and 99.84 paid by bank as 429.90
    and 99.85. Odoo: the session's "Rounding line" is 0.03."""
    _rules(manager, cash_rounding=D("0.05"), cash_rounding_applies_to="all")
    shift = _open(tills, cashier, "0.00")
    record_sale(simulator, shift.id, "429.88", "credit_card")
    record_sale(simulator, shift.id, "99.84", "credit_card")
    expected, figures = _expected(shift)
    assert figures.sales.of("card").rounding == D("0.03")
    assert expected["card"] == D("529.75")
    closed = _close(shift, cashier, card="529.75")
    assert closed.result == "balanced" and closed.rounding == D("0.03")


# --- Odoo: cash rounding -------------------------------------------------------------------


def test_odoo_cash_rounding_half_up_a_sale_and_its_refund_in_cash(
    tills, cashier, manager, simulator
):
    """15.72 paid 15.70 in cash and refunded -15.70 (rounding -0.02, then +0.02). The drawer
    ends where it began, with no difference."""
    _rules(manager, cash_rounding=D("0.05"))
    shift = _open(tills, cashier, "100.00")
    record_sale(simulator, shift.id, "15.72", "cash")
    expected, figures = _expected(shift)
    assert figures.cash_drawer.rounding == D("-0.02") and expected["cash"] == D("115.70")
    record_sale(simulator, shift.id, "15.72", "cash", "refund")
    expected, figures = _expected(shift)
    assert figures.cash_drawer.rounding == D("0.00") and expected["cash"] == D("100.00")
    assert _close(shift, cashier, cash="100.00").result == "balanced"


def test_odoo_cash_rounding_only_cash_card_part_and_cash_part(tills, cashier, manager, simulator):
    """0.68 by card, the rest (15.04) in cash, rounded to 15.05: Odoo's amount paid 15.73,
    applied rounding +0.01. The card is not rounded."""
    _rules(manager, cash_rounding=D("0.05"), cash_rounding_applies_to="cash")
    shift = _open(tills, cashier, "0.00")
    record_sale(simulator, shift.id, "0.68", "credit_card")
    record_sale(simulator, shift.id, "15.04", "cash")
    expected, figures = _expected(shift)
    assert figures.cash_drawer.rounding == D("0.01")
    assert expected["cash"] + expected["card"] == D("15.73")
    assert _close(shift, cashier, cash="15.05", card="0.68").result == "balanced"


@pytest.mark.parametrize(
    ("mode", "paid"),
    [("half_up", "15.70"), ("up", "15.75"), ("down", "15.70")],
)
def test_odoo_cash_rounding_modes(tills, cashier, manager, simulator, mode, paid):
    _rules(manager, cash_rounding=D("0.05"), cash_rounding_mode=mode)
    shift = _open(tills, cashier, "0.00")
    record_sale(simulator, shift.id, "15.72", "cash")
    expected, _figures = _expected(shift)
    assert expected["cash"] == D(paid)
    closed = _close(shift, cashier, cash=paid)
    assert closed.result == "balanced" and closed.cash_variance == 0


def test_odoo_half_up_to_050(tills, cashier, manager, simulator):
    """Odoo's payment screen with a 0.50 increment: 1.20 -> 1.00, 1.25 -> 1.50, 1.40 -> 1.50."""
    _rules(manager, cash_rounding=D("0.50"))
    shift = _open(tills, cashier, "0.00")
    for amount in ("1.20", "1.25", "1.40"):
        record_sale(simulator, shift.id, amount, "cash")
    expected, figures = _expected(shift)
    assert figures.cash_drawer.rounding == D("-0.20") + D("0.25") + D("0.10")
    assert expected["cash"] == D("4.00")


def test_three_nickel_rounded_sales_are_never_short(tills, cashier, manager, simulator):
    """The issue's drawer: three cash sales of 15.72 paid 15.70 leave 126.40 on a 79.30
    float: balanced, where unrounded expected said short by 0.06."""
    _rules(manager, cash_rounding=D("0.05"))
    shift = _open(tills, cashier, "79.30")
    for _sale in range(3):
        record_sale(simulator, shift.id, "15.72", "cash")
    closed = _close(shift, cashier, cash="126.40")
    assert closed.result == "balanced" and closed.rounding == D("-0.06")


# --- Odoo: session amounts ----------------------------------------------------------------


def test_odoo_fractional_float_and_a_pay_out_close_with_no_difference(tills, cashier, simulator):
    """A 12.50 float, 2.25 paid out, 10.25 counted: Odoo expects 10.25 and no difference."""
    shift = _open(tills, cashier, "12.50")
    cash_movement_record(
        record=shift,
        recorded_by_user=cashier,
        movement_id="m" * 32,
        kind="pay_out",
        amount=D("2.25"),
        reason="Supplies",
    )
    expected, _figures = _expected(shift)
    assert expected["cash"] == D("10.25")
    closed = _close(shift, cashier, cash="10.25")
    assert closed.result == "balanced" and closed.cash_variance == 0


# --- ERPNext: POS closing entry -----------------------------------------------------------


def test_erpnext_closing_entry_6700_in_cash(tills, cashier, simulator):
    """Two cash invoices of 3500 and 3200 (no opening amount): closing amount 6700, net total
    6700."""
    shift = _open(tills, cashier, "0.00")
    record_sale(simulator, shift.id, "3500.00", "cash")
    record_sale(simulator, shift.id, "3200.00", "cash")
    expected, _figures = _expected(shift)
    assert expected["cash"] == D("6700.00")
    closed = _close(shift, cashier, cash="6700.00")
    assert closed.result == "balanced" and closed.closing_amount == D("6700.00")


def test_erpnext_closing_entry_with_a_return(tills, cashier, simulator):
    """3500 and 3200 in cash, the 3200 invoice returned: 3500 left in cash."""
    shift = _open(tills, cashier, "0.00")
    record_sale(simulator, shift.id, "3500.00", "cash")
    record_sale(simulator, shift.id, "3200.00", "cash")
    record_sale(simulator, shift.id, "3200.00", "cash", "refund")
    expected, _figures = _expected(shift)
    assert expected["cash"] == D("3500.00")
    assert _close(shift, cashier, cash="3500.00").result == "balanced"


# --- The three-decimal drawer ------------------------------------------------------


def test_eight_sales_of_0125_kwd_on_a_5000_float_expect_6000(tills, cashier, manager, simulator):
    """KWD has three decimals: 5.000 + 8 x 0.125 = 6.000 exactly, written back as such."""
    _rules(manager, currency="KWD")
    shift = _open(tills, cashier, "5.000")
    assert shift.currency == "KWD"
    for _sale in range(8):
        simulator.simulator.record_transaction(
            sessionId=shift.id, paymentMethod="cash", amount="0.125", currency="KWD"
        )
    expected, _figures = _expected(shift)
    assert expected["cash"] == D("6.000")
    closed = _close(shift, cashier, cash="6.000")
    assert closed.result == "balanced" and closed.cash_variance == 0
    stored = simulator.simulator.store.get("session", shift.id)
    assert stored["closingAmount"] == "6.00" and stored["openingAmount"] == "5.00"
    SessionRecord.objects.filter(id=shift.id).update(opening_amount=D("5.125"))
    shift.refresh_from_db()
    assert shift.opening_amount == D("5.125")  # the index holds the third decimal exactly


# --- When Final POS has already rounded ----------------------------------------------------


def test_a_till_that_reports_its_rounding_is_not_rounded_again(tills, cashier, manager, simulator):
    """The till wrote what was paid (15.70) and its rounding (paymentData.rounding -0.02); a
    second till wrote only what was paid (15.70). Neither is rounded twice."""
    _rules(manager, cash_rounding=D("0.05"))
    shift = _open(tills, cashier, "0.00")
    simulator.simulator.record_transaction(
        sessionId=shift.id, paymentMethod="cash", amount="15.70", paymentData={"rounding": "-0.02"}
    )
    record_sale(simulator, shift.id, "15.70", "cash")
    expected, figures = _expected(shift)
    assert figures.cash_drawer.cash_sales == D("31.42")
    assert figures.cash_drawer.rounding == D("-0.02")
    assert expected["cash"] == D("31.40")
    assert _close(shift, cashier, cash="31.40").result == "balanced"
