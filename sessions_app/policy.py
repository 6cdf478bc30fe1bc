"""An outlet's rules: its time zone for the business day, its currency and cash rounding, the
notes and coins counted, the difference that needs a reason or a manager's approval, the float
to leave in the drawer, whether cashiers count blind, and the cash movement a manager must
approve. Each is the outlet's own setting (models.OutletSettings) where one is set, else the
site-wide default from the environment (the float and the notes and coins: the currency's)."""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from sessions_app import money
from sessions_app.cash import Denomination, default_target_float, denominations
from sessions_app.closing.sales import DrawerMoney
from sessions_app.closing.variance import VariancePolicy
from sessions_app.models import OutletSettings, SessionRecord
from sessions_app.money import CashRounding, Currency, currency


@dataclass(frozen=True)
class OutletPolicy:
    time_zone: ZoneInfo
    variance: VariancePolicy
    target_float: Decimal
    blind_count: bool
    movement_approval_limit: Decimal
    currency: Currency
    cash_rounding: CashRounding
    denominations: list[Denomination]

    def business_date(self, moment: datetime) -> date:
        """The day a shift that opened at this moment belongs to, in the outlet's time."""
        return moment.astimezone(self.time_zone).date()


def site_time_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else site_time_zone()
    except (ZoneInfoNotFoundError, ValueError):  # a zone this machine's tz data lacks
        return site_time_zone()


def site_amount_in(amount: Decimal, money: Currency) -> Decimal:
    """A site-wide amount (a threshold, a float: set in the site's currency) for an outlet in
    another currency. No exchange rate is known, so it keeps its size against a usual float
    in each: a 5.00 USD reason threshold is 750 yen, not 5."""
    site = currency(settings.CURRENCY)
    if money == site:
        return amount
    return money.exact(amount * default_target_float(money) / default_target_float(site))


def _policy(outlet_id: str, row: OutletSettings | None) -> OutletPolicy:
    def chosen[T](value: T | None, default: T) -> T:
        return default if value is None else value

    if row is None:
        row = OutletSettings(outlet_id=outlet_id)
    money = currency(row.currency or settings.CURRENCY)
    default_float = settings.TARGET_FLOAT_BY_OUTLET.get(outlet_id)
    if default_float is None:
        default_float = (
            default_target_float(money)
            if settings.TARGET_FLOAT is None
            else site_amount_in(settings.TARGET_FLOAT, money)
        )
    return OutletPolicy(
        time_zone=_zone(row.time_zone),
        variance=VariancePolicy(
            reason_threshold=chosen(
                row.variance_reason_threshold,
                site_amount_in(settings.VARIANCE_REASON_THRESHOLD, money),
            ),
            approval_threshold=chosen(
                row.variance_approval_threshold,
                site_amount_in(settings.VARIANCE_APPROVAL_THRESHOLD, money),
            ),
        ),
        target_float=chosen(row.target_float, default_float),
        blind_count=chosen(row.blind_count, settings.BLIND_COUNT),
        movement_approval_limit=chosen(
            row.movement_approval_limit, site_amount_in(settings.MOVEMENT_APPROVAL_LIMIT, money)
        ),
        currency=money,
        cash_rounding=CashRounding(
            increment=chosen(row.cash_rounding, settings.CASH_ROUNDING),
            mode=row.cash_rounding_mode or settings.CASH_ROUNDING_MODE,
            applies_to=row.cash_rounding_applies_to or settings.CASH_ROUNDING_APPLIES_TO,
        ),
        denominations=denominations(money, row.denominations or None),
    )


# Each outlet's rules read once per request: an open or a close asks for them from the form,
# the numbering, the index and the totals. OutletTimeZoneMiddleware starts and ends the memo
# (none outside a request: a worker reads them each time), and a change of rules forgets it.
_REMEMBERED: ContextVar[dict[str, OutletPolicy] | None] = ContextVar(
    "outlet_policies", default=None
)


@contextmanager
def policies_remembered() -> Iterator[None]:
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def policies_forget() -> None:
    remembered = _REMEMBERED.get()
    if remembered is not None:
        remembered.clear()


def outlet_policy(outlet_id: str | None) -> OutletPolicy:
    """The rules of one outlet (the site's defaults for a shift whose outlet is unknown)."""
    outlet_id = outlet_id or ""
    remembered = _REMEMBERED.get()
    if remembered is not None and outlet_id in remembered:
        return remembered[outlet_id]
    policy = _policy(outlet_id, OutletSettings.objects.filter(outlet_id=outlet_id).first())
    if remembered is not None:
        remembered[outlet_id] = policy
    return policy


def outlet_policies(outlet_ids: Iterable[str]) -> dict[str, OutletPolicy]:
    """The rules of several outlets in one query."""
    wanted = set(outlet_ids)
    rows = {row.outlet_id: row for row in OutletSettings.objects.filter(outlet_id__in=wanted)}
    return {outlet_id: _policy(outlet_id, rows.get(outlet_id)) for outlet_id in wanted}


def outlet_currencies(outlet_ids: Iterable[str]) -> set[str]:
    """The currencies of several outlets (the site's where an outlet has none of its own), as
    outlet_policies would give them, from one small query and no rules built."""
    wanted = set(outlet_ids)
    own = dict(
        OutletSettings.objects.filter(outlet_id__in=wanted).values_list("outlet_id", "currency")
    )
    return {currency(own.get(outlet_id) or settings.CURRENCY).code for outlet_id in wanted}


# Each outlet's time zone, read once for a page of many outlets' times (the rows of the audit,
# the review queue, an e-mail): cleared after every request by OutletTimeZoneMiddleware, and
# read again when older than a few seconds outside a request (the worker's e-mails).
_ZONES: dict[str, ZoneInfo] = {}
_ZONES_READ_AT = [0.0]
_ZONES_KEPT_SECONDS = 5.0


def outlet_zone(outlet_id: str | None) -> ZoneInfo:
    """The outlet's time zone (the site's for an unknown outlet)."""
    if not outlet_id:
        return site_time_zone()
    if not _ZONES or time.monotonic() - _ZONES_READ_AT[0] > _ZONES_KEPT_SECONDS:
        forget_outlet_zones()
        _ZONES.update(
            (key, _zone(name))
            for key, name in OutletSettings.objects.exclude(time_zone="").values_list(
                "outlet_id", "time_zone"
            )
        )
        _ZONES[""] = site_time_zone()  # read, even when no outlet has its own zone
        _ZONES_READ_AT[0] = time.monotonic()
    return _ZONES.get(outlet_id) or site_time_zone()


def forget_outlet_zones() -> None:
    _ZONES.clear()


def counts_blind(*, outlet_id: str | None, is_manager: bool) -> bool:
    """Whether the person counts before seeing what is expected: cashiers at an outlet that
    counts blind, wherever expected would show (the close, the X report); managers never."""
    return outlet_policy(outlet_id).blind_count and not is_manager


def recount_allowed(*, outlet_id: str | None, is_manager: bool) -> bool:
    """Whether the count may be edited after the review step: always when the count is not
    blind; after a blind count only where the site lets a recount follow the reveal (the
    first count checked against expected is kept either way, services/blind_count.py)."""
    return settings.BLIND_RECOUNT_AFTER_REVEAL or not counts_blind(
        outlet_id=outlet_id, is_manager=is_manager
    )


def drawer_money(outlet_id: str | None, currency_code: str = "") -> DrawerMoney:
    """What a shift's sales are counted in: its own currency (fixed when it was first indexed;
    the outlet's for a new one) and the outlet's cash rounding."""
    policy = outlet_policy(outlet_id)
    chosen = currency(currency_code) if currency_code else policy.currency
    return DrawerMoney(currency=chosen, rounding=policy.cash_rounding)


def shift_money(record: SessionRecord) -> DrawerMoney:
    return drawer_money(record.outlet_id, record.currency)


def outlet_money_activate(outlet_id: str | None, currency_code: str = "") -> OutletPolicy:
    """The page reads and takes amounts in this outlet's currency (a shift's own, when given)
    and counts its notes and coins, until OutletTimeZoneMiddleware resets it."""
    policy = outlet_policy(outlet_id)
    chosen = currency(currency_code) if currency_code else policy.currency
    own = chosen == policy.currency
    notes = tuple(d.value for d in policy.denominations) if own else None
    rounding = policy.cash_rounding
    # Cash is whole coins of the rounding's step only where no smaller coin is counted (euro
    # outlets that round to 0.05 may still count 1 and 2 cent coins).
    coins_fit = all(value >= rounding.increment for value in notes or ())
    step = rounding.increment if own and rounding.rounds and coins_fit else None
    money.activate(chosen, notes, step)
    return policy
