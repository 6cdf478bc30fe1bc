"""Staff accounts: adding people, their role and outlets, deactivating them, their password.

Who may change what is `roles.staff_reach`; every change here checks it again, whoever calls
(a page or `manage.py staff`), and is audited. A caller of None is the command line.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from sessions_app import notifications
from sessions_app.formatting import in_sentence
from sessions_app.models import OutletAssignment, StaffProfile
from sessions_app.roles import User
from sessions_app.services.errors import StaffChangeRefused
from sessions_app.services.staff_checks import (
    ROLES,
    check_grantable,
    check_password,
    check_reach,
    check_role,
    clean_email,
    clean_name,
    clean_username,
    held_outlet_ids,
    member_outlet_ids,
    member_role,
    outlet_names,
    reach_or_refuse,
    require_manager,
    role_label,
    staff_audit,
    staff_snapshot,
)
from sessions_app.signin import lockout_lift


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
    require_manager(created_by_user)
    check_role(role)
    check_grantable(created_by_user, outlet_ids)
    if not outlet_ids:
        raise StaffChangeRefused(_("Choose at least one outlet they work at."))
    username = clean_username(username)
    member = get_user_model()(
        username=username,
        first_name=clean_name(first_name),
        last_name=clean_name(last_name),
        email=clean_email(email),
    )
    if password is None:
        member.set_unusable_password()
    else:
        check_password(password, member)
        member.set_password(password)
    with transaction.atomic():
        member.save()
        member.groups.add(Group.objects.get_or_create(name=role)[0])
        StaffProfile.objects.get_or_create(user=member)
        OutletAssignment.objects.bulk_create(
            OutletAssignment(user=member, outlet_id=outlet_id) for outlet_id in sorted(outlet_ids)
        )
        staff_audit(
            created_by_user,
            member,
            _("Added %(role)s %(username)s at %(outlets)s")
            % {
                "role": in_sentence(role_label(role)),
                "username": username,
                "outlets": outlet_names(outlet_ids),
            },
            before=None,
        )
    return member


def staff_update(*, member: User, changes: StaffChanges, updated_by_user: User | None) -> User:
    """Changes a member's name, e-mail, role or outlets, as far as the person may."""
    with transaction.atomic():
        member = get_user_model().objects.select_for_update().get(pk=member.pk)
        outlets = member_outlet_ids(member)
        reach = reach_or_refuse(updated_by_user, member, outlets)
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
            value = clean_email(value) if field == "email" else clean_name(value)
            if value != getattr(member, field):
                check_reach(reach.details, updated_by_user, member)
                setattr(member, field, value)
                changed.append(label)
        if changes.role is not None and changes.role != member_role(member):
            check_reach(reach.role, updated_by_user, member)
            check_role(changes.role)
            member.groups.remove(*Group.objects.filter(name__in=ROLES))
            member.groups.add(Group.objects.get_or_create(name=changes.role)[0])
            changed.append(_("role %(role)s") % {"role": role_label(changes.role)})
        if changes.outlet_ids is not None:
            # Outlets beyond the person's own are not theirs to change: kept as they are.
            kept = outlets - held_outlet_ids(updated_by_user)
            wanted = changes.outlet_ids | kept
            if wanted != outlets:
                check_reach(reach.outlets, updated_by_user, member)
                check_grantable(updated_by_user, changes.outlet_ids)
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
                    _("outlets %(outlets)s") % {"outlets": outlet_names(changes.outlet_ids)}
                )
        if not changed:
            return member
        member.save()
        staff_audit(
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
        reach = reach_or_refuse(changed_by_user, member, outlets)
        if member.is_active == active:
            return member
        check_reach(reach.active, changed_by_user, member)
        before = staff_snapshot(member)
        member.is_active = active
        member.save(update_fields=["is_active"])
        summary = _("Reactivated %(username)s") if active else _("Deactivated %(username)s")
        staff_audit(changed_by_user, member, summary % {"username": member.get_username()}, before)
    return member


def staff_password_set(*, member: User, password: str, changed_by_user: User | None) -> None:
    """Sets a new password, checked by the password validators. The member's other sessions
    end (Django ties a session to the password)."""
    outlets = member_outlet_ids(member)
    reach = reach_or_refuse(changed_by_user, member, outlets)
    check_reach(reach.details, changed_by_user, member)
    check_password(password, member)
    with transaction.atomic():
        member.set_password(password)
        member.save(update_fields=["password"])
        summary = (
            _("Set a new password for %(username)s, which lifted their sign-in lockout")
            if lockout_lift(member.get_username())
            else _("Set a new password for %(username)s")
        )
        staff_audit(changed_by_user, member, summary % {"username": member.get_username()}, None)


def staff_password_chosen(*, member: User) -> None:
    """A member chose a new password from an e-mailed link (Django's reset form has saved it):
    that lifts their sign-in lockout, and is on the audit trail."""
    lifted = lockout_lift(member.get_username())
    summary = (
        _(
            "%(username)s chose a new password from an e-mailed link, which lifted their sign-in "
            "lockout"
        )
        if lifted
        else _("%(username)s chose a new password from an e-mailed link")
    )
    staff_audit(member, member, summary % {"username": member.get_username()}, None)


def staff_unlock(*, member: User, unlocked_by_user: User | None) -> bool:
    """Lets a member locked out by failed sign-ins try again now (their password unchanged).
    Returns False when they were not locked out: nothing to do, nothing audited."""
    outlets = member_outlet_ids(member)
    reach = reach_or_refuse(unlocked_by_user, member, outlets)
    check_reach(reach.details, unlocked_by_user, member)
    with transaction.atomic():
        if not lockout_lift(member.get_username()):
            return False
        summary = _("Unlocked sign-in for %(username)s after failed attempts")
        staff_audit(unlocked_by_user, member, summary % {"username": member.get_username()}, None)
    return True


def staff_password_link_send(*, member: User, invitation: bool, sent_by_user: User | None) -> None:
    """E-mails the member a link to choose their password: an invitation to a new account, or
    a reset. Only when e-mail is set up (EMAIL_URL)."""
    outlets = member_outlet_ids(member)
    reach = reach_or_refuse(sent_by_user, member, outlets)
    check_reach(reach.details, sent_by_user, member)
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
    staff_audit(sent_by_user, member, summary % {"username": name, "email": member.email}, None)


def superuser_make(*, username: str, email: str, password: str | None) -> User:
    """From the command line only: creates a superuser, or makes an existing account one.
    The password is required for a new account; None keeps an existing account's."""
    model = get_user_model()
    member = model.objects.filter(username=username).first()
    with transaction.atomic():
        if member is None:
            if password is None:
                raise StaffChangeRefused(_("A new superuser needs a password."))
            member = model(username=clean_username(username), email=clean_email(email))
            before = None
        else:
            before = staff_snapshot(member)
            member.email = clean_email(email) or member.email
        if password is not None:
            check_password(password, member)
            member.set_password(password)
            lockout_lift(member.get_username())
        member.is_superuser = member.is_staff = member.is_active = True
        member.save()
        StaffProfile.objects.get_or_create(user=member)
        summary = _("Made %(username)s a superuser") % {"username": member.get_username()}
        staff_audit(None, member, summary, before)
    return member
