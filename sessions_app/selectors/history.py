"""Shift history for managers: filters, the page of shifts, the CSV export's rows and the
filter choices (the totals: selectors/history_totals.py)."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy

from sessions_app.models import SessionRecord
from sessions_app.roles import User
from sessions_app.selectors.catalog import outlets_for, tills_for
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
    "in_conflict",
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


def cashier_shifts(
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
    return [
        text,
        *(name for name in _cashier_names() if wanted in name.casefold() and name != text),
    ]


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
    in_conflict: bool  # written over in Final POS: a manager chooses a version


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
        union = cashier_shifts(user=user, filters=filters, columns=_ORDER_COLUMNS)
        ids = [row[0] for row in union.order_by(*order)[offset : offset + limit]]
        page = SessionRecord.objects.filter(id__in=ids)
    else:
        records = _filtered(user=user, filters=filters)
        page = SessionRecord.objects.filter(
            id__in=records.order_by(*order).values("id")[offset : offset + limit]
        )
    return [HistoryShift(*row) for row in page.order_by(*order).values_list(*ON_THE_LIST)]


@dataclass(frozen=True)
class HistoryCatalog:
    """The user's outlets and tills: the filters' choices, and the names shown in the rows."""

    outlets: list[tuple[str, str]]
    tills: list[tuple[str, str]]  # (id, "Till · Outlet")
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
        tills=[(id_, f"{name} · {outlet_names.get(outlet, '')}") for id_, name, outlet in tills],
        outlet_names=outlet_names,
        till_names={id_: name for id_, name, _outlet in tills},
    )


def history_choices(*, user: User) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    catalog = history_catalog(user=user)
    return catalog.outlets, catalog.tills
