"""Outlets and tills as the pages need them, from the local cache."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from sessions_app.finalpos.records import is_valid_id
from sessions_app.models import Outlet, PendingOpen, SessionRecord, Station, SyncState
from sessions_app.roles import User
from sessions_app.selectors.scope import in_scope


def outlets_for(*, user: User) -> QuerySet[Outlet]:
    """The cached outlets the user may see."""
    return in_scope(Outlet.objects.all(), user=user, outlet_field="id")


def outlet_names_for(*, user: User) -> dict[str, str]:
    return dict(outlets_for(user=user).values_list("id", "name"))


def tills_for(*, user: User) -> QuerySet[Station]:
    return in_scope(Station.objects.all(), user=user)


def till_names_for(*, user: User) -> dict[str, str]:
    return dict(tills_for(user=user).values_list("id", "name"))


def outlet_for_user(*, user: User, outlet_id: str) -> Outlet | None:
    if not is_valid_id(outlet_id):
        return None
    return outlets_for(user=user).filter(id=outlet_id).first()


def till_for_user(*, user: User, station_id: str) -> Station | None:
    if not is_valid_id(station_id):
        return None
    return tills_for(user=user).filter(id=station_id).first()


def outlet_of(till: Station) -> Outlet | None:
    return Outlet.objects.filter(id=till.outlet_id).first()


def till_name(station_id: str) -> str:
    """The till's name, or its id when the cache does not know it."""
    name = Station.objects.filter(id=station_id).values_list("name", flat=True).first()
    return name or station_id


def tills_free_for(*, user: User) -> list[Station]:
    """The user's tills with no open shift, in outlet then name order."""
    busy = SessionRecord.objects.filter(
        close_time__isnull=True, deleted_at__isnull=True, missing_since__isnull=True
    ).values("station_id")
    return list(tills_for(user=user).exclude(id__in=busy).order_by("outlet_id", "name"))


def till_choices_for(tills: list[Station], *, user: User) -> list[tuple[str, str]]:
    """(id, "Till · Outlet") for a select box."""
    outlet_names = outlet_names_for(user=user)
    return [
        (till.id, f"{till.name} · {outlet_names[till.outlet_id]}")
        if till.outlet_id in outlet_names
        else (till.id, till.name)
        for till in tills
    ]


def catalog_sync_state() -> SyncState | None:
    """How fresh the cached outlets and stations are, and the last refresh's error."""
    return SyncState.objects.filter(name=SyncState.CATALOG).first()


def till_names_of(records: list[SessionRecord]) -> dict[str, str]:
    """The names of the tills of these shifts (one query)."""
    wanted = {record.station_id for record in records}
    if not wanted:
        return {}
    return dict(Station.objects.filter(id__in=wanted).values_list("id", "name"))


@dataclass(frozen=True)
class RefreshStatus:
    """How current the board is, in one sentence: when Final POS was last read in full, and
    whether the last check stopped part-way (with what went wrong, for a manager)."""

    as_of: datetime | None
    problems: list[str]

    @property
    def behind(self) -> bool:
        return bool(self.problems)


def refresh_status() -> RefreshStatus:
    """One read of the refresh states (outlets and tills, shifts, the tills' shifts)."""
    states = list(
        SyncState.objects.filter(
            name__in=[SyncState.CATALOG, SyncState.SESSIONS, SyncState.DISCOVERY]
        )
    )
    successes = [state.last_success_at for state in states if state.last_success_at]
    return RefreshStatus(
        as_of=min(successes) if successes else None,
        problems=list(  # one failure often stops every part: each problem is said once
            dict.fromkeys(
                state.last_error
                for state in sorted(states, key=lambda s: s.name)
                if state.last_error
            )
        ),
    )


@dataclass(frozen=True)
class HeldRemoval:
    id: str
    name: str
    outlet_name: str = ""  # for a till


def catalog_held_removals(*, user: User) -> tuple[list[HeldRemoval], list[HeldRemoval]]:
    """Outlets and tills (of the user's) Final POS stopped listing, kept until confirmed."""
    state = catalog_sync_state()
    held = state.held_removals if state is not None else {}
    outlets = outlets_for(user=user).filter(id__in=held.get("outlets", [])).order_by("name")
    tills = tills_for(user=user).filter(id__in=held.get("stations", [])).order_by("name")
    names = dict(Outlet.objects.values_list("id", "name"))
    return (
        [HeldRemoval(outlet.id, outlet.name) for outlet in outlets],
        [HeldRemoval(s.id, s.name, names.get(s.outlet_id, "")) for s in tills],
    )


def catalog_held_removal_ids(*, user: User, among: Iterable[str]) -> set[str]:
    """Which of these ids a manager may confirm as gone: held ones of their own outlets (the
    ones their setup page shows them), never another outlet's."""
    held_outlets, held_tills = catalog_held_removals(user=user)
    return {item.id for item in [*held_outlets, *held_tills]} & set(among)


@dataclass(frozen=True)
class BusyTill:
    session_number: str
    opened_by: str


def tills_busy_for(*, user: User) -> dict[str, BusyTill]:
    """The user's tills with an open shift in the index: its number and who opened it."""
    rows = SessionRecord.objects.filter(
        station_id__in=tills_for(user=user).values("id"),
        close_time__isnull=True,
        deleted_at__isnull=True,
        # One Final POS said it no longer has is not in the way (it is checked again).
        missing_since__isnull=True,
    ).values_list("station_id", "session_number", "opened_by")
    return {station_id: BusyTill(number, who) for station_id, number, who in rows}


def open_shift_on_till(station_id: str, *, other_than: str = "") -> BusyTill | None:
    """The shift open on a till in the index (another than ``other_than``), if any."""
    row = (
        SessionRecord.objects.filter(
            station_id=station_id,
            close_time__isnull=True,
            deleted_at__isnull=True,
            missing_since__isnull=True,
        )
        .exclude(id=other_than)
        .values_list("session_number", "opened_by")
        .first()
    )
    return BusyTill(*row) if row is not None else None


def pending_open_for(till: Station) -> PendingOpen | None:
    """An open on this till whose answer was lost, if one is not settled yet."""
    return PendingOpen.objects.filter(station_id=till.id).first()
