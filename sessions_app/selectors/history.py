"""Shift history for managers: filters, totals, the CSV export's rows and the filter choices."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import OrderBy
from django.db.models.fields.json import KT

from sessions_app import closing
from sessions_app.models import DailyTotals, MonthlyTotals, OutletTotals, SessionRecord, Station
from sessions_app.money import currency as currency_of
from sessions_app.money import from_thousandths
from sessions_app.roles import User
from sessions_app.selectors.catalog import outlets_for
from sessions_app.selectors.scope import in_scope
from sessions_app.selectors.shifts import sessions_visible_to


@dataclass(frozen=True)
class HistoryFilters:
    outlet: str = ""
    station: str = ""
    cashier: str = ""
    closed_by: str = ""  # exact: the insights page's link to one cashier's shifts
    date_from: date | None = None
    date_to: date | None = None
    state: str = ""
    result: str = ""
    min_variance: Decimal | None = None
    sort: str = "-date"
    currency: str = ""  # insights count one currency at a time

    @classmethod
    def from_cleaned(cls, cleaned: dict[str, Any]) -> "HistoryFilters":
        """The filters from a form's cleaned data; blank and unknown values are dropped."""
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in cleaned.items() if k in names and v not in (None, "")})


# The history list never shows these; the report alone is most of a row's size.
NOT_ON_THE_LIST = ("report", "counted", "expected")

SORTS: dict[str, list[str | OrderBy]] = {
    "-date": ["-open_time", "-id"],
    "date": ["open_time", "id"],
    "-variance": [F("variance_abs").desc(nulls_last=True), "-open_time"],
}


def session_history(*, user: User, filters: HistoryFilters) -> QuerySet[SessionRecord]:
    """The user's indexed shifts matching the filters, in the chosen order (no tombstones)."""
    records = sessions_visible_to(user=user)
    if filters.state == "deleted":
        records = records.filter(deleted_at__isnull=False)
    else:
        records = records.filter(deleted_at__isnull=True)
    if filters.outlet:
        records = records.filter(outlet_id=filters.outlet)
    if filters.currency:
        records = records.filter(currency=filters.currency)
    if filters.station:
        records = records.filter(station_id=filters.station)
    if filters.cashier:
        records = records.filter(
            Q(opened_by__icontains=filters.cashier) | Q(closed_by__icontains=filters.cashier)
        )
    if filters.closed_by:
        records = records.filter(closed_by=filters.closed_by)
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
    elif filters.state == "conflict":
        records = records.filter(in_conflict=True)
    if filters.result:
        records = records.filter(result=filters.result)
    if filters.min_variance is not None:
        records = records.filter(variance_abs__gte=filters.min_variance)
    order = SORTS.get(filters.sort or "-date", SORTS["-date"])
    return records.defer(*NOT_ON_THE_LIST).order_by(*order)


EXPORT_COLUMNS = (
    "id",
    "session_number",
    "outlet_id",
    "station_id",
    "business_date",
    "opened_by",
    "open_time",
    "closed_by",
    "close_time",
    "currency",
    "opening_amount",
    "closing_amount",
    "rounding",
    "result",
    "review_state",
)
# Copied out of the report when the shift is indexed: no report is parsed for the CSV.
EXPORT_REVIEW_COLUMNS = ("variance_reason", "approved_by", "review_comment")


def export_rows(records: QuerySet[SessionRecord]) -> Iterator[tuple[Any, ...]]:
    """The rows of a CSV export: EXPORT_COLUMNS, then counted, expected and difference per
    payment method, then EXPORT_REVIEW_COLUMNS, then every declared amount (for the tenders
    the dashboard does not reconcile); straight from a database cursor, in chunks.

    Django's per-value converters cost about 60 µs a row, far too much for 200,000 rows, so
    values come back as the driver gives them: datetimes as UTC text (SQLite) or aware
    datetimes (PostgreSQL), amounts as numbers (SQLite) or Decimal (PostgreSQL), and the
    per-method amounts as the text stored in the JSON."""
    extra: dict[str, Any] = {}
    for method in closing.payment_methods():
        extra[f"counted_{method.key}"] = KT(f"counted__{method.key}")
        extra[f"expected_{method.key}"] = KT(f"expected__{method.key}")
        extra[f"variance_{method.key}"] = KT(f"variances__{method.key}")
    query = (
        records.annotate(**extra)
        .values_list(*EXPORT_COLUMNS, *extra, *EXPORT_REVIEW_COLUMNS, "counted")
        .query
    )
    sql, params = query.get_compiler(using=records.db).as_sql()
    with connections[records.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            yield from rows


@dataclass(frozen=True)
class HistoryTotals:
    """Totals of the filtered shifts in one currency: the float, the cash counted, the cash
    rounding and the cash difference (over and short apart). Card and wallet differences are
    never added to cash, nor one currency to another."""

    currency: str
    shifts: int
    opening: Decimal | None
    cash_counted: Decimal | None
    cash_variance: Decimal | None
    cash_over: Decimal | None
    cash_short: Decimal | None
    rounding: Decimal | None = None


def _exact(amount: Decimal | float | None, code: str) -> Decimal | None:
    # SQLite sums decimals as floats (-36794.309999...): round, never cut, to the currency.
    return None if amount is None else currency_of(code).exact(Decimal(str(amount)))


def history_totals(
    *, user: User, filters: HistoryFilters, records: QuerySet[SessionRecord]
) -> list[HistoryTotals]:
    """The totals of the filtered shifts, one per currency (usually one): from the per-day
    summary when the filters are ones it keeps (outlet and dates), which reads a row per
    outlet and day whatever the number of shifts; otherwise summed from the shifts."""
    if _by_outlet_and_day(filters):
        return _totals_from_days(user=user, filters=filters)
    rows = (
        records.order_by()
        .values("currency")
        .annotate(
            shifts=Count("id"),
            opening=Sum("opening_amount"),
            counted=Sum("closing_amount"),
            net=Sum("cash_variance"),
            over=Sum("cash_variance", filter=Q(cash_variance__gt=0)),
            short=Sum("cash_variance", filter=Q(cash_variance__lt=0)),
            rounding=Sum("rounding"),
        )
        .order_by("currency")
    )
    found = []
    for totals in rows:
        code = totals["currency"]
        # With shifts but nothing to add (only open ones): 0, as the per-day totals say.
        nothing = Decimal(0) if totals["shifts"] else None
        found.append(
            HistoryTotals(
                currency=code,
                shifts=totals["shifts"],
                opening=_exact(totals["opening"], code),
                cash_counted=_exact(
                    totals["counted"] if totals["counted"] is not None else nothing, code
                ),
                cash_variance=_exact(totals["net"] if totals["net"] is not None else nothing, code),
                cash_over=_exact(totals["over"], code),
                cash_short=_exact(totals["short"], code),
                rounding=_exact(totals["rounding"], code) if totals["rounding"] else None,
            )
        )
    return found


def _by_outlet_and_day(filters: HistoryFilters) -> bool:
    narrower = (filters.station, filters.cashier, filters.closed_by, filters.state, filters.result)
    far = [day for day in (filters.date_from, filters.date_to) if day and day.year >= 9999]
    return not any(narrower) and filters.min_variance is None and not far


def _totals_from_days(*, user: User, filters: HistoryFilters) -> list[HistoryTotals]:
    """Whole months in the range from MonthlyTotals, the days of a month it cuts from
    DailyTotals: a row per outlet, currency and month, plus at most two months of days."""
    start, end = filters.date_from, filters.date_to
    first_whole = start if start is None or start.day == 1 else _next_month(start)
    after_whole = None
    if end is not None:
        after_whole = end + timedelta(days=1)
        if after_whole.day != 1:
            after_whole = after_whole.replace(day=1)
    months = in_scope(MonthlyTotals.objects.all(), user=user)
    days = in_scope(DailyTotals.objects.all(), user=user)
    if filters.outlet:
        months, days = (
            months.filter(outlet_id=filters.outlet),
            days.filter(outlet_id=filters.outlet),
        )
    if filters.currency:
        months, days = (
            months.filter(currency=filters.currency),
            days.filter(currency=filters.currency),
        )
    if first_whole is not None and after_whole is not None and first_whole >= after_whole:
        months = months.none()  # no whole month: the days alone
        days = days.filter(business_date__gte=start, business_date__lte=end)
    else:
        if first_whole is not None:
            months = months.filter(month__gte=first_whole)
        if after_whole is not None:
            months = months.filter(month__lt=after_whole)
        cut = Q(pk__in=[])
        if start is not None and first_whole is not None and start < first_whole:
            cut |= Q(business_date__gte=start, business_date__lt=first_whole)
        if end is not None and after_whole is not None and after_whole <= end:
            cut |= Q(business_date__gte=after_whole, business_date__lte=end)
        days = days.filter(cut)
    figures = {name: Sum(name) for name in OutletTotals.FIGURES}
    by_currency: dict[str, dict[str, int]] = {}
    for part in (months, days):
        for row in part.order_by().values("currency").annotate(**figures):
            found_row: dict[str, Any] = dict(row)
            sums = by_currency.setdefault(row["currency"], dict.fromkeys(OutletTotals.FIGURES, 0))
            for name in OutletTotals.FIGURES:
                sums[name] += found_row[name] or 0
    found = []
    for code, sums in sorted(by_currency.items()):
        shifts = sums["shifts"]
        if not shifts:
            continue

        def amount(
            thousandths: int, *, blank_when_zero: bool = False, code: str = code
        ) -> Decimal | None:
            if blank_when_zero and not thousandths:
                return None
            return currency_of(code).exact(from_thousandths(thousandths))

        over, short = sums["cash_over_thousandths"], sums["cash_short_thousandths"]
        found.append(
            HistoryTotals(
                currency=code,
                shifts=shifts,
                opening=amount(sums["opening_thousandths"]),
                cash_counted=amount(sums["counted_thousandths"]),
                cash_variance=amount(over + short),
                cash_over=amount(over, blank_when_zero=True),
                cash_short=amount(short, blank_when_zero=True),
                rounding=amount(sums["rounding_thousandths"], blank_when_zero=True),
            )
        )
    return found


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def history_choices(*, user: User) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    outlets = list(outlets_for(user=user).values_list("id", "name"))
    outlet_names = dict(outlets)
    stations = [
        (station.id, f"{station.name} · {outlet_names.get(station.outlet_id, '')}")
        for station in Station.objects.filter(outlet_id__in=outlet_names).order_by(
            "outlet_id", "name"
        )
    ]
    return outlets, stations
