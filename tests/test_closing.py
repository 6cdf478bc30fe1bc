"""Expected amounts, variance and the variance policy."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sessions_app.closing.expected import cash_drawer, expected_amounts, expected_from
from sessions_app.closing.sales import DrawerMoney, sales_summary, tender_name
from sessions_app.closing.variance import reconcile, shift_result, variance_label
from sessions_app.finalpos.records import Transaction
from tests.helpers import present


def _sale(method: str, amount: str, kind: str = "sale") -> Transaction:
    return Transaction(
        id="t",
        session_id="s",
        payment_method=method,
        amount=Decimal(amount),
        type=kind,
        currency="USD",
        created_at=None,
    )


def test_expected_is_sales_minus_refunds_plus_the_float_for_cash():
    expected = expected_amounts(
        [
            _sale("cash", "10.00"),
            _sale("cash", "2.50", "refund"),
            _sale("credit_card", "40.00"),
            _sale("Oliver_Pay", "5.00"),
            _sale("gift_card", "99.00"),
            _sale("cash", "1.00", "void"),
        ],
        opening_amount=Decimal("200.00"),
    )
    assert expected == {
        "cash": Decimal("207.50"),
        "card": Decimal("40.00"),
        "oliverPay": Decimal("5.00"),
    }


def test_the_mapping_of_payment_methods_is_configurable(settings):
    settings.PAYMENT_METHOD_ALIASES = {"amex": "card"}
    expected = expected_amounts([_sale("AMEX", "12.00")], opening_amount=Decimal(0))
    assert expected["card"] == Decimal("12.00")


def test_labels():
    assert variance_label(Decimal("0.01")) == "over"
    assert variance_label(Decimal("-0.01")) == "short"
    assert variance_label(Decimal(0)) == "balanced"
    assert variance_label(None) == ""


def test_a_cash_short_beside_a_card_over_is_mixed_never_balanced(settings):
    settings.VARIANCE_REASON_THRESHOLD = Decimal(5)
    result = reconcile(
        counted={"cash": Decimal(190), "card": Decimal(60), "oliverPay": Decimal(0)},
        expected={"cash": Decimal(200), "card": Decimal(50), "oliverPay": Decimal(0)},
    )
    assert result.result == "mixed"
    assert result.cash_variance == Decimal(-10) and result.largest_variance == Decimal(10)
    assert result.reason_required


def test_a_shift_is_balanced_only_when_every_tender_is():
    assert shift_result({"cash": Decimal(0), "card": Decimal(0)}) == "balanced"
    assert shift_result({"cash": Decimal("-0.01"), "card": Decimal(0)}) == "short"
    assert shift_result({"cash": Decimal(0), "card": Decimal("2.50")}) == "over"
    assert shift_result({"cash": Decimal(-1), "card": Decimal(-2)}) == "short"
    assert shift_result({"cash": Decimal(-1), "card": Decimal(2)}) == "mixed"
    assert shift_result(None) == ""


def test_a_tolerance_makes_small_differences_balanced(settings):
    settings.VARIANCE_TOLERANCE = Decimal("0.05")
    assert shift_result({"cash": Decimal("-0.05"), "card": Decimal("0.04")}) == "balanced"
    assert shift_result({"cash": Decimal("-0.06"), "card": Decimal("0.04")}) == "short"


def test_without_expected_there_is_no_variance_and_no_policy():
    result = reconcile(counted={"cash": Decimal(5)}, expected=None)
    assert result.variances is None and result.result == ""
    assert not result.reason_required and not result.review_required


money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False)


@given(
    st.fixed_dictionaries({"cash": money, "card": money, "oliverPay": money}),
    st.fixed_dictionaries({"cash": money, "card": money, "oliverPay": money}),
)
def test_variance_is_counted_minus_expected_line_by_line(counted, expected):
    result = reconcile(counted=counted, expected=expected)
    for line in result.lines:
        assert line.variance == counted[line.key] - expected[line.key]
        assert line.result == variance_label(line.variance)
    assert result.largest_variance == max(abs(present(line.variance)) for line in result.lines)
    assert result.cash_variance == counted["cash"] - expected["cash"]
    signs = {line.result for line in result.lines} - {"balanced"}
    assert result.result == (
        "balanced" if not signs else signs.pop() if len(signs) == 1 else "mixed"
    )


# --- Currencies and cash rounding (issue 24) ------------------------------------------------

from sessions_app.money import CashRounding, currency  # noqa: E402

CHF_NICKEL = DrawerMoney(currency("CHF"), CashRounding(increment=Decimal("0.05")))


def _in(currency_code: str, amount: str, method: str = "cash", kind: str = "sale", **fields):
    return Transaction(
        id="t",
        session_id="s",
        payment_method=method,
        amount=Decimal(amount),
        type=kind,
        currency=currency_code,
        created_at=None,
        **fields,
    )


def test_sales_in_another_currency_are_kept_apart_and_out_of_expected():
    sales = sales_summary(
        [_in("CHF", "20.00"), _in("EUR", "50.00"), _in("EUR", "5.00", kind="refund")],
        money=CHF_NICKEL,
    )
    expected = expected_from(sales, opening_amount=Decimal("100.00"), currency=currency("CHF"))
    assert expected["cash"] == Decimal("120.00")
    assert sales.foreign["EUR"].sales == Decimal("50.00")
    assert sales.foreign["EUR"].refunds == Decimal("5.00")


def test_a_sale_that_names_no_currency_is_the_drawers():
    sales = sales_summary([_in("", "20.00")], money=CHF_NICKEL)
    assert sales.of("cash").sales == Decimal("20.00") and not sales.foreign


def test_each_cash_sale_is_rounded_into_its_own_line_never_a_difference():
    sales = sales_summary([_in("CHF", "15.72")] * 3, money=CHF_NICKEL)
    drawer = cash_drawer(opening_amount=Decimal("79.30"), sales=sales, movements=[])
    assert (drawer.cash_sales, drawer.rounding, drawer.expected) == (
        Decimal("47.16"),
        Decimal("-0.06"),
        Decimal("126.40"),
    )


def test_a_stated_rounding_is_taken_and_nothing_is_rounded_twice():
    """The till paid 15.70 and said so: its rounding line is its own -0.02, the sale 15.72."""
    sales = sales_summary([_in("CHF", "15.70", stated_rounding=Decimal("-0.02"))], money=CHF_NICKEL)
    line = sales.of("cash")
    assert (line.sales, line.rounding, line.net) == (
        Decimal("15.72"),
        Decimal("-0.02"),
        Decimal("15.70"),
    )


def test_an_amount_paid_already_on_the_increment_adds_no_rounding():
    sales = sales_summary([_in("CHF", "15.70")], money=CHF_NICKEL)
    assert sales.of("cash").rounding == 0 and sales.of("cash").net == Decimal("15.70")


def test_card_sales_are_not_rounded_unless_every_tender_is():
    sales = sales_summary([_in("CHF", "15.72", "credit_card")], money=CHF_NICKEL)
    assert sales.of("card").rounding == 0


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("cash", "Cash"),
        ("oliverPay", "Oliver Pay"),
        ("gift_card", "Gift card"),
        ("giftCard", "Gift card"),
        ("storeCredit", "Store credit"),
        ("house-account", "House account"),
        ("mealVoucherUK", "Meal voucher UK"),
        ("PayPal", "PayPal"),
        ("EBT", "EBT"),
        ("check", "Check"),
    ],
)
def test_a_tender_is_named_for_people_never_by_its_key(key, name):
    assert tender_name(key) == name


def test_a_known_other_tender_is_named_in_the_page_language():
    with translation.override("de"):
        assert tender_name("gift_card") == "Geschenkkarte"
