"""The checks every change to a staff account makes, whoever asks (a page or the command
line), and what its audit row says."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from sessions_app.models import AuditEntry, Outlet, OutletAssignment
from sessions_app.roles import (
    CASHIER_GROUP,
    MANAGER_GROUP,
    StaffReach,
    User,
    allowed_outlet_ids,
    is_manager,
    staff_reach,
)
from sessions_app.services.audit import audit_write
from sessions_app.services.errors import StaffChangeRefused, StaffNotAllowed

ROLES = (CASHIER_GROUP, MANAGER_GROUP)
NAME_MAX_LENGTH = 150  # Django's User.first_name and last_name


def member_outlet_ids(member: User) -> frozenset[str]:
    return frozenset(
        OutletAssignment.objects.filter(user=member).values_list("outlet_id", flat=True)
    )


def member_role(member: User) -> str:
    """Manager, Cashier, or "" for an account with neither group."""
    groups = set(member.groups.values_list("name", flat=True))
    if MANAGER_GROUP in groups:
        return MANAGER_GROUP
    return CASHIER_GROUP if CASHIER_GROUP in groups else ""


def staff_snapshot(member: User) -> dict[str, Any]:
    """The account as the audit trail shows it before and after a change (no password)."""
    return {
        "username": member.get_username(),
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": "superuser" if member.is_superuser else member_role(member),
        "outlet_ids": sorted(member_outlet_ids(member)),
        "is_active": member.is_active,
    }


def require_manager(actor: User | None) -> None:
    if actor is not None and not is_manager(actor):
        raise StaffNotAllowed(_("Only managers can add or change staff."))


def held_outlet_ids(actor: User | None) -> frozenset[str]:
    """The outlets the actor holds; every known outlet for superusers and the command line."""
    held = None if actor is None else allowed_outlet_ids(actor)
    if held is None:
        return frozenset(Outlet.objects.values_list("id", flat=True))
    return held


def check_grantable(actor: User | None, outlet_ids: Iterable[str]) -> None:
    """A manager only gives out outlets they hold; nobody gives out an unknown outlet."""
    beyond = set(outlet_ids) - held_outlet_ids(actor)
    if beyond:
        known = set(Outlet.objects.filter(id__in=beyond).values_list("id", flat=True))
        if beyond - known:
            raise StaffChangeRefused(
                _("No such outlet in Final POS. Refresh outlets and tills under Setup.")
            )
        raise StaffNotAllowed(_("You can only give out outlets you manage yourself."))


def reach_or_refuse(actor: User | None, member: User, outlets: frozenset[str]) -> StaffReach:
    require_manager(actor)
    reach = staff_reach(actor, member, outlets)
    if not reach.anything:
        if member.is_superuser:
            raise StaffNotAllowed(_("Only a superuser can change a superuser's account."))
        raise StaffNotAllowed(
            _("%(username)s does not work at any of your outlets.")
            % {"username": member.get_username()}
        )
    return reach


def check_reach(allowed: bool, actor: User | None, member: User) -> None:
    """Refuses a change the reach does not cover, saying why."""
    if allowed:
        return
    if actor is not None and member.pk == actor.pk:
        raise StaffNotAllowed(
            _(
                "You cannot change your own role or outlets, or deactivate yourself; ask "
                "another manager or an administrator."
            )
        )
    if member.is_superuser:
        raise StaffNotAllowed(
            _("Superusers work at every outlet; they have no role or outlets to set.")
        )
    raise StaffNotAllowed(
        _(
            "%(username)s also works at outlets you do not manage, so only an administrator "
            "can change their name, e-mail, role, password or sign-in. You can change which "
            "of your outlets they work at."
        )
        % {"username": member.get_username()}
    )


def check_role(role: str) -> None:
    if role not in ROLES:
        raise StaffChangeRefused(_("The role is Cashier or Manager."))


def check_password(password: str, member: User) -> None:
    try:
        password_validation.validate_password(password, member)
    except ValidationError as error:
        raise StaffChangeRefused(" ".join(error.messages)) from None


def clean_username(username: str) -> str:
    username = get_user_model().normalize_username(username.strip())
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as error:
        raise StaffChangeRefused(" ".join(error.messages)) from None
    if not username or len(username) > NAME_MAX_LENGTH:
        raise StaffChangeRefused(_("A username is 1 to 150 letters, digits and @.+-_"))
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise StaffChangeRefused(
            _("There is already an account named %(username)s.") % {"username": username}
        )
    return username


def clean_name(name: str) -> str:
    name = name.strip()
    if len(name) > NAME_MAX_LENGTH or not name.isprintable():
        raise StaffChangeRefused(_("A name is one line of at most 150 characters."))
    return name


def clean_email(email: str) -> str:
    email = get_user_model().objects.normalize_email(email.strip())
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise StaffChangeRefused(
                _("%(email)s is not an e-mail address.") % {"email": email}
            ) from None
    return email


# --- What the audit trail says --------------------------------------------------------------


def role_label(role: str) -> str:
    return {CASHIER_GROUP: _("Cashier"), MANAGER_GROUP: _("Manager")}.get(role, role)


def outlet_names(outlet_ids: Iterable[str]) -> str:
    names = dict(Outlet.objects.filter(id__in=list(outlet_ids)).values_list("id", "name"))
    listed = sorted(names.get(outlet_id, outlet_id) for outlet_id in outlet_ids)
    return ", ".join(listed) or _("no outlet of yours")


def staff_audit(
    actor: User | None, member: User, summary: str, before: dict[str, Any] | None
) -> None:
    after = staff_snapshot(member)
    if actor is None:
        summary = _("%(summary)s (from the command line)") % {"summary": summary}
    # An audit row is filed under one outlet: one the actor manages (before or after the
    # change), so that it is on their audit page.
    touched = {*(before or {}).get("outlet_ids", []), *after["outlet_ids"]}
    shared = sorted(touched & held_outlet_ids(actor)) or sorted(touched)
    audit_write(
        actor=actor,
        action="staff",
        object_type="user",
        object_id=str(member.pk),
        outlet_id=shared[0] if shared else "",
        summary=summary,
        before=before,
        after=after,
        outcome=AuditEntry.LOCAL,  # the dashboard's own record: nothing sent
    )
