"""Staff: who works where, and who hears about shifts that need review."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from sessions_app.models import Outlet
from sessions_app.roles import (
    CASHIER_GROUP,
    MANAGER_GROUP,
    StaffReach,
    User,
    allowed_outlet_ids,
    staff_reach,
)
from sessions_app.selectors.catalog import outlets_for
from sessions_app.signin import locked_out_usernames


def review_alert_recipients(*, outlet_id: str) -> dict[str, str]:
    """E-mail addresses of the active managers of an outlet who keep review alerts on, in
    order, each with the language its owner chose ("" for none)."""
    rows = (
        get_user_model()
        .objects.filter(
            is_active=True, groups__name=MANAGER_GROUP, outlet_assignments__outlet_id=outlet_id
        )
        .exclude(email="")
        .exclude(staff_profile__variance_alerts=False)
        .order_by("email", "pk")
        .values_list("email", "staff_profile__language")
        .distinct()
    )
    recipients: dict[str, str] = {}
    for address, language in rows:
        recipients.setdefault(address, language or "")  # two accounts, one address: one mail
    return recipients


@dataclass(frozen=True)
class StaffMember:
    """One row of the staff page, as the viewer may see it."""

    id: int
    username: str
    name: str
    email: str
    role: str
    outlet_names: list[str]  # the outlets the viewer shares with them, by name
    outlets_elsewhere: int  # how many more outlets they work at, beyond the viewer's
    is_active: bool
    is_superuser: bool
    reach: StaffReach  # what the viewer may change
    locked_out: bool = False  # too many failed sign-ins: a manager may unlock them


def staff_list(*, user: User | None) -> list[StaffMember]:
    """Staff who share at least one outlet with the user; everyone, superusers included, for
    superusers and the command line (None)."""
    members = (
        get_user_model()
        .objects.filter(Q(groups__name__in=[CASHIER_GROUP, MANAGER_GROUP]) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
        .prefetch_related("groups", "outlet_assignments")
    )
    allowed = None if user is None else allowed_outlet_ids(user)
    if allowed is not None:
        members = members.filter(outlet_assignments__outlet_id__in=allowed)
    names = dict(Outlet.objects.values_list("id", "name"))
    listed = list(members)
    locked = locked_out_usernames([member.get_username() for member in listed])
    rows = []
    for member in listed:
        outlet_ids = frozenset(a.outlet_id for a in member.outlet_assignments.all())
        # Only the outlets the viewer shares: another store's staffing is not theirs.
        shared = outlet_ids if allowed is None else outlet_ids & allowed
        rows.append(
            StaffMember(
                id=member.pk,
                username=member.get_username(),
                name=member.get_full_name(),
                email=member.email,
                role=_role_label(member),
                outlet_names=sorted(
                    names.get(o, _("an outlet Final POS no longer lists")) for o in shared
                ),
                outlets_elsewhere=len(outlet_ids - shared),
                is_active=member.is_active,
                is_superuser=member.is_superuser,
                reach=staff_reach(user, member, outlet_ids),
                locked_out=member.get_username() in locked,
            )
        )
    return rows


def _role_label(member: User) -> str:
    if member.is_superuser:
        return _("Superuser")
    groups = {group.name for group in member.groups.all()}
    if MANAGER_GROUP in groups:
        return _("Manager")
    return _("Cashier") if CASHIER_GROUP in groups else _("No role")


def staff_member_for(*, user: User, member_id: int) -> User | None:
    """The account, if the user may change anything about it."""
    member = get_user_model().objects.filter(pk=member_id).first()
    if member is None:
        return None
    outlet_ids = frozenset(member.outlet_assignments.values_list("outlet_id", flat=True))
    return member if staff_reach(user, member, outlet_ids).anything else None


def staff_member_reach(*, user: User, member: User) -> StaffReach:
    outlet_ids = frozenset(member.outlet_assignments.values_list("outlet_id", flat=True))
    return staff_reach(user, member, outlet_ids)


def staff_member_named(*, username: str) -> User | None:
    """The command line's way to an account."""
    return get_user_model().objects.filter(username=username).first()


def outlets_matching(*, name_or_id: str) -> list[Outlet]:
    """Cached outlets with this Final POS id, or else with this name (any case)."""
    by_id = list(Outlet.objects.filter(id=name_or_id.strip()))
    return by_id or list(Outlet.objects.filter(name__iexact=name_or_id.strip()))


def staff_outlet_choices(*, user: User) -> list[tuple[str, str]]:
    """(id, name) of the outlets the user may give staff: their own, or all for superusers."""
    return list(outlets_for(user=user).order_by("name").values_list("id", "name"))


def staff_form_initial(*, user: User, member: User) -> dict[str, Any]:
    """The member's details as the staff form starts with them; only the outlets the user
    holds are ticked (the others are not theirs to change)."""
    outlet_ids = set(member.outlet_assignments.values_list("outlet_id", flat=True))
    allowed = allowed_outlet_ids(user)
    groups = set(member.groups.values_list("name", flat=True))
    return {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": MANAGER_GROUP if MANAGER_GROUP in groups else CASHIER_GROUP,
        "outlets": sorted(outlet_ids if allowed is None else outlet_ids & allowed),
    }
