"""Staff accounts: adding people, their role and outlets, deactivating them, their password.

Who may change what is `roles.staff_reach`; every change here checks it again, whoever calls
(a page or `manage.py staff`), and is audited. A caller of None is the command line.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from sessions_app import notifications
from sessions_app.models import Outlet, OutletAssignment, StaffProfile
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


@dataclass(frozen=True)
class StaffChanges:
    """What to change on an account; None leaves a value as it is. `outlet_ids` are the
    member's outlets among those the person changing them holds: outlets beyond those are
    kept as they are."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    role: str | None = None
    outlet_ids: frozenset[str] | None = None


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


def staff_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    outlet_ids: frozenset[str],
    password: str | None,
    created_by_user: User | None,
) -> User:
    """Adds a cashier or a manager at the given outlets, all of which the person adding them
    must hold. With no password the account cannot sign in until its owner chooses one from
    an e-mailed link (`staff_password_link_send`)."""
    _require_manager(created_by_user)
    _check_role(role)
    _check_grantable(created_by_user, outlet_ids)
    if not outlet_ids:
        raise StaffChangeRefused(_("Choose at least one outlet they work at."))
    username = _clean_username(username)
    member = get_user_model()(
        username=username,
        first_name=_clean_name(first_name),
        last_name=_clean_name(last_name),
        email=_clean_email(email),
    )
    if password is None:
        member.set_unusable_password()
    else:
        _check_password(password, member)
        member.set_password(password)
    with transaction.atomic():
        member.save()
        member.groups.add(Group.objects.get_or_create(name=role)[0])
        StaffProfile.objects.get_or_create(user=member)
        OutletAssignment.objects.bulk_create(
            OutletAssignment(user=member, outlet_id=outlet_id) for outlet_id in sorted(outlet_ids)
        )
        _audit(
            created_by_user,
            member,
            _("Added %(role)s %(username)s at %(outlets)s")
            % {
                "role": _role_label(role).lower(),
                "username": username,
                "outlets": _outlet_names(outlet_ids),
            },
            before=None,
        )
    return member


def staff_update(*, member: User, changes: StaffChanges, updated_by_user: User | None) -> User:
    """Changes a member's name, e-mail, role or outlets, as far as the person may."""
    with transaction.atomic():
        member = get_user_model().objects.select_for_update().get(pk=member.pk)
        outlets = member_outlet_ids(member)
        reach = _reach_or_refuse(updated_by_user, member, outlets)
        before = staff_snapshot(member)
        changed: list[str] = []
        for field, label in [
            ("first_name", _("first name")),
            ("last_name", _("last name")),
            ("email", _("e-mail")),
        ]:
            value = getattr(changes, field)
            if value is None:
                continue
            value = _clean_email(value) if field == "email" else _clean_name(value)
            if value != getattr(member, field):
                _check_reach(reach.details, updated_by_user, member, outlets)
                setattr(member, field, value)
                changed.append(label)
        if changes.role is not None and changes.role != member_role(member):
            _check_reach(reach.role, updated_by_user, member, outlets)
            _check_role(changes.role)
            member.groups.remove(*Group.objects.filter(name__in=ROLES))
            member.groups.add(Group.objects.get_or_create(name=changes.role)[0])
            changed.append(_("role %(role)s") % {"role": _role_label(changes.role)})
        if changes.outlet_ids is not None:
            kept = outlets - _held(updated_by_user)  # beyond the person's reach: untouched
            wanted = changes.outlet_ids | kept
            if wanted != outlets:
                _check_reach(reach.outlets, updated_by_user, member, outlets)
                _check_grantable(updated_by_user, changes.outlet_ids)
                if not wanted:
                    raise StaffChangeRefused(
                        _(
                            "Choose at least one outlet they work at. To stop someone signing "
                            "in, deactivate them instead."
                        )
                    )
                OutletAssignment.objects.filter(user=member).exclude(outlet_id__in=wanted).delete()
                OutletAssignment.objects.bulk_create(
                    OutletAssignment(user=member, outlet_id=outlet_id)
                    for outlet_id in sorted(wanted - outlets)
                )
                changed.append(
                    _("outlets %(outlets)s") % {"outlets": _outlet_names(changes.outlet_ids)}
                )
        if not changed:
            return member
        member.save()
        _audit(
            updated_by_user,
            member,
            _("Changed %(username)s: %(changes)s")
            % {"username": member.get_username(), "changes": ", ".join(changed)},
            before=before,
        )
    return member


def staff_active_set(*, member: User, active: bool, changed_by_user: User | None) -> User:
    """Deactivates a member (they can no longer sign in; nothing of theirs is deleted) or lets
    them sign in again."""
    with transaction.atomic():
        member = get_user_model().objects.select_for_update().get(pk=member.pk)
        outlets = member_outlet_ids(member)
        reach = _reach_or_refuse(changed_by_user, member, outlets)
        if member.is_active == active:
            return member
        _check_reach(reach.active, changed_by_user, member, outlets)
        before = staff_snapshot(member)
        member.is_active = active
        member.save(update_fields=["is_active"])
        summary = _("Reactivated %(username)s") if active else _("Deactivated %(username)s")
        _audit(changed_by_user, member, summary % {"username": member.get_username()}, before)
    return member


def staff_password_set(*, member: User, password: str, changed_by_user: User | None) -> None:
    """Sets a new password, checked by the password validators. The member's other sessions
    end (Django ties a session to the password)."""
    outlets = member_outlet_ids(member)
    reach = _reach_or_refuse(changed_by_user, member, outlets)
    _check_reach(reach.details, changed_by_user, member, outlets)
    _check_password(password, member)
    with transaction.atomic():
        member.set_password(password)
        member.save(update_fields=["password"])
        summary = _("Set a new password for %(username)s")
        _audit(changed_by_user, member, summary % {"username": member.get_username()}, None)


def staff_password_link_send(*, member: User, invitation: bool, sent_by_user: User | None) -> None:
    """E-mails the member a link to choose their password: an invitation to a new account, or
    a reset. Only when e-mail is set up (EMAIL_URL)."""
    outlets = member_outlet_ids(member)
    reach = _reach_or_refuse(sent_by_user, member, outlets)
    _check_reach(reach.details, sent_by_user, member, outlets)
    name = member.get_username()
    if not notifications.email_configured():
        raise StaffChangeRefused(
            _("E-mail is not set up on this dashboard, so no link can be sent. Set a password.")
        )
    if not member.email:
        raise StaffChangeRefused(
            _("%(username)s has no e-mail address. Add one first, or set a password.")
            % {"username": name}
        )
    if not member.is_active:
        raise StaffChangeRefused(
            _("%(username)s is deactivated. Reactivate them first.") % {"username": name}
        )
    try:
        notifications.password_link_send(member=member, invitation=invitation)
    except Exception as error:  # the mailer's own errors: a refused address, no connection
        raise StaffChangeRefused(
            _("The e-mail could not be sent (%(error)s). Try again, or set a password.")
            % {"error": error.__class__.__name__}
        ) from error
    summary = (
        _("E-mailed %(username)s an invitation to %(email)s")
        if invitation
        else _("E-mailed %(username)s a password reset link to %(email)s")
    )
    _audit(sent_by_user, member, summary % {"username": name, "email": member.email}, None)


def superuser_make(*, username: str, email: str, password: str | None) -> User:
    """From the command line only: creates a superuser, or makes an existing account one.
    The password is required for a new account; None keeps an existing account's."""
    model = get_user_model()
    member = model.objects.filter(username=username).first()
    with transaction.atomic():
        if member is None:
            if password is None:
                raise StaffChangeRefused(_("A new superuser needs a password."))
            member = model(username=_clean_username(username), email=_clean_email(email))
            before = None
        else:
            before = staff_snapshot(member)
            member.email = _clean_email(email) or member.email
        if password is not None:
            _check_password(password, member)
            member.set_password(password)
        member.is_superuser = member.is_staff = member.is_active = True
        member.save()
        StaffProfile.objects.get_or_create(user=member)
        summary = _("Made %(username)s a superuser") % {"username": member.get_username()}
        _audit(None, member, summary, before)
    return member


# --- The checks every change makes ---------------------------------------------------------


def _require_manager(actor: User | None) -> None:
    if actor is not None and not is_manager(actor):
        raise StaffNotAllowed(_("Only managers can add or change staff."))


def _held(actor: User | None) -> frozenset[str]:
    """The outlets the actor holds; every known outlet for superusers and the command line."""
    held = None if actor is None else allowed_outlet_ids(actor)
    if held is None:
        return frozenset(Outlet.objects.values_list("id", flat=True))
    return held


def _check_grantable(actor: User | None, outlet_ids: Iterable[str]) -> None:
    """A manager only gives out outlets they hold; nobody gives out an unknown outlet."""
    beyond = set(outlet_ids) - _held(actor)
    if beyond:
        known = set(Outlet.objects.filter(id__in=beyond).values_list("id", flat=True))
        if beyond - known:
            raise StaffChangeRefused(
                _("No such outlet in Final POS. Refresh outlets and tills under Setup.")
            )
        raise StaffNotAllowed(_("You can only give out outlets you manage yourself."))


def _reach_or_refuse(actor: User | None, member: User, outlets: frozenset[str]) -> StaffReach:
    _require_manager(actor)
    reach = staff_reach(actor, member, outlets)
    if not reach.anything:
        if member.is_superuser:
            raise StaffNotAllowed(_("Only a superuser can change a superuser's account."))
        raise StaffNotAllowed(
            _("%(username)s does not work at any of your outlets.")
            % {"username": member.get_username()}
        )
    return reach


def _check_reach(allowed: bool, actor: User | None, member: User, outlets: frozenset[str]) -> None:
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


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise StaffChangeRefused(_("The role is Cashier or Manager."))


def _check_password(password: str, member: User) -> None:
    try:
        password_validation.validate_password(password, member)
    except ValidationError as error:
        raise StaffChangeRefused(" ".join(error.messages)) from None


def _clean_username(username: str) -> str:
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


def _clean_name(name: str) -> str:
    name = name.strip()
    if len(name) > NAME_MAX_LENGTH or not name.isprintable():
        raise StaffChangeRefused(_("A name is one line of at most 150 characters."))
    return name


def _clean_email(email: str) -> str:
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


def _role_label(role: str) -> str:
    return {CASHIER_GROUP: _("Cashier"), MANAGER_GROUP: _("Manager")}.get(role, role)


def _outlet_names(outlet_ids: Iterable[str]) -> str:
    names = dict(Outlet.objects.filter(id__in=list(outlet_ids)).values_list("id", "name"))
    listed = sorted(names.get(outlet_id, outlet_id) for outlet_id in outlet_ids)
    return ", ".join(listed) or _("no outlet of yours")


def _audit(actor: User | None, member: User, summary: str, before: dict[str, Any] | None) -> None:
    after = staff_snapshot(member)
    if actor is None:
        summary = _("%(summary)s (from the command line)") % {"summary": summary}
    # An audit row is filed under one outlet: one the actor manages (before or after the
    # change), so that it is on their audit page.
    touched = {*(before or {}).get("outlet_ids", []), *after["outlet_ids"]}
    shared = sorted(touched & _held(actor)) or sorted(touched)
    audit_write(
        actor=actor,
        action="staff",
        object_type="user",
        object_id=str(member.pk),
        outlet_id=shared[0] if shared else "",
        summary=summary,
        before=before,
        after=after,
    )
