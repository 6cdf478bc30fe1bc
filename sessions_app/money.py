"""Money rules: a currency's decimals (0, 2 or 3), exact storage, and cash rounding.

A currency's decimals come from CLDR through Babel (ISO 4217's exponent, or what CLDR records
is used: KWD 3, JPY 0, USD 2). Amounts are `Decimal`, never float; the totals keep integer
thousandths of a unit, exact for every currency. Pure functions: no database, no HTTP.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import cache

from babel.core import get_global
from babel.numbers import get_currency_precision, get_territory_currencies, is_currency
from django.conf import settings

# The most decimals any currency has (KWD, BHD, OMR, JOD, TND), and so what the index holds.
MOST_DECIMALS = 3
THOUSANDTH = Decimal("0.001")

HALF_UP, UP, DOWN = "half_up", "up", "down"
ROUNDING_MODES = (HALF_UP, UP, DOWN)
CASH_ONLY, EVERY_TENDER = "cash", "all"


@dataclass(frozen=True)
class Currency:
    code: str
    decimals: int

    @property
    def quantum(self) -> Decimal:
        """The smallest amount: 1 (JPY), 0.01 (USD), 0.001 (KWD)."""
        return Decimal(1).scaleb(-self.decimals)

    def exact(self, amount: Decimal) -> Decimal:
        """The amount with the currency's decimals: 6 -> 6.000 KWD. An amount with more
        decimals than the currency has is rounded half up (a computation never makes one;
        what people type is refused before it gets here)."""
        return amount.quantize(self.quantum, rounding=ROUND_HALF_UP)

    def from_thousandths(self, value: int) -> Decimal:
        """exact(from_thousandths(value)), without rounding when there is nothing to round
        (a sum of this currency's amounts): one Decimal, not three (insights make thousands)."""
        step = 10 ** (MOST_DECIMALS - self.decimals)
        if value % step:
            return self.exact(from_thousandths(value))
        return Decimal(value // step).scaleb(-self.decimals)

    def has_more_decimals(self, amount: Decimal) -> bool:
        return amount != amount.quantize(self.quantum, rounding=ROUND_DOWN)


@cache
def currency(code: str) -> Currency:
    """A currency by its ISO 4217 code; an unknown code keeps two decimals."""
    code = (code or settings.CURRENCY).upper()
    decimals = get_currency_precision(code) if is_currency(code) else 2
    return Currency(code=code, decimals=min(decimals, MOST_DECIMALS))


def is_known_currency(code: str) -> bool:
    return is_currency(code.upper())


@cache
def currencies_in_use() -> frozenset[str]:
    """The currencies some country or territory tenders today (CLDR, through Babel): what a
    drawer can hold. Not the withdrawn ones ISO 4217 still lists (ADP, DEM), nor funds and
    accounting codes (CHE, XDR), which `is_currency` knows too."""
    return frozenset(
        code
        for territory in get_global("territory_currencies")
        for code in get_territory_currencies(territory, tender=True, non_tender=False)
    )


def company_currency() -> Currency:
    return currency(settings.CURRENCY)


# --- The currency of the page being drawn --------------------------------------------------
# Like Django's active time zone: a shift's pages switch to its currency
# (views.common.shift_for_user_or_404), and OutletTimeZoneMiddleware puts it back.

_active: ContextVar[Currency | None] = ContextVar("active_currency", default=None)
# The outlet's own notes and coins, when it has them (sessions_app.cash.denominations).
_active_notes: ContextVar[tuple[Decimal, ...] | None] = ContextVar("active_notes", default=None)


def active_currency() -> Currency:
    return _active.get() or company_currency()


def active_notes() -> tuple[Decimal, ...] | None:
    return _active_notes.get()


# Where the outlet rounds cash (0.05 in Switzerland), the smallest coin: cash typed is a
# multiple of it.
_active_cash_step: ContextVar[Decimal | None] = ContextVar("active_cash_step", default=None)


def active_cash_step() -> Decimal | None:
    return _active_cash_step.get()


def activate(
    chosen: Currency, notes: tuple[Decimal, ...] | None = None, cash_step: Decimal | None = None
) -> None:
    _active.set(chosen)
    _active_notes.set(notes)
    _active_cash_step.set(cash_step)


def deactivate() -> None:
    _active.set(None)
    _active_notes.set(None)
    _active_cash_step.set(None)


@contextmanager
def using(chosen: Currency) -> Iterator[None]:
    token, notes = _active.set(chosen), _active_notes.set(None)
    step = _active_cash_step.set(None)
    try:
        yield
    finally:
        _active.reset(token)
        _active_notes.reset(notes)
        _active_cash_step.reset(step)


# --- Thousandths: the totals' exact integers ---------------------------------------------


def to_thousandths(amount: Decimal | float | str | None) -> int:
    """An amount as an integer number of thousandths of a unit (exact for 0, 2 and 3
    decimals); None is 0. A float from a database sum is read through its shortest text."""
    if amount is None:
        return 0
    return int((Decimal(str(amount)) * 1000).to_integral_value(rounding=ROUND_HALF_UP))


def from_thousandths(value: int) -> Decimal:
    return Decimal(value).scaleb(-3)


# --- Cash rounding -----------------------------------------------------------------------


# Up and down are away from and towards zero, as Odoo's cash rounding does: a refund rounds
# like the sale it undoes (15.72 and -15.72 both lose 0.02 rounded down to 0.05).
_MODES = {HALF_UP: ROUND_HALF_UP, UP: ROUND_UP, DOWN: ROUND_DOWN}


@dataclass(frozen=True)
class CashRounding:
    """How a sale paid in cash is rounded where the small coins are gone: to a multiple of
    ``increment`` (0.05 in Switzerland), half up, up or down, for cash only or every tender."""

    increment: Decimal
    mode: str = HALF_UP
    applies_to: str = CASH_ONLY

    @property
    def rounds(self) -> bool:
        return self.increment > 0

    def applies(self, method_key: str) -> bool:
        return self.rounds and (self.applies_to == EVERY_TENDER or method_key == "cash")

    def rounded(self, amount: Decimal) -> Decimal:
        """The amount paid: 15.72 -> 15.70 (0.05, half up)."""
        if not self.rounds:
            return amount
        steps = (amount / self.increment).to_integral_value(rounding=_MODES[self.mode])
        return steps * self.increment

    def adjustment(self, amount: Decimal) -> Decimal:
        """What rounding adds to the amount (negative when it takes away). Zero for an amount
        already on the increment: rounding an amount paid again changes nothing."""
        return self.rounded(amount) - amount


NO_ROUNDING = CashRounding(increment=Decimal(0))


def cldr_cash_increment(code: str) -> Decimal | None:
    """The cash rounding CLDR records for a currency (CHF and CAD: 0.05; SEK: 1), or None."""
    fractions = get_global("currency_fractions").get(code.upper())
    if not fractions:
        return None
    _digits, _rounding, cash_digits, cash_rounding = fractions
    increment = Decimal(cash_rounding or 1).scaleb(-cash_digits)
    return None if increment <= currency(code).quantum else increment
