"""Reading and writing the single values of a closing report: amounts, times, text, counts.

Readers raise UnreadablePart on a shape this version does not write; the report keeps such a
part as it was instead of failing.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sessions_app.finalpos.errors import FinalPOSBadResponse
from sessions_app.finalpos.records import time_from_wire, time_to_wire
from sessions_app.finalpos.wire import LARGEST_AMOUNT, THOUSANDTH, money_to_wire

LARGEST_NOTE = Decimal(1_000_000)
MOST_PIECES = 10_000_000


class UnreadablePart(ValueError):
    """A part of a report that does not have the shape this version writes."""


def amount_from_report(value: Any) -> Decimal | None:
    """A money value as stored in a report (text, or a number from older writers)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if not isinstance(value, str | int | float):
        raise UnreadablePart(f"not an amount: {value!r}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise UnreadablePart(f"not an amount: {value!r}") from None
    if not amount.is_finite() or abs(amount) >= LARGEST_AMOUNT:
        raise UnreadablePart(f"not an amount this dashboard holds: {value!r:.60}")
    exponent = amount.as_tuple().exponent  # exact: 0.125 KWD stays 0.125
    return amount.quantize(THOUSANDTH) if isinstance(exponent, int) and exponent < -3 else amount


def amount_or_none(value: Any) -> Decimal | None:
    """An amount, or None when the value is not one."""
    try:
        return amount_from_report(value)
    except UnreadablePart:
        return None


def amount_to_report(amount: Decimal | None) -> str | None:
    """Written as the wire writes money: two decimals, three when the amount has them."""
    return None if amount is None else money_to_wire(amount)


def read_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return time_from_wire(value)
    except FinalPOSBadResponse:
        raise UnreadablePart(f"not a time: {value!r}") from None


def time_text(moment: datetime | None) -> str | None:
    return None if moment is None else time_to_wire(moment)


def read_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise UnreadablePart(f"not text: {value!r}")
    return value


def read_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UnreadablePart(f"not an object: {value!r}")
    return value


def read_amounts(value: Any) -> dict[str, Decimal | None]:
    return {str(key): amount_from_report(amount) for key, amount in read_object(value).items()}


def amounts_text(amounts: dict[str, Decimal | None]) -> dict[str, str | None]:
    return {key: amount_to_report(amount) for key, amount in amounts.items()}


def read_counts(value: Any) -> dict[Decimal, int] | None:
    """A count of notes and coins: {"20": 6, "0.25": 4}."""
    if value is None:
        return None
    counts = {}
    for denomination, quantity in read_object(value).items():
        try:  # kept as written ("20", "0.10"), not rounded to cents
            amount = Decimal(denomination)
        except (InvalidOperation, TypeError):
            raise UnreadablePart(f"not a count: {value!r}") from None
        if not amount.is_finite() or not 0 < amount < LARGEST_NOTE or isinstance(quantity, bool):
            raise UnreadablePart(f"not a count: {value!r}")
        if not isinstance(quantity, int) or not 0 <= quantity <= MOST_PIECES:
            raise UnreadablePart(f"not a count: {value!r}")
        counts[amount] = quantity
    return counts


def counts_to_report(counts: dict[Decimal, int] | None) -> dict[str, int] | None:
    if counts is None:
        return None
    return {format(value, "f"): quantity for value, quantity in counts.items() if quantity}


@dataclass(frozen=True)
class RawEntry:
    """An entry of a list in a report that this version cannot read; written back as it was."""

    raw: Any
