"""formatting.money and signed_money: the layout read once per language and currency writes
every amount exactly as Babel's pattern does."""

from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision, get_decimal_symbol
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from sessions_app import formatting
from sessions_app.formatting import coin_label, differences_text, money, signed_money

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


# A tender's label is a name (a brand: "Oliver Pay"): a sentence writes it as the page's
# labels do, and a tender the dashboard is not configured for by its name, not its key.
@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en-us",
            "Cash short by $22.73, Oliver Pay short by $54.65, Gift card over by $3.00",
        ),
        (
            "de",
            "Fehlbetrag von 22,73\xa0$ bei Bar, Fehlbetrag von 54,65\xa0$ bei Oliver Pay, "
            "Überschuss von 3,00\xa0$ bei Geschenkkarte",
        ),
        (
            "fr",
            "Espèces\xa0: manquant de 22,73\xa0$US, Oliver Pay\xa0: manquant de 54,65\xa0$US, "
            "Carte cadeau\xa0: excédent de 3,00\xa0$US",
        ),
        (
            "es",
            "faltante de 22,73\xa0US$ en Efectivo, faltante de 54,65\xa0US$ en Oliver Pay, "
            "sobrante de 3,00\xa0US$ en Tarjeta regalo",
        ),
    ],
)
def test_each_tender_is_named_by_its_label_in_the_differences(language, words):
    variances = {
        "cash": Decimal("-22.73"),
        "card": Decimal("0"),
        "oliverPay": Decimal("-54.65"),
        "gift_card": Decimal("3"),
    }
    with translation.override(language):
        assert differences_text(variances) == words


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en-us", ["$100", "$0.25", "€0.50", "KWD\xa00.005", "¥10,000"]),
        ("de", ["100\xa0$", "0,25\xa0$", "0,50\xa0€", "0,005\xa0KWD", "10.000\xa0¥"]),
        ("fr", ["100\xa0$US", "0,25\xa0$US", "0,50\xa0€", "0,005\xa0KWD", "10\u202f000\xa0JPY"]),
        ("es", ["100\xa0US$", "0,25\xa0US$", "0,50\xa0€", "0,005\xa0KWD", "10.000\xa0JPY"]),
    ],
)
def test_notes_and_coins_read_as_the_languages_money(language, labels):
    pieces = [("100", "USD"), ("0.25", "USD"), ("0.50", "EUR"), ("0.005", "KWD"), ("10000", "JPY")]
    with translation.override(language):
        assert [coin_label(Decimal(value), code) for value, code in pieces] == labels


@pytest.mark.parametrize("language", ["en-us", "en-gb", "de", "de-ch", "fr", "es", "ja", "en-in"])
@pytest.mark.parametrize("code", CURRENCIES)
def test_a_whole_note_is_its_money_without_the_decimals(language, code):
    places = get_currency_precision(code)
    with translation.override(language):
        decimals = get_decimal_symbol(formatting.current_locale()) + "0" * places if places else ""
        for value in (Decimal(1), Decimal(20), Decimal(1000), Decimal(100000)):
            assert coin_label(value, code) == money(value, code).replace(decimals, "")


@pytest.mark.parametrize("language", ["en-us", "de", "fr", "es", "ja"])
@pytest.mark.parametrize("code", ["USD", "EUR", "JPY", "KWD"])
def test_the_browsers_count_total_is_written_as_the_pages_money(language, code):
    """The notes-and-coins total is added up in the browser: what goes around its digits
    (static/js/site.js) makes it read as the server writes money."""
    with translation.override(language):
        prefix, suffix = formatting.money_affixes(code)
        amount = Decimal("1234.5")
        written = money(amount, code)
        assert written.startswith(prefix) and written.endswith(suffix)
        assert written[len(prefix) : len(written) - len(suffix)][0].isdigit()
        assert prefix or suffix


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["over", "short", "not available"]),
        ("de", ["Überschuss", "Fehlbetrag", "nicht verfügbar"]),
    ],
)
def test_a_result_inside_a_sentence_is_translated_when_asked(language, words):
    with translation.override(language):
        assert [
            formatting.result_word("over"),
            formatting.result_word("short"),
            formatting.result_word(None),
        ] == words


def test_a_result_label_is_translated_when_asked():
    labels = []
    for language in ["de", "en"]:
        with translation.override(language):
            labels.append([formatting.result_label("short"), formatting.result_label("")])
    assert labels == [["Fehlbetrag", "Nicht verfügbar"], ["Short", "Not available"]]
