"""Money as people type it, notes and coins per currency, and what to bank at close.

Pure functions on Decimal: no database, no HTTP. Forms and the closing report build on them.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sessions_app.closing_report import CashDrop
from sessions_app.finalpos.records import CENT

MAX_AMOUNT = Decimal("1000000000")  # no till holds a billion; anything above is a typo

# Digits with an optional decimal point and at most two decimals; thousands separated by
# commas are accepted only in their proper places ("1,250.00", not "12,50").
_AMOUNT_PATTERN = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{0,2})?|\.\d{1,2}")
_CURRENCY_SYMBOLS = "$€£¥"


class AmountError(ValueError):
    """Why a typed amount was refused, in words for the person who typed it."""


def parse_amount(text: str) -> Decimal:
    """Parses a non-negative amount with at most two decimals, as typed at a till."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    for symbol in _CURRENCY_SYMBOLS:
        cleaned = cleaned.removeprefix(symbol)
    if cleaned.startswith("-"):
        raise AmountError("Amounts cannot be negative.")
    cleaned = cleaned.removeprefix("+")
    if not cleaned:
        raise AmountError("Enter an amount.")
    if not _AMOUNT_PATTERN.fullmatch(cleaned):
        if re.fullmatch(r"\d*\.\d{3,}", cleaned):
            raise AmountError("Use at most two decimals (cents).")
        raise AmountError("Enter an amount like 125.50.")
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise AmountError("Enter an amount like 125.50.") from None
    if amount > MAX_AMOUNT:
        raise AmountError("That amount is too large; check the number of digits.")
    return amount.quantize(CENT)


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
        if self.value >= 1:
            return format(self.value.normalize(), "f")
        return format(self.value.quantize(CENT), "f")

    @property
    def is_coin(self) -> bool:
        return self.value < 1


DEFAULT_DENOMINATIONS: dict[str, list[str]] = {
    "USD": ["100", "50", "20", "10", "5", "1", "0.25", "0.10", "0.05", "0.01"],
    "EUR": [
        "200",
        "100",
        "50",
        "20",
        "10",
        "5",
        "2",
        "1",
        "0.50",
        "0.20",
        "0.10",
        "0.05",
        "0.02",
        "0.01",
    ],
    "GBP": ["50", "20", "10", "5", "2", "1", "0.50", "0.20", "0.10", "0.05", "0.02", "0.01"],
    "CAD": ["100", "50", "20", "10", "5", "2", "1", "0.25", "0.10", "0.05"],
    "AUD": ["100", "50", "20", "10", "5", "2", "1", "0.50", "0.20", "0.10", "0.05"],
}


def denominations() -> list[Denomination]:
    """The notes and coins to count, largest first (CASH_DENOMINATIONS or the currency's)."""
    raw = settings.CASH_DENOMINATIONS or DEFAULT_DENOMINATIONS.get(settings.CURRENCY, [])
    try:
        values = sorted({Decimal(value) for value in raw}, reverse=True)
    except InvalidOperation as error:
        raise ImproperlyConfigured(
            f"CASH_DENOMINATIONS must be amounts like 20,10,5,0.25, not {raw!r}"
        ) from error
    if any(not value.is_finite() or value <= 0 for value in values):
        raise ImproperlyConfigured("CASH_DENOMINATIONS must be positive amounts.")
    return [Denomination(value) for value in values]


def count_total(counts: dict[Decimal, int]) -> Decimal:
    return sum((value * quantity for value, quantity in counts.items()), Decimal(0)).quantize(CENT)


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


def target_float_for(outlet_id: str) -> Decimal:
    return settings.TARGET_FLOAT_BY_OUTLET.get(outlet_id, settings.TARGET_FLOAT)
