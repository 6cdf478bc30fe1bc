"""Read-only queries the pages ask, answered from local tables only."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from sessions_app.models import Outlet, OutletAssignment, Station, SyncState
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP, allowed_outlet_ids


def outlets_for(*, user: Any):
    """The cached outlets the user may see."""
    outlets = Outlet.objects.all()
    allowed = allowed_outlet_ids(user)
    if allowed is not None:
        outlets = outlets.filter(id__in=allowed)
    return outlets


@dataclass(frozen=True)
class BoardOutlet:
    outlet: Outlet
    stations: list[Station]


def board_outlets(*, user: Any) -> list[BoardOutlet]:
    """The user's outlets, each with its stations (two queries whatever the counts)."""
    outlets = list(outlets_for(user=user))
    stations_by_outlet: dict[str, list[Station]] = {outlet.id: [] for outlet in outlets}
    for station in Station.objects.filter(outlet_id__in=stations_by_outlet):
        stations_by_outlet[station.outlet_id].append(station)
    return [BoardOutlet(outlet=o, stations=stations_by_outlet[o.id]) for o in outlets]


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
