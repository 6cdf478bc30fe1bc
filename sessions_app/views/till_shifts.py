"""Shifts the tills hold and write: a manager takes over a shift from a till that is out of
use, and settles a conflict between what was written here and what Final POS has now."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions_app.finalpos import FinalPOSError
from sessions_app.forms import ConflictChoiceForm, TakeOverForm
from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.selectors.shifts import shift_twins
from sessions_app.services.conflicts import conflict_apply_ours, conflict_keep_theirs
from sessions_app.services.duplicates import duplicate_remove
from sessions_app.services.errors import ShiftError
from sessions_app.services.shift_takeover import shift_take_over
from sessions_app.views.common import require_post_from, shift_for_user_or_404, write_failed_message


@manager_required
def shift_take_over_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if not record.held_by_till or record.deleted_at:
        messages.info(request, _("No till holds this shift: it can be counted and closed here."))
        return redirect("sessions_app:shift_detail", session_id=record.id)
    form = TakeOverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shift_take_over(
                record=record, taken_over_by_user=request.user, reason=form.cleaned_data["reason"]
            )
        except (FinalPOSError, ShiftError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            messages.success(
                request,
                _("Shift %(number)s is now held here: count it and close it in the dashboard.")
                % {"number": record.session_number},
            )
            return redirect("sessions_app:shift_detail", session_id=record.id)
    return render(request, "shifts/take_over.html", {"record": record, "form": form})


@require_post_from("sessions_app:shift_detail", "session_id")
@manager_required
def conflict_resolve_view(
    request: AuthenticatedRequest, session_id: str, conflict_id: int
) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    form = ConflictChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which version to keep."))
        return redirect("sessions_app:shift_detail", session_id=record.id)
    try:
        if form.cleaned_data["choice"] == ConflictChoiceForm.APPLY_OURS:
            conflict_apply_ours(record=record, conflict_id=conflict_id, by_user=request.user)
            done = _("The dashboard's version of %(number)s is in Final POS again.")
        else:
            conflict_keep_theirs(record=record, conflict_id=conflict_id, by_user=request.user)
            done = _(
                "%(number)s keeps what Final POS has; the dashboard's version stays on record."
            )
    except (FinalPOSError, ShiftError) as error:
        messages.error(request, write_failed_message(error))
    else:
        messages.success(request, done % {"number": record.session_number})
    return redirect("sessions_app:shift_detail", session_id=record.id)


@require_post_from("sessions_app:shift_detail", "session_id")
@manager_required
def duplicate_remove_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    """Of two open shifts with one number on one till, deletes the one with no sales."""
    record = shift_for_user_or_404(request, session_id)
    try:
        result = duplicate_remove(record=record, removed_by_user=request.user)
    except (FinalPOSError, ShiftError) as error:
        messages.error(request, write_failed_message(error))
        return redirect("sessions_app:shift_detail", session_id=record.id)
    messages.success(
        request,
        _("The duplicate %(number)s with no sales was deleted; the audit trail keeps it.")
        % {"number": result.record.session_number},
    )
    kept = shift_twins(record=result.record)
    return redirect("sessions_app:shift_detail", session_id=kept[0].id if kept else record.id)
