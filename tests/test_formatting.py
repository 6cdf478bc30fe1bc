"""formatting.money and signed_money: the layout read once per language and currency writes
every amount exactly as Babel's pattern does."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from sessions_app import formatting
from sessions_app.formatting import ago, money, signed_money

LANGUAGES = ["en_US", "en_GB", "de", "de_CH", "fr", "fr_CH", "es", "ja", "ar", "en_IN"]
CURRENCIES = ["USD", "EUR", "CHF", "JPY", "KWD", "INR", "XYZ"]
AMOUNTS = st.decimals(min_value=0, max_value=Decimal("1e12"), places=4, allow_nan=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", CURRENCIES)
@settings(max_examples=30)
@given(amount=AMOUNTS)
def test_the_layout_writes_what_babel_writes(language: str, code: str, amount: Decimal) -> None:
    layout = formatting._layout(language, code)
    if layout is not None:  # None: Babel writes each amount of that pattern
        assert layout.write(amount) == formatting._babel_format(amount, language, code)


def test_languages_without_a_plain_layout_are_written_by_babel() -> None:
    assert formatting._layout("en_IN", "INR") is None  # 12,34,567.00: groups of two
    with translation.override("en-in"):
        assert money(Decimal("1234567"), "INR") == "₹12,34,567.00"


def test_amounts_read_in_the_active_language() -> None:
    with translation.override("en-us"):
        assert signed_money(Decimal("-1234.5"), "USD") == "\u2212$1,234.50"
        assert money(Decimal("6"), "KWD") == "KWD\u00a06.000"
        assert signed_money(Decimal("2480"), "JPY") == "+¥2,480"
    with translation.override("de"):
        assert money(Decimal("1234.5"), "EUR") == "1.234,50\u00a0€"
    with translation.override("fr"):
        assert signed_money(Decimal("0"), "EUR") == "0,00\u00a0€"


@pytest.mark.parametrize(
    ("age", "words"),
    [
        (timedelta(hours=3), "vor 3\xa0Stunden"),
        (timedelta(days=1), "vor 1\xa0Tag"),
        (timedelta(days=2), "vor 2\xa0Tagen"),
        (timedelta(days=70), "vor 2\xa0Monaten"),
        (timedelta(days=800), "vor 2\xa0Jahren"),
    ],
)
def test_how_long_ago_reads_as_german_says_it(age, words):
    with translation.override("de"):
        assert ago(timezone.now() - age) == words
