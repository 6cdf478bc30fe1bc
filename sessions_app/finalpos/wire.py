"""The wire format of the Final POS API: ids, money and times, read tolerantly and written
strictly (money as decimal strings with two decimals, three for a three-decimal currency;
times as UTC ISO 8601 with milliseconds and ``Z``)."""

import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from sessions_app.finalpos.errors import FinalPOSBadResponse, InvalidFinalPOSId

CENT = Decimal("0.01")
THOUSANDTH = Decimal("0.001")
# What the dashboard's tables hold (15 digits with 3 decimals), and years whose dates convert
# to any time zone: a record outside these is shown as unreadable, never a crash.
LARGEST_AMOUNT = Decimal("1000000000000")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
_ID_PATTERN = re.compile(r"[A-Za-z0-9]{24}")


def validate_id(value: object) -> str:
    """Returns the id if it can go into a URL path, else raises InvalidFinalPOSId."""
    if not isinstance(value, str) or not _ID_PATTERN.fullmatch(value):
        raise InvalidFinalPOSId()
    return value


def is_valid_id(value: object) -> bool:
    return isinstance(value, str) and bool(_ID_PATTERN.fullmatch(value))


def money_to_wire(amount: Decimal) -> str:
    """Two decimals as the contract shows them ("200.00", and "2480.00" for yen), three when
    the amount needs them (6.125 KWD): never rounded to cents."""
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if cents == amount:
        return str(cents)
    return str(amount.quantize(THOUSANDTH, rounding=ROUND_HALF_UP))


def money_from_wire(value: Any, *, name: str = "amount") -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _unreadable(name)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _unreadable(name) from None
    if not amount.is_finite():
        raise _unreadable(name)
    if abs(amount) >= LARGEST_AMOUNT:
        raise _beyond_range(name, value)
    # Exactly as sent: 0.125 stays 0.125 (a three-decimal currency). No currency has more
    # than three decimals; a fourth is beyond what the index holds and is rounded away.
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        return amount.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
    return amount


def optional_money(value: Any, *, name: str) -> Decimal | None:
    return None if value in (None, "") else money_from_wire(value, name=name)


def time_to_wire(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Final POS times must be timezone-aware")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def time_from_wire(value: Any, *, name: str = "time") -> datetime:
    if not isinstance(value, str) or not value:
        raise _unreadable(name)
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _unreadable(name) from None
    if moment.tzinfo is None:  # the contract's times are UTC even when unmarked
        moment = moment.replace(tzinfo=UTC)
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise _beyond_range(name, value)
    return moment


def optional_time(value: Any, *, name: str) -> datetime | None:
    return None if value in (None, "") else time_from_wire(value, name=name)


def _unreadable(name: str) -> FinalPOSBadResponse:
    return FinalPOSBadResponse(
        _("Final POS sent an unreadable “%(field)s”."), params={"field": name}
    )


def _beyond_range(name: str, value: Any) -> FinalPOSBadResponse:
    return FinalPOSBadResponse(
        _("Final POS holds a “%(field)s” the dashboard cannot hold (%(value)s)."),
        params={"field": name, "value": f"{value!s:.40}"},
    )
