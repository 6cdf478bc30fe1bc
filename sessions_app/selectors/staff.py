"""Staff: who works where, and who hears about shifts that need review."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from sessions_app.models import Outlet, OutletAssignment
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP, User, allowed_outlet_ids


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


@dataclass(frozen=True)
class StaffMember:
    username: str
    name: str
    roles: list[str]
    outlet_ids: list[str]
    is_active: bool
    outlet_names: list[str] = field(default_factory=list)


def staff_list(*, user: User) -> list[StaffMember]:
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
    names = dict(Outlet.objects.values_list("id", "name"))
    return [
        StaffMember(
            username=member.get_username(),
            name=member.get_full_name(),
            roles=sorted(group.name for group in member.groups.all()),
            # Only the outlets the viewer shares: another store's staffing is not theirs.
            outlet_ids=[
                a.outlet_id
                for a in member.outlet_assignments.all()
                if allowed is None or a.outlet_id in allowed
            ],
            is_active=member.is_active,
            outlet_names=[
                names.get(a.outlet_id, a.outlet_id)
                for a in member.outlet_assignments.all()
                if allowed is None or a.outlet_id in allowed
            ],
        )
        for member in users
    ]
