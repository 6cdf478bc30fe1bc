"""Money as typed at a till, notes and coins, and the cash drop plan."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessions_app.cash import (
    MAX_AMOUNT,
    AmountError,
    cash_drop_plan,
    count_total,
    denominations,
    parse_amount,
)
from tests.helpers import present


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("125.5", "125.50"),
        ("0", "0.00"),
        (" 1,250.00 ", "1250.00"),
        ("$20", "20.00"),
        (".75", "0.75"),
        ("1000000000", "1000000000.00"),
    ],
)
def test_it_reads_amounts_people_type(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "negative"),
        ("12.345", "two decimals"),
        ("NaN", "like 125.50"),
        ("Infinity", "like 125.50"),
        ("1e5", "like 125.50"),
        ("12,50", "like 125.50"),
        ("ten", "like 125.50"),
        ("1000000000.01", "too large"),
        ("", "Enter an amount"),
    ],
)
def test_it_refuses_what_is_not_a_till_amount(typed, message):
    with pytest.raises(AmountError, match=message):
        parse_amount(typed)


@given(st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False))
def test_every_valid_amount_reads_back_exactly(amount):
    assert parse_amount(format(amount, "f")) == amount
    assert parse_amount(f"{amount:,.2f}") == amount


@given(st.text(max_size=40))
def test_random_text_is_either_a_valid_amount_or_refused(text):
    try:
        amount = parse_amount(text)
    except AmountError:
        return
    assert amount.is_finite()
    assert Decimal(0) <= amount <= MAX_AMOUNT
    assert amount == amount.quantize(Decimal("0.01"))


def test_usd_has_notes_and_coins_largest_first(settings):
    settings.CURRENCY, settings.CASH_DENOMINATIONS = "USD", []
    values = [d.value for d in denominations()]
    assert values[0] == Decimal(100) and values[-1] == Decimal("0.01")
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize("currency", ["EUR", "GBP", "CAD", "AUD"])
def test_other_currencies_have_defaults(settings, currency):
    settings.CURRENCY, settings.CASH_DENOMINATIONS = currency, []
    assert len(denominations()) >= 10


def test_denominations_can_be_configured(settings):
    settings.CASH_DENOMINATIONS = ["5", "20", "0.50"]
    assert [d.field_name for d in denominations()] == ["count_20", "count_5", "count_0_5"]


def test_the_drop_banks_largest_notes_first_and_leaves_the_float():
    counts = {Decimal(50): 4, Decimal(20): 10, Decimal(5): 10, Decimal("0.25"): 8}
    drop = cash_drop_plan(
        counted_cash=count_total(counts), target_float=Decimal(200), counts=counts
    )
    # 452.00 in the drawer: 252.00 goes to the bank, 50s first, and exactly 200.00 stays.
    assert drop.bank == Decimal(252) and drop.leave == Decimal(200)
    assert drop.bank_counts == {Decimal(50): 4, Decimal(20): 2, Decimal(5): 2, Decimal("0.25"): 8}
    assert drop.leave_counts == {Decimal(50): 0, Decimal(20): 8, Decimal(5): 8, Decimal("0.25"): 0}


def test_without_a_count_the_drop_is_a_total():
    drop = cash_drop_plan(counted_cash=Decimal("180.00"), target_float=Decimal(200))
    assert (drop.bank, drop.leave, drop.bank_counts) == (Decimal(0), Decimal("180.00"), None)


@given(
    st.dictionaries(
        st.sampled_from([Decimal(v) for v in ["100", "50", "20", "10", "5", "1", "0.25", "0.01"]]),
        st.integers(min_value=0, max_value=500),
    ),
    st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False),
)
def test_the_drop_never_invents_or_loses_cash(counts, target):
    counted = count_total(counts)
    drop = cash_drop_plan(counted_cash=counted, target_float=target, counts=counts)
    assert drop.bank + drop.leave == counted
    assert drop.leave >= min(target, counted)
    for value, quantity in counts.items():
        assert present(drop.bank_counts)[value] + present(drop.leave_counts)[value] == quantity
        assert present(drop.bank_counts)[value] >= 0


# --- Every currency and language (issue 24) -------------------------------------------------

from django.utils import translation  # noqa: E402

from sessions_app.cash import DEFAULT_DENOMINATIONS, default_target_float  # noqa: E402
from sessions_app.money import currency  # noqa: E402


@pytest.mark.parametrize(
    ("locale", "typed", "amount"),
    [
        ("de", "15,00", "15.00"),
        ("de", "1.234,50", "1234.50"),
        ("de", "15.00", "15.00"),  # a keypad's point where German writes a comma
        ("de", "15,5 €", "15.50"),
        ("fr", "1\u202f234,50", "1234.50"),
        ("es", "1.234,50", "1234.50"),
        ("de_CH", "1'234.50", "1234.50"),
        ("en_US", "1,234.50", "1234.50"),
    ],
)
def test_amounts_are_read_in_the_persons_language(locale, typed, amount):
    assert parse_amount(typed, currency=currency("EUR"), locale=locale) == Decimal(amount)


def test_a_comma_is_not_a_decimal_sign_in_english():
    with pytest.raises(AmountError, match=r"like 125\.50"):
        parse_amount("15,00", currency=currency("USD"), locale="en_US")


def test_the_example_speaks_the_language():
    with pytest.raises(AmountError, match="like 125,50"):
        parse_amount("zehn", currency=currency("EUR"), locale="de")


@pytest.mark.parametrize(
    ("code", "typed", "amount"),
    [
        ("JPY", "2480", "2480"),
        ("JPY", "2,480", "2480"),
        ("KWD", "6.000", "6.000"),
        ("KWD", "0.125", "0.125"),
        ("USD", "12.5", "12.50"),
    ],
)
def test_each_currency_takes_its_own_decimals(code, typed, amount):
    parsed = parse_amount(typed, currency=currency(code), locale="en_US")
    assert parsed == Decimal(amount) and str(parsed) == amount


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        ("JPY", "2480.50", "no decimals"),
        ("KWD", "6.0001", "at most 3 decimals"),
        ("USD", "6.125", "two decimals"),
    ],
)
def test_more_decimals_than_the_currency_has_are_refused(code, typed, message):
    with pytest.raises(AmountError, match=message):
        parse_amount(typed, currency=currency(code), locale="en_US")


@pytest.mark.parametrize(
    "code", ["USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "JPY", "KWD"]
)
def test_every_issue_currency_has_notes_coins_and_a_float_of_its_own(settings, code):
    settings.CASH_DENOMINATIONS = []
    values = [d.value for d in denominations(currency(code))]
    assert values == sorted(values, reverse=True) and len(values) >= 9
    assert code in DEFAULT_DENOMINATIONS
    smallest = values[-1]
    assert smallest == currency(code).exact(smallest)  # no coin finer than the currency
    assert default_target_float(currency(code)) > 0


def test_a_yen_float_is_not_two_hundred():
    assert default_target_float(currency("JPY")) == Decimal(30000)
    assert default_target_float(currency("KWD")) == Decimal("50.000")


def test_the_fils_coins_are_labelled_with_three_decimals():
    labels = [d.label for d in denominations(currency("KWD"))]
    assert "0.005" in labels and "0.100" not in labels and "0.10" in labels


def test_the_active_language_decides_when_none_is_given():
    with translation.override("de"):
        assert parse_amount("15,00", currency=currency("EUR")) == Decimal("15.00")
