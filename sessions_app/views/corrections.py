"""A manager's fixes to a shift: correct the counted amounts, reopen, delete."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions_app.closing.values import amount_or_none
from sessions_app.drafts import draft_accepted, typed_keep, typed_take
from sessions_app.finalpos import FinalPOSError, FinalPOSNotFound, FinalPOSOutcomeUnknown
from sessions_app.forms import CorrectShiftForm, DeleteShiftForm, ReopenShiftForm
from sessions_app.models import SessionRecord
from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.selectors.catalog import open_shift_on_till
from sessions_app.selectors.report import shift_report
from sessions_app.services.errors import ShiftError
from sessions_app.services.index import shift_refresh
from sessions_app.services.shift_review import shift_correct
from sessions_app.services.shift_undo import shift_delete, shift_reopen
from sessions_app.views.common import (
    rebound_with_latest_version,
    shift_for_user_or_404,
    upstream_version,
    warn_till_status,
    write_failed_message,
)


def _fresh_or_message(request: AuthenticatedRequest, record: SessionRecord) -> SessionRecord:
    """Re-reads the shift before a fix is typed, so it starts from Final POS's figures."""
    try:
        return shift_refresh(record)
    except FinalPOSNotFound:
        record.refresh_from_db()
        return record
    except FinalPOSError as error:
        messages.warning(
            request,
            _("Final POS did not answer (%(error)s); the figures below may be out of date.")
            % {"error": error.message},
        )
        return record


def _refuse_fix(
    request: AuthenticatedRequest, record: SessionRecord, *, needs_closed: bool
) -> HttpResponse | None:
    """A redirect to the report when this fix does not apply to the shift, else None."""
    if record.deleted_at:
        messages.error(request, _("This shift was deleted; it can no longer be changed."))
    elif needs_closed and record.is_open:
        messages.error(request, _("This shift is still open: close it instead."))
    else:
        return None
    return redirect("sessions_app:shift_detail", session_id=record.id)


@manager_required
def shift_correct_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if request.method != "POST":
        record = _fresh_or_message(request, record)
    if refused := _refuse_fix(request, record, needs_closed=True):
        return refused
    if request.method == "POST":
        form = CorrectShiftForm(request.POST)
    else:
        # As amounts, so the page shows them in its language's format (40,00 in German):
        # the index keeps them as wire text ("40.00"), which German reads as a thousands dot.
        initial: dict[str, object] = {
            f"counted_{key}": amount_or_none(amount) for key, amount in record.counted.items()
        }
        initial |= {"closing_note": record.closing_note}
        initial |= typed_take(request, f"correct:{record.id}")  # a correction not saved
        form = CorrectShiftForm(initial=initial | {"updated_at": upstream_version(record)})
    if request.method == "POST" and form.is_valid():
        try:
            shift_correct(
                record=record,
                corrected_by_user=request.user,
                counted=form.counted(),
                closing_note=form.cleaned_data["closing_note"],
                reason=form.cleaned_data["reason"],
                seen_updated_at=form.cleaned_data["updated_at"],
            )
        except FinalPOSOutcomeUnknown:  # sent, answer lost: its own page settles it
            typed_keep(request, f"correct:{record.id}", request.POST)
            return redirect("sessions_app:write_outcome", session_id=record.id)
        except (FinalPOSError, ShiftError) as error:
            form = rebound_with_latest_version(form, record)
            form.add_error(None, write_failed_message(error))
        else:
            draft_accepted(request, f"correct:{record.id}")
            messages.success(
                request,
                _("Shift %(number)s corrected; the original figures are kept in its report.")
                % {"number": record.session_number},
            )
            return redirect("sessions_app:shift_detail", session_id=record.id)
    return render(
        request,
        "shifts/correct.html",
        {"record": record, "form": form, "report": shift_report(record)},
    )


@manager_required
def shift_reopen_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if request.method != "POST":
        record = _fresh_or_message(request, record)
    if refused := _refuse_fix(request, record, needs_closed=True):
        return refused
    initial = typed_take(request, f"reopen:{record.id}") if request.method != "POST" else {}
    form = ReopenShiftForm(
        request.POST or None, initial={**initial, "updated_at": upstream_version(record)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = shift_reopen(
                record=record,
                reopened_by_user=request.user,
                reason=form.cleaned_data["reason"],
                seen_updated_at=form.cleaned_data["updated_at"],
            )
        except FinalPOSOutcomeUnknown:  # sent, answer lost: its own page settles it
            typed_keep(request, f"reopen:{record.id}", request.POST)
            return redirect("sessions_app:write_outcome", session_id=record.id)
        except (FinalPOSError, ShiftError) as error:
            form = rebound_with_latest_version(form, record)
            form.add_error(None, write_failed_message(error))
        else:
            messages.success(
                request,
                _("Shift %(number)s is open again; close it when it has been recounted.")
                % {"number": record.session_number},
            )
            warn_till_status(request, result)
            return redirect("sessions_app:shift_detail", session_id=record.id)
    busy = open_shift_on_till(record.station_id, other_than=record.id)
    return render(request, "shifts/reopen.html", {"record": record, "form": form, "busy": busy})


@manager_required
def shift_delete_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if refused := _refuse_fix(request, record, needs_closed=False):
        return refused
    form = DeleteShiftForm(request.POST or None, session_number=record.session_number)
    if request.method == "POST" and form.is_valid():
        try:
            result = shift_delete(
                record=record, deleted_by_user=request.user, reason=form.cleaned_data["reason"]
            )
        except (FinalPOSError, ShiftError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            messages.success(
                request,
                _("Shift %(number)s deleted. Its last copy and the audit trail are kept here.")
                % {"number": record.session_number},
            )
            warn_till_status(request, result)
            return redirect("sessions_app:shift_detail", session_id=record.id)
    return render(request, "shifts/delete.html", {"record": record, "form": form})
