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
        ("de", "1.250", "1250.00"),
        ("de", "1.250.000", "1250000.00"),
        ("fr", "15.00", "15.00"),  # a keypad's point where French writes a comma
        ("de", "15,5 €", "15.50"),
        ("fr", "1\u202f234,50", "1234.50"),
        ("es", "1.234,50", "1234.50"),
        ("de_CH", "1'234.50", "1234.50"),
        ("en_US", "1,234.50", "1234.50"),
    ],
)
def test_amounts_are_read_in_the_persons_language(locale, typed, amount):
    assert parse_amount(typed, currency=currency("EUR"), locale=locale) == Decimal(amount)


@pytest.mark.parametrize("locale", ["de", "es"])
@pytest.mark.parametrize("typed", ["1.25", "15.00", "12.5", "1.2500", "1,250.00", ".75"])
def test_a_point_that_groups_thousands_is_never_guessed_to_be_a_decimal_point(locale, typed):
    # "1.250" is 1250 there: "1.25" read as 1.25 would be a thousand times off on one zero.
    with pytest.raises(AmountError, match=r"“\.” separates thousands and “,” the decimals.*125,50"):
        parse_amount(typed, currency=currency("EUR"), locale=locale)


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en_US", "$20"),
        ("en_US", "20USD"),
        ("en_US", "US$20"),
        ("de", "20 $"),
        ("fr", "20 $US"),
        ("es", "20 US$"),
    ],
)
def test_the_shifts_own_currency_may_be_typed_with_the_amount(locale, typed):
    assert parse_amount(typed, currency=currency("USD"), locale=locale) == Decimal("20.00")


@pytest.mark.parametrize(
    ("locale", "typed", "mark", "example"),
    [
        ("de", "1250,50 €", "€", "125,50"),
        ("en_US", "€20", "€", "125.50"),
        ("en_US", "EUR 20", "EUR", "125.50"),
        ("en_US", "£5", "£", "125.50"),
        ("en_US", "CA$20", "CA$", "125.50"),
        ("es", "20 JPY", "JPY", "125,50"),
    ],
)
def test_another_currency_is_refused_not_read_as_the_shifts(locale, typed, mark, example):
    with pytest.raises(AmountError) as refused:
        parse_amount(typed, currency=currency("USD"), locale=locale)
    assert str(refused.value) == (
        f"“{mark}” is another currency: type the amount in USD, like {example}."
    )


def test_a_dollar_sign_is_a_canadian_shifts_own():
    assert parse_amount("$20", currency=currency("CAD"), locale="en_US") == Decimal("20.00")


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
