"""An outlet's rules: its time zone for the business day, the difference that needs a reason
or a manager's approval, the float to leave in the drawer, whether cashiers count blind, and
the cash movement a manager must approve. Each is the outlet's own setting
(models.OutletSettings) where one is set, else the site-wide default from the environment."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from sessions_app.closing import VariancePolicy
from sessions_app.models import OutletSettings


@dataclass(frozen=True)
class OutletPolicy:
    time_zone: ZoneInfo
    variance: VariancePolicy
    target_float: Decimal
    blind_count: bool
    movement_approval_limit: Decimal

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


def _policy(outlet_id: str, row: OutletSettings | None) -> OutletPolicy:
    def chosen[T](value: T | None, default: T) -> T:
        return default if value is None else value

    default_float = settings.TARGET_FLOAT_BY_OUTLET.get(outlet_id, settings.TARGET_FLOAT)
    if row is None:
        row = OutletSettings(outlet_id=outlet_id)
    return OutletPolicy(
        time_zone=_zone(row.time_zone),
        variance=VariancePolicy(
            reason_threshold=chosen(
                row.variance_reason_threshold, settings.VARIANCE_REASON_THRESHOLD
            ),
            approval_threshold=chosen(
                row.variance_approval_threshold, settings.VARIANCE_APPROVAL_THRESHOLD
            ),
        ),
        target_float=chosen(row.target_float, default_float),
        blind_count=chosen(row.blind_count, settings.BLIND_COUNT),
        movement_approval_limit=chosen(
            row.movement_approval_limit, settings.MOVEMENT_APPROVAL_LIMIT
        ),
    )


def outlet_policy(outlet_id: str | None) -> OutletPolicy:
    """The rules of one outlet (the site's defaults for a shift whose outlet is unknown)."""
    outlet_id = outlet_id or ""
    return _policy(outlet_id, OutletSettings.objects.filter(outlet_id=outlet_id).first())


def outlet_policies(outlet_ids: Iterable[str]) -> dict[str, OutletPolicy]:
    """The rules of several outlets in one query."""
    wanted = set(outlet_ids)
    rows = {row.outlet_id: row for row in OutletSettings.objects.filter(outlet_id__in=wanted)}
    return {outlet_id: _policy(outlet_id, rows.get(outlet_id)) for outlet_id in wanted}


def counts_blind(*, outlet_id: str | None, is_manager: bool) -> bool:
    """Whether the person counts before seeing what is expected: cashiers at an outlet that
    counts blind, wherever expected would show (the close, the X report); managers never."""
    return outlet_policy(outlet_id).blind_count and not is_manager
