"""Opening, closing, reporting and approving shifts: thin views over the session services."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions_app import closing, selectors, services
from sessions_app.finalpos import FinalPOSError, FinalPOSNotFound
from sessions_app.formatting import money
from sessions_app.forms import ApproveShiftForm, CloseShiftForm, OpenShiftForm
from sessions_app.models import SessionRecord
from sessions_app.roles import AuthenticatedRequest, is_manager, manager_required, staff_required
from sessions_app.views.common import (
    rebound_with_latest_version,
    shift_for_user_or_404,
    upstream_version,
    warn_station_status,
    write_failed_message,
)

CLOSE_FORM = "shifts/close.html"
CLOSE_CONFIRM = "shifts/close_confirm.html"


# --- Open -----------------------------------------------------------------------------------


@staff_required
def session_open(request: AuthenticatedRequest) -> HttpResponse:
    free = selectors.stations_free_for(user=request.user)
    choices = selectors.station_choices_for(free, user=request.user)
    initial = {"station": request.GET.get("station", "")}
    form = OpenShiftForm(request.POST or None, station_choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        station = selectors.station_for_user(
            user=request.user, station_id=form.cleaned_data["station"]
        )
        if station is None:
            raise Http404(_("No such till at your outlets."))
        try:
            result = services.session_open(
                station=station,
                opened_by_user=request.user,
                opening_amount=form.cleaned_data["opening_amount"],
                opening_note=form.cleaned_data["opening_note"],
                cash_count=form.cleaned_data["cash_count"],
            )
        except (FinalPOSError, services.ShiftError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            messages.success(
                request,
                _("Shift %(number)s is open on %(station)s.")
                % {"number": result.record.session_number, "station": station.name},
            )
            warn_station_status(request, result)
            return redirect("sessions_app:board")
    return render(request, "shifts/open.html", {"form": form, "has_stations": bool(free)})


# --- Close ----------------------------------------------------------------------------------


def _close_context(
    request: AuthenticatedRequest, record: SessionRecord, form: CloseShiftForm, **extra: Any
) -> dict[str, Any]:
    expected = extra.get("expected")
    return {
        "record": record,
        "form": form,
        "method_rows": [
            {
                "field": form[f"counted_{method.key}"],
                "expected": expected.get(method.key) if expected else None,
                "is_cash": method.key == "cash",
            }
            for method in form.methods
        ],
        "station_name": selectors.station_name(record.station_id),
        "blind": _blind_for(request),
        **extra,
    }


def _blind_for(request: AuthenticatedRequest) -> bool:
    return settings.BLIND_COUNT and not is_manager(request.user)


@staff_required
def session_close(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if request.method != "POST":
        return _close_start(request, record)
    form = CloseShiftForm(request.POST)
    action = request.POST.get("action", "review")
    valid = form.is_valid()
    if action == "confirm" and not valid and set(form.errors) <= {"variance_reason"}:
        return _close_review(request, record, form)  # only the reason needs fixing
    if action == "edit" or not valid:
        return render(request, CLOSE_FORM, _close_context(request, record, form))
    if action == "confirm":
        return _close_confirm(request, record, form)
    return _close_review(request, record, form)


def _close_start(request: AuthenticatedRequest, record: SessionRecord) -> HttpResponse:
    stale_note = ""
    try:
        record = services.session_refresh(record)
    except FinalPOSNotFound:
        messages.error(request, _("Final POS no longer has this shift."))
        return redirect("sessions_app:session_detail", session_id=record.id)
    except FinalPOSError as error:
        stale_note = error.message
    if not record.is_open or record.deleted_at:
        messages.info(request, _("This shift is already closed."))
        return redirect("sessions_app:session_detail", session_id=record.id)
    form = CloseShiftForm(
        initial={
            "close_request_id": uuid.uuid4().hex,
            "updated_at": upstream_version(record),
        }
    )
    expected = None if _blind_for(request) else services.session_expected_now(record)
    return render(
        request,
        CLOSE_FORM,
        _close_context(request, record, form, expected=expected, stale_note=stale_note),
    )


def _close_review(
    request: AuthenticatedRequest, record: SessionRecord, form: CloseShiftForm
) -> HttpResponse:
    """The confirmation step: the summary with expected figures, before anything is written."""
    figures = services.session_close_preview(
        record=record, counted=form.counted(), cash_count=form.cleaned_data.get("cash_count")
    )
    if figures.reconciliation.reason_required:
        form.fields["variance_reason"].required = True
    return render(
        request,
        CLOSE_CONFIRM,
        _close_context(
            request,
            record,
            form,
            reconciliation=figures.reconciliation,
            drop=figures.cash_drop,
            reason_threshold=settings.VARIANCE_REASON_THRESHOLD,
            approval_threshold=settings.VARIANCE_APPROVAL_THRESHOLD,
        ),
    )


def _close_confirm(
    request: AuthenticatedRequest, record: SessionRecord, form: CloseShiftForm
) -> HttpResponse:
    data = form.cleaned_data
    try:
        result = services.session_close(
            record=record,
            closed_by_user=request.user,
            counted=form.counted(),
            closing_note=data["closing_note"],
            variance_reason=data["variance_reason"],
            cash_count=data["cash_count"],
            seen_updated_at=data["updated_at"],
            close_request_id=data["close_request_id"],
        )
    except services.ShiftAlreadyClosed as error:
        messages.error(request, error.message)
        return redirect("sessions_app:session_detail", session_id=record.id)
    except services.VarianceReasonRequired as error:
        form.add_error("variance_reason", error.message)
        return _close_review(request, record, form)
    except services.ShiftChanged as error:
        form = rebound_with_latest_version(form, record)
        form.add_error(None, error.message)
        return _close_review(request, record, form)
    except (FinalPOSError, services.ShiftError) as error:
        form.add_error(None, write_failed_message(error))
        return _close_review(request, record, form)
    closed = result.record
    if closed.variance_total is None:
        summary = _("Shift %(number)s is closed. Expected amounts were not available.")
    elif closed.variance_total == 0:
        summary = _("Shift %(number)s is closed and balanced.")
    else:
        summary = _("Shift %(number)s is closed: %(result)s by %(amount)s.")
    messages.success(
        request,
        summary
        % {
            "number": closed.session_number,
            "result": _("over") if closed.result == closing.OVER else _("short"),
            "amount": money(abs(closed.variance_total or 0)),
        },
    )
    if closed.needs_review:
        messages.warning(request, _("The difference is large: a manager must review this shift."))
    warn_station_status(request, result)
    return redirect("sessions_app:session_detail", session_id=closed.id)


# --- Report, approval, station status -------------------------------------------------------


@staff_required
def session_detail(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    return _render_detail(request, record)


def _render_detail(
    request: AuthenticatedRequest,
    record: SessionRecord,
    approve_form: ApproveShiftForm | None = None,
) -> HttpResponse:
    if approve_form is None and record.needs_review and is_manager(request.user):
        approve_form = ApproveShiftForm(initial={"updated_at": upstream_version(record)})
    return render(
        request,
        "shifts/detail.html",
        {
            "report": selectors.shift_report(record),
            "record": record,
            "approve_form": approve_form,
            "can_approve": is_manager(request.user),
            "audit": selectors.audit_for_session(record=record)[:50]
            if is_manager(request.user)
            else [],
        },
    )


@require_POST
@manager_required
def session_approve(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    form = ApproveShiftForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, record, form)
    try:
        services.session_approve(
            record=record,
            approved_by_user=request.user,
            comment=form.cleaned_data["comment"],
            seen_updated_at=form.cleaned_data["updated_at"],
        )
    except (FinalPOSError, services.ShiftError) as error:
        form = rebound_with_latest_version(form, record)
        form.add_error(None, write_failed_message(error))
        return _render_detail(request, record, form)
    messages.success(request, _("Shift %(number)s approved.") % {"number": record.session_number})
    return redirect("sessions_app:session_detail", session_id=record.id)


@require_POST
@staff_required
def session_refresh(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    try:
        services.session_refresh(record)
    except FinalPOSError as error:
        messages.error(
            request, _("Could not refresh from Final POS: %(error)s") % {"error": error.message}
        )
    else:
        messages.success(request, _("Refreshed from Final POS."))
    return redirect("sessions_app:session_detail", session_id=record.id)


@require_POST
@staff_required
def station_status_retry(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    error = services.station_status_push(record)
    if error:
        messages.error(
            request, _("The till's status is still not updated: %(error)s") % {"error": error}
        )
    else:
        messages.success(request, _("The till's status in Final POS is up to date."))
    return redirect("sessions_app:session_detail", session_id=record.id)
