"""The board: every till at the user's outlets and its open shift, recent closes, what needs
review, and the week's largest differences."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from sessions_app.models import Outlet, PendingOpen, SessionRecord, Station
from sessions_app.roles import User
from sessions_app.selectors.catalog import outlets_for
from sessions_app.selectors.shifts import sessions_visible_to

RECENT_CLOSES = timedelta(days=7)
# What a card shows of a till and of its open shift (board_cards.py keys the card on them).
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
    "close_time",
    "held_by_till",
    "unsynced",
)
# The closed-shift tables show per-tender results, never the report or the counts.
NOT_IN_TABLES = ("report", "counted", "expected")


@dataclass(frozen=True)
class BoardStation:
    station: Station
    open_shifts: list[SessionRecord]
    pending_open: PendingOpen | None = None  # an open whose answer was lost

    @property
    def open_shift(self) -> SessionRecord | None:
        """The shift open on the till (the oldest, when Final POS holds more than one)."""
        return self.open_shifts[0] if self.open_shifts else None

    @property
    def more_than_one_open(self) -> bool:
        return len(self.open_shifts) > 1


@dataclass(frozen=True)
class BoardOutlet:
    outlet: Outlet
    stations: list[BoardStation]

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.stations if item.open_shift)


def board_outlets(*, user: User) -> list[BoardOutlet]:
    """The user's outlets, each station with its open shifts and any open whose answer was
    lost (four queries whatever the counts)."""
    outlets = list(outlets_for(user=user))
    stations_by_outlet: dict[str, list[Station]] = {outlet.id: [] for outlet in outlets}
    stations = list(
        Station.objects.filter(outlet_id__in=stations_by_outlet).only(*CARD_STATION_FIELDS)
    )
    for station in stations:
        stations_by_outlet[station.outlet_id].append(station)
    station_ids = [station.id for station in stations]
    open_shifts: dict[str, list[SessionRecord]] = {}
    open_records = (
        SessionRecord.objects.filter(
            station_id__in=station_ids, close_time__isnull=True, deleted_at__isnull=True
        )
        .only(*CARD_SHIFT_FIELDS)
        .order_by("open_time")
    )
    for record in open_records:
        open_shifts.setdefault(record.station_id, []).append(record)
    pending = {p.station_id: p for p in PendingOpen.objects.filter(station_id__in=station_ids)}
    return [
        BoardOutlet(
            outlet=outlet,
            stations=[
                BoardStation(
                    station=station,
                    open_shifts=open_shifts.get(station.id, []),
                    pending_open=pending.get(station.id),
                )
                for station in stations_by_outlet[outlet.id]
            ],
        )
        for outlet in outlets
    ]


def recent_closed_shifts(*, user: User, limit: int = 10) -> list[SessionRecord]:
    """The last shifts closed in the past week (the window keeps this an index range scan)."""
    return list(
        sessions_visible_to(user=user)
        .filter(close_time__gte=timezone.now() - RECENT_CLOSES, deleted_at__isnull=True)
        .defer(*NOT_IN_TABLES)
        .order_by("-close_time")[:limit]
    )


def shifts_needing_review(*, user: User) -> int:
    return (
        sessions_visible_to(user=user)
        .filter(review_state="needs_review", deleted_at__isnull=True)
        .count()
    )


def shifts_in_conflict(*, user: User) -> int:
    """Shifts where what was written here was written over in Final POS: a manager chooses."""
    return sessions_visible_to(user=user).filter(in_conflict=True, deleted_at__isnull=True).count()


def largest_variances(*, user: User, since: date, limit: int = 5) -> list[SessionRecord]:
    """The closed shifts with the largest differences since a business day (manager home)."""
    return list(
        sessions_visible_to(user=user)
        .filter(deleted_at__isnull=True, business_date__gte=since, variance_abs__gt=0)
        .defer(*NOT_IN_TABLES)
        .order_by(F("variance_abs").desc(), "-open_time")[:limit]
    )
