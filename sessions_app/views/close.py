"""Closing a shift at the till: count, review against expected, confirm.

Nothing is written to Final POS before the confirm step. On a blind count, the first count
checked against expected is kept (services/blind_count.py), whatever happens after.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.parts import FIRST_COUNT
from sessions_app.closing.report import ClosingReport, from_index
from sessions_app.closing.variance import BALANCED
from sessions_app.drafts import draft_accepted, typed_keep, typed_take
from sessions_app.finalpos import FinalPOSError, FinalPOSNotFound, FinalPOSOutcomeUnknown
from sessions_app.formatting import differences_text
from sessions_app.forms import CloseShiftForm
from sessions_app.models import SessionRecord
from sessions_app.policy import counts_blind, recount_allowed
from sessions_app.roles import AuthenticatedRequest, is_manager, staff_required
from sessions_app.selectors.blind_count import count_revealed_at
from sessions_app.selectors.catalog import till_name
from sessions_app.selectors.ledger import latest_unsettled_write
from sessions_app.selectors.report import foreign_sales_lines
from sessions_app.services.blind_count import blind_count_expected_shown, blind_count_reveal
from sessions_app.services.errors import (
    CountIsFinal,
    ShiftAlreadyClosed,
    ShiftChanged,
    ShiftError,
    VarianceReasonRequired,
)
from sessions_app.services.index import shift_refresh
from sessions_app.services.shift_close import (
    shift_close,
    shift_close_preview,
    shift_expected_now,
)
from sessions_app.views.common import (
    rebound_with_latest_version,
    shift_for_user_or_404,
    upstream_version,
    warn_till_status,
    write_failed_message,
)

CLOSE_FORM = "shifts/close.html"
CLOSE_CONFIRM = "shifts/close_confirm.html"
REVIEW_DUE = gettext_lazy(
    "A difference or a cash movement is above the limit: a manager must review this shift."
)
FIRST_COUNT_REVIEW_DUE = gettext_lazy(
    "The first count, made before expected was shown, was off by more than the review limit: "
    "a manager must review this shift."
)
MOVEMENT_WAITS = gettext_lazy("Cash moved above the movement limit waits for approval.")


def _close_context(
    request: AuthenticatedRequest,
    record: SessionRecord,
    form: CloseShiftForm,
    *,
    blind: bool | None = None,
    **extra: Any,
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
        "till_name": till_name(record.station_id),
        "blind": _blind_for(request, record) if blind is None else blind,
        "recount_allowed": _may_recount(request, record),
        "draft_key": f"close:{record.id}",
        **extra,
    }


def _blind_for(request: AuthenticatedRequest, record: SessionRecord) -> bool:
    return counts_blind(outlet_id=record.outlet_id, is_manager=is_manager(request.user))


@staff_required
def shift_close_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if latest_unsettled_write(record=record) is not None:  # settle that before anything else
        return redirect("sessions_app:write_outcome", session_id=record.id)
    if request.method != "POST":
        return _close_start(request, record)
    form = CloseShiftForm(request.POST)
    action = request.POST.get("action", "review")
    valid = form.is_valid()
    if action == "confirm" and not valid and set(form.errors) <= {"variance_reason"}:
        return _close_review(request, record, form)  # only the reason needs fixing
    if action == "edit" and not _may_recount(request, record):
        action = "review"  # the first count stands; the review step says why
    if action == "edit" or not valid:
        return _count_page(request, record, form)
    if action == "confirm":
        return _close_confirm(request, record, form)
    return _close_review(request, record, form)


def _may_recount(request: AuthenticatedRequest, record: SessionRecord) -> bool:
    return recount_allowed(outlet_id=record.outlet_id, is_manager=is_manager(request.user))


def _close_start(request: AuthenticatedRequest, record: SessionRecord) -> HttpResponse:
    stale_note = ""
    try:
        record = shift_refresh(record)
    except FinalPOSNotFound:
        messages.error(request, _("Final POS no longer has this shift."))
        return redirect("sessions_app:shift_detail", session_id=record.id)
    except FinalPOSError as error:
        stale_note = error.message
    if not record.is_open or record.deleted_at:
        messages.info(request, _("This shift is already closed."))
        return redirect("sessions_app:shift_detail", session_id=record.id)
    if record.held_by_till:
        messages.info(
            request,
            _(
                "This shift was opened on the till, which holds it open: close it on the till. "
                "Cash moved here is kept and added to it once the till has closed it."
            ),
        )
        return redirect("sessions_app:shift_detail", session_id=record.id)
    form = CloseShiftForm(
        initial={
            **typed_take(request, f"close:{record.id}"),  # a close that was not saved
            "close_request_id": uuid.uuid4().hex,
            "updated_at": upstream_version(record),
        }
    )
    return _count_page(request, record, form, stale_note=stale_note)


def _count_page(
    request: AuthenticatedRequest, record: SessionRecord, form: CloseShiftForm, **extra: Any
) -> HttpResponse:
    """The count, first or sent back: expected beside each figure, unless the count is blind
    and expected has not been shown yet."""
    blind = _blind_for(request, record)
    revealed_at = count_revealed_at(record.id) if blind else None
    expected = shift_expected_now(record) if not blind or revealed_at else None
    return render(
        request,
        CLOSE_FORM,
        _close_context(
            request,
            record,
            form,
            blind=blind and revealed_at is None,
            revealed_at=revealed_at,
            expected=expected,
            **extra,
        ),
    )


def _close_review(
    request: AuthenticatedRequest, record: SessionRecord, form: CloseShiftForm
) -> HttpResponse:
    """The confirmation step: the summary with expected figures, before anything is written."""
    if _blind_for(request, record):
        try:
            blind_count_reveal(record=record, counted=form.counted(), revealed_to=request.user)
        except CountIsFinal as error:
            form.add_error(None, error.message)
            return _count_page(request, record, form)
    figures = shift_close_preview(
        record=record, counted=form.counted(), cash_count=form.cleaned_data.get("cash_count")
    )
    if _blind_for(request, record):
        blind_count_expected_shown(record=record, reconciliation=figures.reconciliation)
    if figures.reconciliation.reason_required or figures.review_forced:
        form.fields["variance_reason"].required = True
    return render(
        request,
        CLOSE_CONFIRM,
        _close_context(
            request,
            record,
            form,
            figures=figures,
            foreign_sales=foreign_sales_lines(figures.sales),
            reconciliation=figures.reconciliation,
            drop=figures.cash_drop,
            reason_threshold=figures.reconciliation.policy.reason_threshold,
            approval_threshold=figures.reconciliation.policy.approval_threshold,
        ),
    )


def _close_confirm(
    request: AuthenticatedRequest, record: SessionRecord, form: CloseShiftForm
) -> HttpResponse:
    data = form.cleaned_data
    try:
        result = shift_close(
            record=record,
            closed_by_user=request.user,
            counted=form.counted(),
            closing_note=data["closing_note"],
            variance_reason=data["variance_reason"],
            cash_count=data["cash_count"],
            seen_updated_at=data["updated_at"],
            close_request_id=data["close_request_id"],
        )
    except ShiftAlreadyClosed as error:
        messages.error(request, error.message)
        return redirect("sessions_app:shift_detail", session_id=record.id)
    except VarianceReasonRequired as error:
        form.add_error("variance_reason", error.message)
        return _close_review(request, record, form)
    except ShiftChanged as error:
        form = rebound_with_latest_version(form, record)
        form.add_error(None, error.message)
        return _close_review(request, record, form)
    except FinalPOSOutcomeUnknown:  # sent, answer lost: its own page settles it
        typed_keep(request, f"close:{record.id}", request.POST)
        return redirect("sessions_app:write_outcome", session_id=record.id)
    except (FinalPOSError, ShiftError) as error:
        form.add_error(None, write_failed_message(error))
        return _close_review(request, record, form)
    closed = result.record
    draft_accepted(request, f"close:{record.id}")
    if not closed.result:
        summary = _("Shift %(number)s is closed. Expected amounts were not available.")
    elif closed.result == BALANCED:
        summary = _("Shift %(number)s is closed and balanced.")
    else:
        summary = _("Shift %(number)s is closed: %(differences)s.")
    summary %= {"number": closed.session_number, "differences": differences_text(closed.variances)}
    if closed.needs_review:  # one message: the close, and why a manager will look at it
        report = from_index(closed.report)
        first_count = report is not None and report.review.cause == FIRST_COUNT
        why = str(FIRST_COUNT_REVIEW_DUE if first_count else REVIEW_DUE)
        if first_count and report is not None and _movement_waits(report):
            why = f"{why} {MOVEMENT_WAITS}"  # the other cause, named too
        messages.warning(request, f"{summary} {why}")
    else:
        messages.success(request, summary)
    warn_till_status(request, result)
    return redirect("sessions_app:shift_detail", session_id=closed.id)


def _movement_waits(report: ClosingReport) -> bool:
    return any(
        isinstance(movement, CashMovement) and movement.awaiting_approval
        for movement in report.cash_movements
    )
