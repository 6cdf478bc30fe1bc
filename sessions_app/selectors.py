"""Read-only queries the pages ask, answered from local tables only."""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import timezone

from sessions_app import closing
from sessions_app.finalpos.records import is_valid_id, time_from_wire
from sessions_app.models import (
    AuditEntry,
    Outlet,
    OutletAssignment,
    SessionRecord,
    Station,
    SyncState,
)
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP, allowed_outlet_ids


def outlets_for(*, user: Any):
    """The cached outlets the user may see."""
    outlets = Outlet.objects.all()
    allowed = allowed_outlet_ids(user)
    if allowed is not None:
        outlets = outlets.filter(id__in=allowed)
    return outlets


@dataclass(frozen=True)
class BoardStation:
    station: Station
    open_shift: SessionRecord | None


@dataclass(frozen=True)
class BoardOutlet:
    outlet: Outlet
    stations: list[BoardStation]

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.stations if item.open_shift)


def board_outlets(*, user: Any) -> list[BoardOutlet]:
    """The user's outlets, each station with its open shift (three queries whatever the
    counts)."""
    outlets = list(outlets_for(user=user))
    stations_by_outlet: dict[str, list[Station]] = {outlet.id: [] for outlet in outlets}
    stations = list(Station.objects.filter(outlet_id__in=stations_by_outlet))
    for station in stations:
        stations_by_outlet[station.outlet_id].append(station)
    open_shifts = {
        record.station_id: record
        for record in SessionRecord.objects.filter(
            station_id__in=[station.id for station in stations],
            close_time__isnull=True,
            deleted_at__isnull=True,
        )
    }
    return [
        BoardOutlet(
            outlet=outlet,
            stations=[
                BoardStation(station=station, open_shift=open_shifts.get(station.id))
                for station in stations_by_outlet[outlet.id]
            ],
        )
        for outlet in outlets
    ]


def sessions_visible_to(*, user: Any) -> QuerySet[SessionRecord]:
    """Indexed shifts at the user's outlets (tombstones included)."""
    records = SessionRecord.objects.all()
    allowed = allowed_outlet_ids(user)
    if allowed is not None:
        records = records.filter(outlet_id__in=allowed)
    return records


def session_for_user(*, user: Any, session_id: str) -> SessionRecord | None:
    if not is_valid_id(session_id):
        return None
    return sessions_visible_to(user=user).filter(id=session_id).first()


def outlet_for_user(*, user: Any, outlet_id: str) -> Outlet | None:
    if not is_valid_id(outlet_id):
        return None
    return outlets_for(user=user).filter(id=outlet_id).first()


def station_for_user(*, user: Any, station_id: str) -> Station | None:
    if not is_valid_id(station_id):
        return None
    station = Station.objects.filter(id=station_id).first()
    allowed = allowed_outlet_ids(user)
    if station is None or (allowed is not None and station.outlet_id not in allowed):
        return None
    return station


def stations_free_for(*, user: Any) -> list[Station]:
    """The user's tills with no open shift, in outlet then name order."""
    outlet_ids = list(outlets_for(user=user).values_list("id", flat=True))
    busy = SessionRecord.objects.filter(close_time__isnull=True, deleted_at__isnull=True).values(
        "station_id"
    )
    return list(
        Station.objects.filter(outlet_id__in=outlet_ids)
        .exclude(id__in=busy)
        .order_by("outlet_id", "name")
    )


RECENT_CLOSES = timedelta(days=7)


def recent_closed_shifts(*, user: Any, limit: int = 10) -> list[SessionRecord]:
    """The last shifts closed in the past week (the window keeps this an index range scan)."""
    return list(
        sessions_visible_to(user=user)
        .filter(close_time__gte=timezone.now() - RECENT_CLOSES, deleted_at__isnull=True)
        .order_by("-close_time")[:limit]
    )


def shifts_needing_review(*, user: Any) -> int:
    return (
        sessions_visible_to(user=user)
        .filter(review_state="needs_review", deleted_at__isnull=True)
        .count()
    )


def names_for(records: list[SessionRecord]) -> tuple[dict[str, str], dict[str, str]]:
    """Outlet and station names for a page of shifts (two queries)."""
    outlets = dict(
        Outlet.objects.filter(id__in={r.outlet_id for r in records}).values_list("id", "name")
    )
    stations = dict(
        Station.objects.filter(id__in={r.station_id for r in records}).values_list("id", "name")
    )
    return outlets, stations


# --- The shift report ----------------------------------------------------------------------


@dataclass(frozen=True)
class CountLine:
    denomination: Decimal
    quantity: int

    @property
    def subtotal(self) -> Decimal:
        return self.denomination * self.quantity


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime | None
    text: str


@dataclass(frozen=True)
class CorrectionLine:
    name: str
    before: Decimal | None
    after: Decimal | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Correction:
    """One manager's correction as the report page shows it: what was there, what is now."""

    at: datetime | None
    by: str
    reason: str
    lines: list[CorrectionLine]
    note_before: str
    note_after: str

    @property
    def note_changed(self) -> bool:
        return self.note_before != self.note_after


def _correction(raw: dict) -> Correction:
    before = raw.get("before") if isinstance(raw.get("before"), dict) else {}
    after = raw.get("after") if isinstance(raw.get("after"), dict) else {}
    amounts_before = before.get("closingAmounts") or {}
    amounts_after = after.get("closingAmounts") or {}
    return Correction(
        at=_report_time(raw.get("at")),
        by=str(raw.get("by") or "a manager"),
        reason=str(raw.get("reason") or ""),
        lines=[
            CorrectionLine(
                name=method.name,
                before=closing.report_amount(amounts_before.get(method.key)),
                after=closing.report_amount(amounts_after.get(method.key)),
            )
            for method in closing.payment_methods()
        ],
        note_before=str(before.get("closingNote") or ""),
        note_after=str(after.get("closingNote") or ""),
    )


@dataclass(frozen=True)
class ShiftReport:
    record: SessionRecord
    outlet_name: str
    station_name: str
    lines: list[closing.MethodLine]
    expected_available: bool
    variance_total: Decimal | None
    variance_reason: str
    cash_count: list[CountLine]
    cash_drop: dict | None
    leave_counts: list[CountLine]
    bank_counts: list[CountLine]
    review: dict
    corrections: list[Correction]
    timeline: list[TimelineEvent] = field(default_factory=list)

    @property
    def duration(self):
        if self.record.close_time is None:
            return None
        return self.record.close_time - self.record.open_time


def _count_lines(raw: Any) -> list[CountLine]:
    if not isinstance(raw, dict):
        return []
    lines = []
    for value, quantity in raw.items():
        amount = closing.report_amount(value)
        if amount is not None and isinstance(quantity, int) and quantity > 0:
            lines.append(CountLine(denomination=amount, quantity=quantity))
    return sorted(lines, key=lambda line: line.denomination, reverse=True)


def _report_time(value: Any) -> datetime | None:
    try:
        return time_from_wire(value) if value else None
    except Exception:
        return None


def shift_report(record: SessionRecord) -> ShiftReport:
    """Everything the Z report page shows, from the index row alone."""
    report = record.report or {}
    methods = report.get("methods") if isinstance(report.get("methods"), dict) else {}
    lines = []
    for method in closing.payment_methods():
        line = methods.get(method.key) if isinstance(methods.get(method.key), dict) else {}
        counted = closing.report_amount(record.counted.get(method.key))
        if counted is None:
            counted = closing.report_amount(line.get("counted"))
        expected = closing.report_amount(line.get("expected"))
        variance = closing.report_amount(line.get("variance"))
        if variance is None and expected is not None and counted is not None:
            variance = counted - expected
        lines.append(
            closing.MethodLine(
                key=method.key,
                name=method.name,
                expected=expected,
                counted=counted if counted is not None else Decimal(0),
                variance=variance,
            )
        )
    review = report.get("review") if isinstance(report.get("review"), dict) else {}
    corrections = [
        _correction(raw) for raw in report.get("corrections") or [] if isinstance(raw, dict)
    ]
    reopenings = [raw for raw in report.get("reopenings") or [] if isinstance(raw, dict)]
    drop = report.get("cashDrop") if isinstance(report.get("cashDrop"), dict) else None
    outlet_name = Outlet.objects.filter(id=record.outlet_id).values_list("name", flat=True).first()
    station_name = (
        Station.objects.filter(id=record.station_id).values_list("name", flat=True).first()
    )
    timeline = [TimelineEvent(record.open_time, f"Opened by {record.opened_by}")]
    if record.close_time:
        timeline.append(TimelineEvent(record.close_time, f"Closed by {record.closed_by}"))
    for correction in corrections:
        timeline.append(
            TimelineEvent(correction.at, f"Corrected by {correction.by}: {correction.reason}")
        )
    for reopening in reopenings:
        earlier = reopening.get("previousClose") or {}
        if isinstance(earlier, dict) and earlier.get("closeTime"):
            timeline.append(
                TimelineEvent(
                    _report_time(earlier.get("closeTime")),
                    f"Closed by {earlier.get('closedBy') or 'someone'}",
                )
            )
        timeline.append(
            TimelineEvent(
                _report_time(reopening.get("at")),
                f"Reopened by {reopening.get('by', 'a manager')}: {reopening.get('reason', '')}",
            )
        )
    if review.get("approvedBy"):
        timeline.append(
            TimelineEvent(
                _report_time(review.get("approvedAt")), f"Approved by {review['approvedBy']}"
            )
        )
    if record.deleted_at:
        timeline.append(TimelineEvent(record.deleted_at, "Deleted"))
    timeline.sort(key=lambda event: event.at or record.open_time)
    return ShiftReport(
        record=record,
        outlet_name=outlet_name or record.outlet_id or "Unknown outlet",
        station_name=station_name or record.station_id,
        lines=lines,
        expected_available=bool(report.get("expectedAvailable", bool(record.expected))),
        variance_total=record.variance_total,
        variance_reason=str(report.get("varianceReason") or ""),
        cash_count=_count_lines(report.get("cashCount")),
        cash_drop=drop,
        leave_counts=_count_lines((drop or {}).get("leaveCounts")),
        bank_counts=_count_lines((drop or {}).get("bankCounts")),
        review=review,
        corrections=corrections,
        timeline=timeline,
    )


def review_alert_recipients(*, outlet_id: str) -> list[str]:
    """E-mail addresses of the active managers of an outlet who keep review alerts on."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True, groups__name=MANAGER_GROUP, outlet_assignments__outlet_id=outlet_id
        )
        .exclude(email="")
        .exclude(staff_profile__variance_alerts=False)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def sync_state(name: str) -> SyncState | None:
    return SyncState.objects.filter(name=name).first()


@dataclass(frozen=True)
class StaffMember:
    username: str
    name: str
    roles: list[str]
    outlet_ids: list[str]
    is_active: bool


def staff_list(*, user: Any) -> list[StaffMember]:
    """Staff who share at least one outlet with the user (everyone for superusers)."""
    users = (
        get_user_model()
        .objects.filter(groups__name__in=[CASHIER_GROUP, MANAGER_GROUP])
        .distinct()
        .order_by("username")
        .prefetch_related(
            "groups",
            Prefetch("outlet_assignments", queryset=OutletAssignment.objects.order_by("outlet_id")),
        )
    )
    allowed = allowed_outlet_ids(user)
    if allowed is not None:
        users = users.filter(outlet_assignments__outlet_id__in=allowed)
    return [
        StaffMember(
            username=member.get_username(),
            name=member.get_full_name(),
            roles=sorted(group.name for group in member.groups.all()),
            outlet_ids=[a.outlet_id for a in member.outlet_assignments.all()],
            is_active=member.is_active,
        )
        for member in users
    ]


# --- History -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryFilters:
    outlet: str = ""
    station: str = ""
    cashier: str = ""
    date_from: Any = None
    date_to: Any = None
    state: str = ""
    result: str = ""
    min_variance: Decimal | None = None
    sort: str = "-date"

    @classmethod
    def from_cleaned(cls, cleaned: dict[str, Any]) -> "HistoryFilters":
        """The filters from a form's cleaned data; blank and unknown values are dropped."""
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in cleaned.items() if k in names and v not in (None, "")})


SORTS = {
    "-date": ["-open_time", "-id"],
    "date": ["open_time", "id"],
    "-variance": [F("variance_abs").desc(nulls_last=True), "-open_time"],
}


def session_history(*, user: Any, filters: HistoryFilters) -> QuerySet[SessionRecord]:
    """The user's indexed shifts matching the filters, in the chosen order (no tombstones)."""
    records = sessions_visible_to(user=user).filter(deleted_at__isnull=True)
    if filters.outlet:
        records = records.filter(outlet_id=filters.outlet)
    if filters.station:
        records = records.filter(station_id=filters.station)
    if filters.cashier:
        records = records.filter(
            Q(opened_by__icontains=filters.cashier) | Q(closed_by__icontains=filters.cashier)
        )
    if filters.date_from:
        records = records.filter(business_date__gte=filters.date_from)
    if filters.date_to:
        records = records.filter(business_date__lte=filters.date_to)
    if filters.state == "open":
        records = records.filter(close_time__isnull=True)
    elif filters.state == "closed":
        records = records.filter(close_time__isnull=False)
    elif filters.state == "needs_review":
        records = records.filter(review_state="needs_review")
    if filters.result:
        records = records.filter(result=filters.result)
    if filters.min_variance is not None:
        records = records.filter(variance_abs__gte=filters.min_variance)
    return records.order_by(*SORTS.get(filters.sort or "-date", SORTS["-date"]))


EXPORT_COLUMNS = (
    "id", "session_number", "outlet_id", "station_id", "business_date", "opened_by",
    "open_time", "closed_by", "close_time", "opening_amount", "closing_amount",
    "variance_total", "result", "review_state",
)  # fmt: skip


def export_rows(records: QuerySet[SessionRecord]) -> Iterator[tuple]:
    """The rows of a CSV export (EXPORT_COLUMNS, then counted and expected per payment method)
    straight from a database cursor, in chunks.

    Django's per-value converters cost about 60 µs a row, far too much for 200,000 rows, so
    values come back as the driver gives them: datetimes as UTC text (SQLite) or aware
    datetimes (PostgreSQL), amounts as numbers (SQLite) or Decimal (PostgreSQL), and the
    per-method amounts as the text stored in the JSON."""
    per_method = {}
    for method in closing.payment_methods():
        per_method[f"counted_{method.key}"] = KT(f"counted__{method.key}")
        per_method[f"expected_{method.key}"] = KT(f"expected__{method.key}")
    query = records.annotate(**per_method).values_list(*EXPORT_COLUMNS, *per_method).query
    sql, params = query.get_compiler(using=records.db).as_sql()
    with connections[records.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            yield from rows


@dataclass(frozen=True)
class HistoryTotals:
    shifts: int
    opening: Decimal | None
    variance: Decimal | None
    over: Decimal | None
    short: Decimal | None


def history_totals(records: QuerySet[SessionRecord]) -> HistoryTotals:
    totals = records.order_by().aggregate(
        shifts=Count("id"),
        opening=Sum("opening_amount"),
        variance=Sum("variance_total"),
        over=Sum("variance_total", filter=Q(variance_total__gt=0)),
        short=Sum("variance_total", filter=Q(variance_total__lt=0)),
    )
    return HistoryTotals(**totals)


def history_choices(*, user: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    outlets = list(outlets_for(user=user).values_list("id", "name"))
    outlet_names = dict(outlets)
    stations = [
        (station.id, f"{station.name} · {outlet_names.get(station.outlet_id, '')}")
        for station in Station.objects.filter(outlet_id__in=outlet_names).order_by(
            "outlet_id", "name"
        )
    ]
    return outlets, stations


def audit_for_session(*, record: SessionRecord) -> QuerySet:
    return AuditEntry.objects.filter(object_type="session", object_id=record.id)


def audit_list(*, user: Any, action: str = "", actor: str = "") -> QuerySet[AuditEntry]:
    """Audit entries at the user's outlets (all for superusers), newest first."""
    entries = AuditEntry.objects.all()
    allowed = allowed_outlet_ids(user)
    if allowed is not None:
        entries = entries.filter(outlet_id__in=allowed)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    return entries


# --- Insights ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VarianceSummary:
    """One cashier's or one till's closed shifts over a period."""

    key: str
    label: str
    shifts: int
    with_figures: int
    total: Decimal
    short: Decimal
    over: Decimal
    shorts_beyond_threshold: int

    @property
    def average(self) -> Decimal | None:
        if not self.with_figures:
            return None
        return (self.total / self.with_figures).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class DayVariance:
    day: Any
    shifts: int
    total: Decimal
    short: Decimal
    over: Decimal


def _variance_aggregates(threshold: Decimal) -> dict[str, Any]:
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
    return {
        "shifts": Count("id"),
        "with_figures": Count("variance_total"),
        "total": Coalesce(Sum("variance_total"), zero),
        "short": Coalesce(Sum("variance_total", filter=Q(variance_total__lt=0)), zero),
        "over": Coalesce(Sum("variance_total", filter=Q(variance_total__gt=0)), zero),
        "shorts_beyond_threshold": Count("id", filter=Q(variance_total__lt=-threshold)),
    }


@dataclass(frozen=True)
class Insights:
    by_cashier: list[VarianceSummary]
    by_station: list[VarianceSummary]
    by_day: list[DayVariance]
    threshold: Decimal


def _in_cents(row: dict[str, Any]) -> dict[str, Any]:
    """SQLite sums decimals without their scale; every backend gives cents from here on."""
    cent = Decimal("0.01")
    return {k: v.quantize(cent) if isinstance(v, Decimal) else v for k, v in row.items()}


def _cashier_summary(row: dict[str, Any]) -> VarianceSummary:
    name = row.pop("closed_by") or ""
    return VarianceSummary(key=name, label=name or "Unknown", **_in_cents(row))


def variance_insights(*, user: Any, filters: HistoryFilters, threshold: Decimal) -> Insights:
    """Closed shifts matching the filters, summed per cashier (who closed), per till and per
    business day: five queries whatever the number of shifts."""
    closed = session_history(user=user, filters=replace(filters, state="closed")).order_by()
    aggregates = _variance_aggregates(threshold)
    cashiers = closed.values("closed_by").annotate(**aggregates).order_by("short", "closed_by")
    stations = closed.values("station_id").annotate(**aggregates).order_by("short", "station_id")
    station_rows = list(stations)
    names = dict(
        Station.objects.filter(id__in=[row["station_id"] for row in station_rows]).values_list(
            "id", "name"
        )
    )
    days = (
        closed.values("business_date")
        .annotate(**{k: aggregates[k] for k in ("shifts", "total", "short", "over")})
        .order_by("business_date")
    )
    return Insights(
        by_cashier=[_cashier_summary(row) for row in cashiers],
        by_station=[
            VarianceSummary(
                key=row["station_id"],
                label=names.get(row["station_id"], row["station_id"]),
                **_in_cents({k: v for k, v in row.items() if k != "station_id"}),
            )
            for row in station_rows
        ],
        by_day=[DayVariance(day=row.pop("business_date"), **_in_cents(row)) for row in days],
        threshold=threshold,
    )


def largest_variances(*, user: Any, since: Any, limit: int = 5) -> list[SessionRecord]:
    """The closed shifts with the largest differences since a business day (manager home)."""
    return list(
        sessions_visible_to(user=user)
        .filter(deleted_at__isnull=True, business_date__gte=since, variance_abs__gt=0)
        .order_by(F("variance_abs").desc(), "-open_time")[:limit]
    )
