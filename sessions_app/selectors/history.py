"""Shift history for managers: filters, totals, the CSV export's rows and the filter choices."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import OrderBy

from sessions_app.models import DailyTotals, MonthlyTotals, OutletTotals, SessionRecord
from sessions_app.money import currency as currency_of
from sessions_app.money import from_thousandths
from sessions_app.roles import User
from sessions_app.selectors.catalog import outlets_for, tills_for
from sessions_app.selectors.scope import in_scope
from sessions_app.selectors.shifts import shifts_visible_to


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
    # The names the cashier filter matches, once worked out (with_cashier_names).
    cashier_names: tuple[str, ...] | None = None

    @classmethod
    def from_cleaned(cls, cleaned: dict[str, Any]) -> "HistoryFilters":
        """The filters from a form's cleaned data; blank and unknown values are dropped."""
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in cleaned.items() if k in names and v not in (None, "")})


# The history list never shows these; the report alone is most of a row's size.
NOT_ON_THE_LIST = ("report", "counted", "expected")
# What a page of the history shows (sessions_app/tables.py): each field read costs a converter.
ON_THE_LIST = (  # in HistoryShift's order
    "id",
    "session_number",
    "outlet_id",
    "station_id",
    "opened_by",
    "open_time",
    "close_time",
    "currency",
    "opening_amount",
    "closing_amount",
    "variances",
    "cash_variance",
    "result",
    "review_state",
    "deleted_at",
)

# Every order ends with the id, so a page always holds the same shifts.
SORTS: dict[str, list[str | OrderBy]] = {
    "-date": ["-open_time", "-id"],
    "date": ["open_time", "id"],
    "-variance": [F("variance_abs").desc(nulls_last=True), "-open_time", "-id"],
}
# A shift's business day is the day it opened in its outlet's time zone, never more than a
# day from the UTC date: a range of days is also a range of open times, which lets the list
# walk its open-time index from the first shift of the range.
ZONE_MARGIN = timedelta(days=1)
CASHIER_NAMES_KEY = "history:cashier-names"
CASHIER_NAMES_SECONDS = 300


def shift_history(*, user: User, filters: HistoryFilters) -> QuerySet[SessionRecord]:
    """The user's indexed shifts matching the filters, in the chosen order (no tombstones)."""
    records = _filtered(user=user, filters=filters)
    if filters.cashier:
        # "Opened or closed by" as two index ranges: with an OR, both databases scan.
        names = _names(filters)
        opened = records.filter(opened_by__in=names).order_by().values("id")
        closed = records.filter(closed_by__in=names).order_by().values("id")
        records = records.filter(id__in=opened.union(closed))
    return records.defer(*NOT_ON_THE_LIST).order_by(*_order(filters))


def _order(filters: HistoryFilters) -> list[str | OrderBy]:
    return SORTS.get(filters.sort or "-date", SORTS["-date"])


def _filtered(*, user: User, filters: HistoryFilters) -> QuerySet[SessionRecord]:
    """Every filter but the cashier's (which needs the union in history_page_shifts)."""
    records = shifts_visible_to(user=user)
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
    if filters.closed_by:
        records = records.filter(closed_by=filters.closed_by)
    if filters.date_from:
        records = records.filter(business_date__gte=filters.date_from)
        if filters.date_from > date.min + ZONE_MARGIN:
            start = datetime.combine(filters.date_from - ZONE_MARGIN, time(), tzinfo=UTC)
            records = records.filter(open_time__gte=start)
    if filters.date_to:
        records = records.filter(business_date__lte=filters.date_to)
        if filters.date_to < date.max - 2 * ZONE_MARGIN:
            end = datetime.combine(filters.date_to + 2 * ZONE_MARGIN, time(), tzinfo=UTC)
            records = records.filter(open_time__lt=end)
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
    return records


_ORDER_COLUMNS = ("id", "open_time", "variance_abs")  # what every order reads
_TOTALLED = ("id", "currency", "opening_amount", "closing_amount", "cash_variance", "rounding")


def _cashier_shifts(
    *, user: User, filters: HistoryFilters, columns: tuple[str, ...]
) -> QuerySet[SessionRecord, tuple[Any, ...]]:
    """The shifts of the cashier filter as two index ranges (opened by, closed by) in one
    union, each shift once."""
    records = _filtered(user=user, filters=filters)
    names = _names(filters)
    opened = records.filter(opened_by__in=names).order_by().values_list(*columns)
    closed = records.filter(closed_by__in=names).order_by().values_list(*columns)
    return opened.union(closed)


def with_cashier_names(filters: HistoryFilters) -> HistoryFilters:
    """The filters with the names their cashier filter matches worked out once, for a page
    that asks several questions of the same filters."""
    if not filters.cashier or filters.cashier_names is not None:
        return filters
    return replace(filters, cashier_names=tuple(cashier_names_matching(filters.cashier)))


def _names(filters: HistoryFilters) -> list[str]:
    if filters.cashier_names is not None:
        return list(filters.cashier_names)
    return cashier_names_matching(filters.cashier)


def cashier_names_matching(text: str) -> list[str]:
    """The names of the people who opened or closed shifts that hold `text` (ignoring case),
    and `text` itself: a name filter an index can serve, where "contains" could not."""
    wanted = text.casefold()
    return [text, *(name for name in _cashier_names() if wanted in name.casefold())]


def _cashier_names() -> list[str]:
    """Every name shifts were opened or closed by, read through their indexes one name at a
    time (a few hundred steps, not every shift) and kept a few minutes; a name new since then
    is found once typed in full."""
    names: list[str] | None = cache.get(CASHIER_NAMES_KEY)
    if names is None:
        table = SessionRecord._meta.db_table
        found: set[str] = set()
        with connection.cursor() as cursor:
            for column in ("opened_by", "closed_by"):
                cursor.execute(
                    f"""WITH RECURSIVE names(name) AS (
                        SELECT MIN({column}) FROM {table} WHERE deleted_at IS NULL
                        UNION ALL
                        SELECT (SELECT MIN({column}) FROM {table}
                                WHERE deleted_at IS NULL AND {column} > names.name)
                        FROM names WHERE names.name IS NOT NULL
                    ) SELECT name FROM names WHERE name IS NOT NULL"""  # noqa: S608 - no input
                )
                found.update(row[0] for row in cursor.fetchall())
        names = sorted(found - {""})
        cache.set(CASHIER_NAMES_KEY, names, CASHIER_NAMES_SECONDS)
    return names


@dataclass(slots=True)
class HistoryShift:
    """A shift as a page of the history shows it (read as plain values: a model instance per
    row cost more than the row's query)."""

    id: str
    session_number: str
    outlet_id: str
    station_id: str
    opened_by: str
    open_time: datetime
    close_time: datetime | None
    currency: str
    opening_amount: Decimal
    closing_amount: Decimal | None
    variances: dict[str, str]
    cash_variance: Decimal | None
    result: str
    review_state: str
    deleted_at: datetime | None


def history_page_shifts(
    *, user: User, filters: HistoryFilters, offset: int, limit: int
) -> list[HistoryShift]:
    """One page of the history: the page's ids from an index that holds every column the
    filters and the order read (the shifts skipped to reach a deep page are never read), and
    those shifts, in one query. A cashier's shifts are the union of two index ranges (opened
    by, closed by), read first: "either one" in a single query makes the databases scan the
    whole list."""
    order = _order(filters)
    if filters.cashier:
        union = _cashier_shifts(user=user, filters=filters, columns=_ORDER_COLUMNS)
        ids = [row[0] for row in union.order_by(*order)[offset : offset + limit]]
        page = SessionRecord.objects.filter(id__in=ids)
    else:
        records = _filtered(user=user, filters=filters)
        page = SessionRecord.objects.filter(
            id__in=records.order_by(*order).values("id")[offset : offset + limit]
        )
    return [HistoryShift(*row) for row in page.order_by(*order).values_list(*ON_THE_LIST)]


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


_SUMS = ("shifts", "opening", "counted", "net", "over", "short", "rounding")


def history_totals(
    *, user: User, filters: HistoryFilters, records: QuerySet[SessionRecord]
) -> list[HistoryTotals]:
    """The totals of the filtered shifts, one per currency (usually one): from the per-day
    and per-month totals when the filters are ones they keep (outlet, currency, dates,
    result, open or closed), which read a few rows per outlet and period whatever the number
    of shifts; otherwise summed from the filtered shifts themselves."""
    if _kept_in_totals(filters):
        return _totals_from_days(user=user, filters=filters)
    rows: list[dict[str, Any]]
    if filters.cashier:
        rows = _cashier_totals(user=user, filters=filters)
    else:
        rows = [
            dict(row)
            for row in records.order_by()
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
        ]
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


_CASHIER_SUMS = (
    "currency, COUNT(*), SUM(opening_amount), SUM(closing_amount), SUM(cash_variance), "
    "SUM(CASE WHEN cash_variance > 0 THEN cash_variance END), "
    "SUM(CASE WHEN cash_variance < 0 THEN cash_variance END), SUM(rounding)"
)


def _cashier_totals(*, user: User, filters: HistoryFilters) -> list[dict[str, Any]]:
    """The totals of a cashier's shifts per currency, summed over the union the page reads
    (the same shifts through "id in the union" made SQLite read each shift's whole row)."""
    union = _cashier_shifts(user=user, filters=filters, columns=_TOTALLED).order_by()
    sql, params = union.query.get_compiler(using=union.db).as_sql()
    summed = (
        f"SELECT {_CASHIER_SUMS} FROM ({sql}) AS cashier "  # noqa: S608 - compiled SQL
        "GROUP BY currency ORDER BY currency"
    )
    with connections[union.db].cursor() as cursor:
        cursor.execute(summed, params)
        return [dict(zip(("currency", *_SUMS), row, strict=True)) for row in cursor.fetchall()]


TOTALS_STATES = {"": None, "open": False, "closed": True}  # the state filter -> `closed`


def _kept_in_totals(filters: HistoryFilters) -> bool:
    narrower = (filters.station, filters.cashier, filters.closed_by)
    far = [day for day in (filters.date_from, filters.date_to) if day and day.year >= 9999]
    return (
        not any(narrower)
        and filters.state in TOTALS_STATES
        and filters.min_variance is None
        and not far
    )


def _totals_from_days(*, user: User, filters: HistoryFilters) -> list[HistoryTotals]:
    """Whole months in the range from MonthlyTotals, the days of a month it cuts from
    DailyTotals: a few rows per outlet and month, plus at most two months of days."""
    start, end = filters.date_from, filters.date_to
    first_whole = start if start is None or start.day == 1 else _next_month(start)
    after_whole = None
    if end is not None:
        after_whole = end + timedelta(days=1)
        if after_whole.day != 1:
            after_whole = after_whole.replace(day=1)
    months = in_scope(MonthlyTotals.objects.all(), user=user)
    days = in_scope(DailyTotals.objects.all(), user=user)
    kind: dict[str, Any] = {}
    if filters.outlet:
        kind["outlet_id"] = filters.outlet
    if filters.result:
        kind["result"] = filters.result
    if TOTALS_STATES[filters.state] is not None:
        kind["closed"] = TOTALS_STATES[filters.state]
    if filters.currency:
        kind["currency"] = filters.currency
    months, days = months.filter(**kind), days.filter(**kind)
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
        if not sums["shifts"]:
            continue  # a day's lock row, or a currency none of whose shifts match

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
                shifts=sums["shifts"],
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


@dataclass(frozen=True)
class HistoryCatalog:
    """The user's outlets and tills: the filters' choices, and the names shown in the rows."""

    outlets: list[tuple[str, str]]
    stations: list[tuple[str, str]]  # (id, "Till · Outlet")
    outlet_names: dict[str, str]
    till_names: dict[str, str]


def history_catalog(*, user: User) -> HistoryCatalog:
    outlets = list(outlets_for(user=user).values_list("id", "name"))
    outlet_names = dict(outlets)
    tills = [
        till
        for till in tills_for(user=user)
        .order_by("outlet_id", "name")
        .values_list("id", "name", "outlet_id")
        if till[2] in outlet_names
    ]
    return HistoryCatalog(
        outlets=outlets,
        stations=[(id_, f"{name} · {outlet_names.get(outlet, '')}") for id_, name, outlet in tills],
        outlet_names=outlet_names,
        till_names={id_: name for id_, name, _outlet in tills},
    )


def history_choices(*, user: User) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    catalog = history_catalog(user=user)
    return catalog.outlets, catalog.stations
