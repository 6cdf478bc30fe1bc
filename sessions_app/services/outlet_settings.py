"""An outlet's own rules (time zone, thresholds, float, blind count, movement limit), kept in
the dashboard: Final POS outlets carry none."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions_app.models import AuditEntry, Outlet, OutletSettings, SessionRecord
from sessions_app.policy import outlet_policy, policies_forget
from sessions_app.roles import User
from sessions_app.services.audit import audit_write
from sessions_app.services.daily_totals import daily_totals_update
from sessions_app.services.errors import CurrencyHasHistory

OUTLET_POLICY_FIELDS = (
    "time_zone",
    "currency",
    "cash_rounding",
    "cash_rounding_mode",
    "cash_rounding_applies_to",
    "denominations",
    "variance_reason_threshold",
    "variance_approval_threshold",
    "target_float",
    "blind_count",
    "movement_approval_limit",
)


# Kept as "" (not NULL) when blank.
TEXT_FIELDS = (
    "time_zone",
    "currency",
    "cash_rounding_mode",
    "cash_rounding_applies_to",
    "denominations",
)


def _refuse_currency_change(outlet: Outlet, *, before: str, after: str) -> None:
    """A new currency for an outlet whose shifts are in another is refused: their amounts
    would be read as the new currency's. (Each shift keeps its own currency in the index, so
    a change of the company's CURRENCY never reinterprets them either.)"""
    old = before or settings.CURRENCY
    new = after or settings.CURRENCY
    if old == new:
        return
    shifts = SessionRecord.objects.filter(outlet_id=outlet.id).exclude(currency=new).count()
    if shifts:
        raise CurrencyHasHistory(
            ngettext(
                "%(outlet)s has %(count)d shift in %(currency)s: its currency cannot change. "
                "Open a new outlet in Final POS for another currency.",
                "%(outlet)s has %(count)d shifts in %(currency)s: its currency cannot change. "
                "Open a new outlet in Final POS for another currency.",
                shifts,
            )
            % {"outlet": outlet.name, "count": shifts, "currency": old}
        )


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def outlet_settings_for(outlet_id: str) -> OutletSettings:
    """The outlet's settings as stored (blank fields: the site's defaults)."""
    return OutletSettings.objects.filter(outlet_id=outlet_id).first() or OutletSettings(
        outlet_id=outlet_id
    )


def outlet_settings_update(
    *, outlet: Outlet, changes: dict[str, Any], updated_by_user: User
) -> OutletSettings:
    """Saves the outlet's rules (None or "" for the site's default). A new time zone moves
    the business day of the outlet's shifts already in the index."""
    with transaction.atomic():
        row, _created = OutletSettings.objects.select_for_update().get_or_create(
            outlet_id=outlet.id
        )
        before = {name: _plain(getattr(row, name)) for name in OUTLET_POLICY_FIELDS}
        for name in OUTLET_POLICY_FIELDS:
            value = changes.get(name)
            if name in TEXT_FIELDS:
                value = value or ""  # blank: the site's default
            setattr(row, name, value)
        _refuse_currency_change(outlet, before=before["currency"], after=row.currency)
        row.save()
        policies_forget()
        after = {name: _plain(getattr(row, name)) for name in OUTLET_POLICY_FIELDS}
    if before == after:
        return row
    if before["time_zone"] != after["time_zone"]:
        business_dates_recompute(outlet_id=outlet.id)
    changed = [name for name in OUTLET_POLICY_FIELDS if before[name] != after[name]]
    audit_write(
        actor=updated_by_user,
        action="setup",
        object_type="outlet",
        object_id=outlet.id,
        outlet_id=outlet.id,
        summary=_("Changed the rules of %(outlet)s: %(fields)s")
        % {"outlet": outlet.name, "fields": ", ".join(name.replace("_", " ") for name in changed)},
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        outcome=AuditEntry.LOCAL,  # the dashboard's own record: nothing sent
    )
    return row


MOVED = ["business_date", "export_key"]


def business_dates_recompute(*, outlet_id: str, chunk: int = 2000) -> int:
    """Sets each indexed shift of the outlet to the business day of its opening in the
    outlet's time zone, and recounts the days they left and joined, in one transaction (the
    days locked in the same order as every other writer); returns how many moved."""
    policy = outlet_policy(outlet_id)
    moved = 0
    days: set[tuple[str, date]] = set()
    records = SessionRecord.objects.filter(outlet_id=outlet_id).only(
        "id", "open_time", "business_date"
    )
    with transaction.atomic():
        batch: list[SessionRecord] = []
        for record in records.iterator(chunk_size=chunk):
            day = policy.business_date(record.open_time)
            if day != record.business_date:
                days |= {(outlet_id, record.business_date), (outlet_id, day)}
                record.business_date = day
                # Its kept CSV line shows the day it leaves, whatever key the line was kept
                # for (the worker may have kept it for the new zone meanwhile): written again.
                record.export_key = ""
                batch.append(record)
            if len(batch) >= chunk:
                moved += SessionRecord.objects.bulk_update(batch, MOVED)
                batch = []
        if batch:
            moved += SessionRecord.objects.bulk_update(batch, MOVED)
        daily_totals_update(days)
    return moved
