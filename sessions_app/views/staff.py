"""Staff: managers and superusers add people, set their role and outlets, deactivate them and
reset their password. Who may change what is decided by the services; these views only show
what the person may do and pass on what they asked for."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions_app.forms import NewStaffForm, PasswordForm, StaffForm
from sessions_app.notifications import email_configured
from sessions_app.roles import AuthenticatedRequest, User, manager_required
from sessions_app.selectors.staff import (
    staff_form_initial,
    staff_list,
    staff_member_for,
    staff_member_reach,
    staff_outlet_choices,
)
from sessions_app.services.errors import StaffError
from sessions_app.services.staff_admin import (
    StaffChanges,
    staff_active_set,
    staff_create,
    staff_password_link_send,
    staff_password_set,
    staff_unlock,
    staff_update,
)
from sessions_app.views.common import require_post_from


def _member_or_404(request: AuthenticatedRequest, member_id: int) -> User:
    member = staff_member_for(user=request.user, member_id=member_id)
    if member is None:
        raise Http404(_("No such person among your staff."))
    return member


@manager_required
def staff_list_view(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "staff/list.html",
        {"members": staff_list(user=request.user)},
    )


@manager_required
def staff_create_view(request: AuthenticatedRequest) -> HttpResponse:
    form = NewStaffForm(
        request.POST or None,
        outlets=staff_outlet_choices(user=request.user),
        offer_email_link=email_configured(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = staff_create(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                outlet_ids=frozenset(data["outlets"]),
                password=data["password"],
                created_by_user=request.user,
            )
        except StaffError as error:
            form.add_error(None, error.message)
        else:
            username = member.get_username()
            if data["password"] is not None:
                messages.success(
                    request,
                    _("%(username)s added. Give them their password in person.")
                    % {"username": username},
                )
            else:
                _invite(request, member)
            return redirect("sessions_app:staff_list")
    return render(request, "staff/form.html", {"form": form, "member": None})


@manager_required
def staff_edit_view(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(request, member_id)
    reach = staff_member_reach(user=request.user, member=member)
    form = StaffForm(
        request.POST or None,
        outlets=staff_outlet_choices(user=request.user),
        reach=reach,
        initial=staff_form_initial(user=request.user, member=member),
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff_update(
                member=member, changes=_changes(form.cleaned_data), updated_by_user=request.user
            )
        except StaffError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(username)s saved.") % {"username": member.username})
            return redirect("sessions_app:staff_list")
    return render(request, "staff/form.html", {"form": form, "member": member, "reach": reach})


def _changes(cleaned: dict[str, Any]) -> StaffChanges:
    """What the form asked for; a field the form left out (not the person's to change) is
    None: unchanged."""
    outlets = cleaned.get("outlets")
    return StaffChanges(
        first_name=cleaned.get("first_name"),
        last_name=cleaned.get("last_name"),
        email=cleaned.get("email"),
        role=cleaned.get("role"),
        outlet_ids=None if outlets is None else frozenset(outlets),
    )


@require_post_from("sessions_app:staff_edit", "member_id")
@manager_required
def staff_active_view(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(request, member_id)
    active = request.POST.get("active") == "1"
    try:
        staff_active_set(member=member, active=active, changed_by_user=request.user)
    except StaffError as error:
        messages.error(request, error.message)
        return redirect("sessions_app:staff_edit", member_id=member.pk)
    if active:
        messages.success(
            request, _("%(username)s can sign in again.") % {"username": member.username}
        )
    else:
        messages.success(
            request,
            _(
                "%(username)s is deactivated: they can no longer sign in. Their shifts and "
                "history stay."
            )
            % {"username": member.username},
        )
    return redirect("sessions_app:staff_list")


@manager_required
def staff_password_view(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(request, member_id)
    offer_link = email_configured() and bool(member.email) and member.is_active
    form = PasswordForm(request.POST or None, member=member, offer_email_link=offer_link)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        try:
            if password is None:
                staff_password_link_send(member=member, invitation=False, sent_by_user=request.user)
            else:
                staff_password_set(member=member, password=password, changed_by_user=request.user)
        except StaffError as error:
            form.add_error(None, error.message)
        else:
            if password is None:
                messages.success(request, _link_sent(member))
            else:
                if member.pk == request.user.pk:
                    update_session_auth_hash(request, member)  # stay signed in here
                messages.success(
                    request,
                    _("New password set for %(username)s. Give it to them in person.")
                    % {"username": member.username},
                )
            return redirect("sessions_app:staff_list")
    return render(request, "staff/password.html", {"form": form, "member": member})


@require_post_from("sessions_app:staff_list")
@manager_required
def staff_unlock_view(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(request, member_id)
    try:
        unlocked = staff_unlock(member=member, unlocked_by_user=request.user)
    except StaffError as error:
        messages.error(request, error.message)
    else:
        if unlocked:
            messages.success(
                request,
                _("%(username)s can sign in again now, with their current password.")
                % {"username": member.username},
            )
        else:
            messages.info(
                request,
                _("%(username)s was not locked out: nothing to unlock.")
                % {"username": member.username},
            )
    return redirect("sessions_app:staff_list")


def _invite(request: AuthenticatedRequest, member: User) -> None:
    """E-mails a new member the link to choose their password; the account exists already,
    so a failure says how to finish instead of undoing it."""
    try:
        staff_password_link_send(member=member, invitation=True, sent_by_user=request.user)
    except StaffError as error:
        messages.warning(
            request,
            _("%(username)s was added. %(reason)s")
            % {"username": member.username, "reason": error.message},
        )
    else:
        messages.success(request, _link_sent(member))


def _link_sent(member: User) -> str:
    return _("%(username)s has been e-mailed a link to choose their password at %(email)s.") % {
        "username": member.username,
        "email": member.email,
    }
