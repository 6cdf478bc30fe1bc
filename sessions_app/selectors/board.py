"""The board: every till at the user's outlets and its open shift, recent closes, what needs
review, and the week's largest differences."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.utils import timezone

from sessions_app.models import DailyTotals, Outlet, PendingOpen, SessionRecord, Station
from sessions_app.roles import User
from sessions_app.selectors.catalog import outlets_for
from sessions_app.selectors.scope import in_scope
from sessions_app.selectors.shifts import shifts_visible_to

RECENT_CLOSES = timedelta(days=7)
# What a card shows of an outlet, a till and its open shift (board_cards.py keys the card on
# them).
CARD_OUTLET_FIELDS = ("id", "name", "city")
CARD_STATION_FIELDS = ("id", "outlet_id", "name", "status")
CARD_SHIFT_FIELDS = (
    "id",
    "station_id",
    "outlet_id",
    "session_number",
    "opened_by",
    "open_time",
    "opening_amount",
    "currency",
    "missing_since",
    "held_by_till",
    "unsynced",
)
# What the closed-shift tables show (sessions_app/tables.py: shift_rows).
IN_TABLES = (
    "id",
    "session_number",
    "outlet_id",
    "station_id",
    "business_date",
    "close_time",
    "closed_by",
    "currency",
    "variances",
    "cash_variance",
    "result",
    "review_state",
)


@dataclass(slots=True)
class Till:
    """What the board shows of a till (read as plain values: a model instance per till and
    per open shift was most of the board's time)."""

    id: str
    outlet_id: str
    name: str
    status: str


@dataclass(slots=True)
class OpenShift:
    id: str
    station_id: str
    outlet_id: str
    session_number: str
    opened_by: str
    open_time: datetime
    opening_amount: Decimal
    currency: str
    missing_since: datetime | None
    held_by_till: bool  # opened on a till: it must be closed on the till
    unsynced: int  # cash moved here, kept until the till's close


@dataclass(frozen=True)
class BoardTill:
    till: Till
    open_shifts: list[OpenShift]
    pending_open: PendingOpen | None = None  # an open whose answer was lost

    @property
    def open_shift(self) -> OpenShift | None:
        """The shift open on the till (the oldest, when Final POS holds more than one)."""
        return self.open_shifts[0] if self.open_shifts else None

    @property
    def more_than_one_open(self) -> bool:
        return len(self.open_shifts) > 1


@dataclass(frozen=True)
class BoardOutlet:
    outlet: Outlet
    tills: list[BoardTill]

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.tills if item.open_shift)


OUTLETS_PER_PAGE = 10  # a card per outlet: an owner of 200 outlets pages through them


@dataclass(frozen=True)
class BoardPage:
    outlets: list[BoardOutlet]
    page: Page  # over every outlet the user sees (the one chosen alone: a page of one)
    choices: list[tuple[str, str]]  # (id, name) of every outlet the user sees
    chosen: str  # the outlet asked for alone, or ""


def board_page(*, user: User, page_number: str | None = None, outlet_id: str = "") -> BoardPage:
    """One page of the user's outlets (or the one chosen), each till with its open shifts and
    any open whose answer was lost: five queries whatever the number of outlets and tills."""
    choices = list(outlets_for(user=user).values_list("id", "name"))
    chosen = outlet_id if outlet_id in dict(choices) else ""
    ids = [chosen] if chosen else [id_ for id_, _name in choices]
    page = Paginator(ids, OUTLETS_PER_PAGE).get_page(page_number)
    shown = list(page.object_list)
    by_id = {outlet.id: outlet for outlet in Outlet.objects.filter(id__in=shown)}
    outlets = [by_id[id_] for id_ in shown if id_ in by_id]
    return BoardPage(outlets=_with_tills(outlets), page=page, choices=choices, chosen=chosen)


def board_outlets(*, user: User) -> list[BoardOutlet]:
    """Every outlet of the user with its tills (the board shows a page of them)."""
    return _with_tills(list(outlets_for(user=user)))


def _with_tills(outlets: list[Outlet]) -> list[BoardOutlet]:
    tills_by_outlet: dict[str, list[Till]] = {outlet.id: [] for outlet in outlets}
    rows = Station.objects.filter(outlet_id__in=tills_by_outlet).values_list(*CARD_STATION_FIELDS)
    tills = [Till(*row) for row in rows.order_by("name")]
    for till in tills:
        tills_by_outlet[till.outlet_id].append(till)
    till_ids = [till.id for till in tills]
    open_shifts: dict[str, list[OpenShift]] = {}
    open_records = (
        SessionRecord.objects.filter(
            station_id__in=till_ids, close_time__isnull=True, deleted_at__isnull=True
        )
        .order_by("open_time")
        .values_list(*CARD_SHIFT_FIELDS)
    )
    for row in open_records:
        shift = OpenShift(*row)
        open_shifts.setdefault(shift.station_id, []).append(shift)
    pending = {p.station_id: p for p in PendingOpen.objects.filter(station_id__in=till_ids)}
    return [
        BoardOutlet(
            outlet=outlet,
            tills=[
                BoardTill(
                    till=till,
                    open_shifts=open_shifts.get(till.id, []),
                    pending_open=pending.get(till.id),
                )
                for till in tills_by_outlet[outlet.id]
            ],
        )
        for outlet in outlets
    ]


def _at[Rows: QuerySet[Any, Any]](rows: Rows, outlet_id: str) -> Rows:
    """One outlet's, when the board shows one."""
    return rows.filter(outlet_id=outlet_id) if outlet_id else rows


def recent_closed_shifts(
    *, user: User, outlet_id: str = "", limit: int = 10
) -> list[SessionRecord]:
    """The last shifts closed in the past week (the window keeps this an index range scan)."""
    return list(
        _at(shifts_visible_to(user=user), outlet_id)
        .filter(close_time__gte=timezone.now() - RECENT_CLOSES, deleted_at__isnull=True)
        .only(*IN_TABLES)
        .order_by("-close_time")[:limit]
    )


def shifts_needing_review(*, user: User, outlet_id: str = "") -> int:
    return (
        _at(shifts_visible_to(user=user), outlet_id)
        .filter(review_state="needs_review", deleted_at__isnull=True)
        .count()
    )


def shifts_in_conflict(*, user: User, outlet_id: str = "") -> int:
    """Shifts where what was written here was written over in Final POS: a manager chooses."""
    shifts = _at(shifts_visible_to(user=user), outlet_id)
    return shifts.filter(in_conflict=True, deleted_at__isnull=True).count()


def largest_variances(
    *, user: User, since: date, outlet_id: str = "", limit: int = 5
) -> list[tuple[str, list[SessionRecord]]]:
    """The closed shifts with the largest differences since a business day (manager home), by
    currency: the ``limit`` largest in each currency the shifts were closed in, as a difference
    in yen is never ranked against one in dollars. The currencies come from the day totals,
    then one query each."""
    days = _at(in_scope(DailyTotals.objects.all(), user=user), outlet_id)
    currencies = (
        days.filter(business_date__gte=since, closed=True, shifts__gt=0)
        .exclude(currency="")
        .values_list("currency", flat=True)
        .order_by("currency")
        .distinct()
    )
    week = _at(shifts_visible_to(user=user), outlet_id).filter(
        deleted_at__isnull=True, business_date__gte=since, variance_abs__gt=0
    )
    largest_first = (F("variance_abs").desc(), "-open_time")
    codes = list(currencies)
    largest = []
    for code in codes:
        # One currency, the usual case: no filter by it, which the index read in the order of
        # the differences does not hold (each row it walks past would be read to check it).
        in_code = week.filter(currency=code) if len(codes) > 1 else week
        shifts = list(in_code.only(*IN_TABLES).order_by(*largest_first)[:limit])
        if shifts:
            largest.append((code, shifts))
    return largest
