"""Currencies' decimals, the totals' exact thousandths, and cash rounding."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessions_app.money import (
    DOWN,
    EVERY_TENDER,
    HALF_UP,
    UP,
    CashRounding,
    cldr_cash_increment,
    currency,
    from_thousandths,
    to_thousandths,
)

D = Decimal


@pytest.mark.parametrize(
    ("code", "decimals"),
    [
        ("USD", 2),
        ("EUR", 2),
        ("CHF", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("CLP", 0),
        ("KWD", 3),
        ("BHD", 3),
        ("OMR", 3),
        ("JOD", 3),
        ("TND", 3),
    ],
)
def test_each_currency_has_its_iso_decimals(code, decimals):
    assert currency(code).decimals == decimals


def test_amounts_take_the_currencys_decimals():
    assert str(currency("KWD").exact(D("6"))) == "6.000"
    assert str(currency("JPY").exact(D("2480"))) == "2480"
    assert currency("JPY").has_more_decimals(D("2480.50"))
    assert not currency("KWD").has_more_decimals(D("0.125"))


@given(st.decimals(min_value=-(10**11), max_value=10**11, places=3, allow_nan=False))
def test_thousandths_hold_every_amount_exactly(amount):
    assert from_thousandths(to_thousandths(amount)) == amount


@pytest.mark.parametrize("code", ["USD", "JPY", "KWD"])
@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_a_currency_reads_thousandths_as_its_exact_amount(code, thousandths):
    chosen = currency(code)
    read = chosen.from_thousandths(thousandths)
    expected = chosen.exact(from_thousandths(thousandths))
    assert (read, str(read)) == (expected, str(expected))


def test_a_float_sum_from_sqlite_is_read_to_the_thousandth():
    assert to_thousandths(-36794.309999999) == -36794310


@pytest.mark.parametrize(
    ("increment", "mode", "amount", "paid"),
    [
        ("0.05", HALF_UP, "15.72", "15.70"),
        ("0.05", HALF_UP, "15.73", "15.75"),
        ("0.05", HALF_UP, "15.725", "15.75"),
        ("0.05", UP, "15.72", "15.75"),
        ("0.05", DOWN, "15.74", "15.70"),
        ("0.50", HALF_UP, "1.20", "1.00"),  # Odoo's PaymentScreenRoundingHalfUp
        ("0.50", HALF_UP, "1.25", "1.50"),
        ("0.50", HALF_UP, "1.40", "1.50"),
        ("1", UP, "178.20", "179"),
        ("10", HALF_UP, "2484", "2480"),  # yen to the ten
        ("0.05", HALF_UP, "-15.72", "-15.70"),  # a refund mirrors its sale
    ],
)
def test_cash_rounding_to_an_increment(increment, mode, amount, paid):
    rounding = CashRounding(increment=D(increment), mode=mode)
    assert rounding.rounded(D(amount)) == D(paid)
    assert rounding.adjustment(D(amount)) == D(paid) - D(amount)


@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    st.sampled_from([HALF_UP, UP, DOWN]),
)
def test_an_amount_already_paid_is_never_rounded_twice(amount, mode):
    rounding = CashRounding(increment=D("0.05"), mode=mode)
    paid = rounding.rounded(amount)
    assert rounding.adjustment(paid) == 0
    assert abs(paid - amount) < D("0.05")


def test_cash_only_leaves_other_tenders_alone():
    cash_only = CashRounding(increment=D("0.05"))
    every = CashRounding(increment=D("0.05"), applies_to=EVERY_TENDER)
    assert cash_only.applies("cash") and not cash_only.applies("card")
    assert every.applies("card")
    assert not CashRounding(increment=D(0)).applies("cash")


def test_cldr_knows_where_cash_is_rounded():
    assert cldr_cash_increment("CHF") == D("0.05")
    assert cldr_cash_increment("CAD") == D("0.05")
    assert cldr_cash_increment("USD") is None
