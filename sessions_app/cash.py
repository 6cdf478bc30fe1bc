"""Money as people type it, notes and coins per currency, and what to bank at close.

Pure functions on Decimal: no database, no HTTP. Forms and the closing report build on them.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.core import Locale
from babel.numbers import (
    format_decimal,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    is_currency,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language, gettext, to_locale

from sessions_app.closing.parts import CashDrop
from sessions_app.money import Currency, active_currency, active_notes

MAX_AMOUNT = Decimal("1000000000")  # no till holds a billion; anything above is a typo

_SPACES = " \u00a0\u202f"  # a space, and the no-break spaces some locales group with


class AmountError(ValueError):
    """Why a typed amount was refused, in words for the person who typed it."""


def current_locale() -> str:
    """The Babel locale of the active language: en-us -> en_US, de -> de."""
    return to_locale(get_language() or settings.LANGUAGE_CODE)


@cache
def _pattern(locale: str) -> tuple[re.Pattern[str], str, str]:
    """Digits with the locale's decimal sign, and its group sign only in its proper places
    ("1,250.00" in English, "1.250,00" in German; never "12,50" in English)."""
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    if group in _SPACES:
        group = ""  # spaces are taken out before matching
    grouped = rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+|" if group else ""
    point = re.escape(decimal)
    return re.compile(rf"(?:{grouped}\d+)(?:{point}\d*)?|{point}\d+"), decimal, group


def _example(currency: Currency, locale: str) -> str:
    example = Decimal("1250") if currency.decimals == 0 else Decimal("125.5")
    return format_decimal(
        currency.exact(example), format="0." + "0" * currency.decimals, locale=locale
    ).rstrip(".")


def _is_currency_sign(character: str) -> bool:
    return unicodedata.category(character) == "Sc"  # $, €, £, ¥, ₹ …


@cache
def _own_marks(code: str, locale: str) -> frozenset[str]:
    """What may stand before or after an amount in this currency: its code, its symbol in the
    person's language and the site's others ("$", "US$", "$US"), and the sign within them."""
    languages = {locale, *(to_locale(language) for language, _name in settings.LANGUAGES)}
    symbols = {get_currency_symbol(code, language) for language in languages}
    signs = {
        character for symbol in symbols for character in symbol if _is_currency_sign(character)
    }
    return frozenset({code, *symbols, *signs})


@cache
def _currency_symbols(locale: str) -> frozenset[str]:
    """Every currency's symbol in the person's language and in English ("CA$", "R$", "₹")."""
    return frozenset(
        symbol for name in (locale, "en") for symbol in Locale.parse(name).currency_symbols.values()
    )


def _is_currency_mark(text: str, locale: str) -> bool:
    return (
        any(_is_currency_sign(character) for character in text)
        or (text.isupper() and is_currency(text))
        or text in _currency_symbols(locale)
    )


def _split_marks(text: str, number_signs: str) -> tuple[str, str, str]:
    """What is typed before the number, the number, and what after: "US$", "12,50", ""."""
    inside = [i for i, ch in enumerate(text) if ch.isdecimal() or ch in number_signs]
    if not inside:
        return text, "", ""
    return text[: inside[0]], text[inside[0] : inside[-1] + 1], text[inside[-1] + 1 :]


def parse_amount(
    text: str, *, currency: Currency | None = None, locale: str | None = None
) -> Decimal:
    """Parses a non-negative amount as typed at a till, in the person's locale ("15,00" in
    German), with at most the currency's decimals (none for JPY, three for KWD). The shift's
    own currency may be written with it ("$20", "20 USD"), never another's ("20 €")."""
    currency = currency or active_currency()
    locale = locale or current_locale()
    pattern, decimal, group = _pattern(locale)
    example = {"example": _example(currency, locale)}
    typed = "".join(ch for ch in text.strip() if ch not in _SPACES)
    before, cleaned, after = _split_marks(typed, f"+-.{decimal}{group}")
    for mark in (before, after):
        if not mark or mark in _own_marks(currency.code, locale):
            continue
        if _is_currency_mark(mark, locale):
            raise AmountError(
                gettext(
                    "“%(mark)s” is another currency: type the amount in %(currency)s, like "
                    "%(example)s."
                )
                % {"mark": mark, "currency": currency.code, **example}
            )
        raise AmountError(gettext("Enter an amount like %(example)s.") % example)
    if cleaned.startswith("-"):
        raise AmountError(gettext("Amounts cannot be negative."))
    cleaned = cleaned.removeprefix("+")
    if not cleaned:
        raise AmountError(gettext("Enter an amount."))
    if decimal != "." and group != "." and re.fullmatch(r"\d+\.\d{1,2}", cleaned):
        # A keypad's point where a comma is usual and a point means nothing else ("15.00" in
        # French). Where the point groups thousands (German), "1.25" and "1.250" would be a
        # thousand times apart on one zero: such a point is refused below, not guessed.
        cleaned = cleaned.replace(".", decimal)
    if not pattern.fullmatch(cleaned):
        if group == "." and "." in cleaned:
            raise AmountError(
                gettext(
                    "Here “%(group)s” separates thousands and “%(decimal)s” the decimals: "
                    "type an amount like %(example)s."
                )
                % {"group": group, "decimal": decimal, **example}
            )
        raise AmountError(gettext("Enter an amount like %(example)s.") % example)
    number = cleaned.replace(group, "") if group else cleaned
    try:
        amount = Decimal(number.replace(decimal, "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise AmountError(gettext("Enter an amount like %(example)s.") % example) from None
    if amount > MAX_AMOUNT:  # first: a number this long cannot even be rounded
        raise AmountError(gettext("That amount is too large; check the number of digits."))
    if currency.has_more_decimals(amount):
        raise AmountError(too_many_decimals(currency))
    return currency.exact(amount)


def too_many_decimals(currency: Currency) -> str:
    if currency.decimals == 0:
        return gettext("%(currency)s amounts have no decimals: type whole amounts.") % {
            "currency": currency.code
        }
    if currency.decimals == 2:
        return gettext("Use at most two decimals.")
    return gettext("Use at most %(decimals)d decimals.") % {"decimals": currency.decimals}


# --- Notes and coins ------------------------------------------------------------------------


@dataclass(frozen=True)
class Denomination:
    value: Decimal

    @property
    def field_name(self) -> str:
        """A form field name for this note or coin: 0.25 -> count_0_25, 20 -> count_20."""
        return "count_" + format(self.value.normalize(), "f").replace(".", "_")

    @property
    def label(self) -> str:
        """20 -> "20", 0.1 -> "0.10", 0.005 -> "0.005"."""
        if self.value >= 1:
            return format(self.value.normalize(), "f")
        exponent = self.value.normalize().as_tuple().exponent
        places = max(2, -exponent if isinstance(exponent, int) else 2)
        return format(self.value.quantize(Decimal(1).scaleb(-places)), "f")

    @property
    def is_coin(self) -> bool:
        return self.value < 1


# The notes and coins in circulation, largest first (a till rarely holds the largest notes,
# but a count must be able to say so).
DEFAULT_DENOMINATIONS: dict[str, list[str]] = {
    code: values.split()
    for code, values in {
        "USD": "100 50 20 10 5 1 0.25 0.10 0.05 0.01",
        "EUR": "200 100 50 20 10 5 2 1 0.50 0.20 0.10 0.05 0.02 0.01",
        "GBP": "50 20 10 5 2 1 0.50 0.20 0.10 0.05 0.02 0.01",
        "CAD": "100 50 20 10 5 2 1 0.25 0.10 0.05",
        "AUD": "100 50 20 10 5 2 1 0.50 0.20 0.10 0.05",
        "NZD": "100 50 20 10 5 2 1 0.50 0.20 0.10",
        "CHF": "1000 200 100 50 20 10 5 2 1 0.50 0.20 0.10 0.05",
        "SEK": "1000 500 200 100 50 20 10 5 2 1",
        "JPY": "10000 5000 2000 1000 500 100 50 10 5 1",
        "KWD": "20 10 5 1 0.500 0.250 0.100 0.050 0.020 0.010 0.005",
        "INR": "500 200 100 50 20 10 5 2 1",
    }.items()
}

# What to leave in the drawer for the next shift when neither the outlet nor TARGET_FLOAT
# says: a usual float in each currency (200 US dollars would be two coins in yen).
DEFAULT_TARGET_FLOATS: dict[str, str] = {
    "USD": "200",
    "EUR": "150",
    "GBP": "150",
    "CAD": "200",
    "AUD": "200",
    "NZD": "200",
    "CHF": "200",
    "SEK": "2000",
    "JPY": "30000",
    "KWD": "50",
    "INR": "5000",
}


def parse_denominations(raw: list[str] | str) -> list[Decimal]:
    """Notes and coins as configured ("100,50,0.25"), largest first; ValueError when not."""
    items = [item.strip() for item in raw.split(",")] if isinstance(raw, str) else list(raw)
    try:
        values = sorted({Decimal(item) for item in items if item}, reverse=True)
    except InvalidOperation:
        raise ValueError(f"not amounts like 20,10,5,0.25: {raw!r}") from None
    if any(not value.is_finite() or value <= 0 for value in values):
        raise ValueError("notes and coins must be positive amounts")
    return values


def denominations(
    currency: Currency | None = None, configured: list[str] | str | None = None
) -> list[Denomination]:
    """The notes and coins to count, largest first: the outlet's own, else
    CASH_DENOMINATIONS, else the currency's (with no arguments: those of the page's outlet)."""
    if currency is None and configured is None and (notes := active_notes()) is not None:
        return [Denomination(value) for value in notes]
    currency = currency or active_currency()
    raw = configured or settings.CASH_DENOMINATIONS or DEFAULT_DENOMINATIONS.get(currency.code, [])
    try:
        values = parse_denominations(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"CASH_DENOMINATIONS: {error}") from error
    return [Denomination(value) for value in values]


def default_target_float(currency: Currency) -> Decimal:
    return currency.exact(Decimal(DEFAULT_TARGET_FLOATS.get(currency.code, "200")))


def count_total(counts: dict[Decimal, int]) -> Decimal:
    """Exact: the notes and coins of any currency add up to its own decimals."""
    return sum((value * quantity for value, quantity in counts.items()), Decimal(0))


# --- What to leave in the drawer and what to bank --------------------------------------------


def cash_drop_plan(
    *, counted_cash: Decimal, target_float: Decimal, counts: dict[Decimal, int] | None = None
) -> CashDrop:
    """Banks everything above the target float, largest notes first.

    With a denomination count, only whole notes and coins can move, so what is left may be a
    little above the target when the drawer holds no small enough change.
    """
    to_bank = max(counted_cash - target_float, Decimal(0))
    if not counts:
        return CashDrop(
            target_float=target_float,
            leave=counted_cash - to_bank,
            bank=to_bank,
            leave_counts=None,
            bank_counts=None,
        )
    remaining = to_bank
    bank_counts: dict[Decimal, int] = {}
    leave_counts: dict[Decimal, int] = {}
    for value in sorted(counts, reverse=True):
        quantity = counts[value]
        banked = min(quantity, int(remaining // value)) if value > 0 else 0
        bank_counts[value] = banked
        leave_counts[value] = quantity - banked
        remaining -= banked * value
    bank = count_total(bank_counts)
    return CashDrop(
        target_float=target_float,
        leave=count_total(leave_counts),
        bank=bank,
        leave_counts=leave_counts,
        bank_counts=bank_counts,
    )
