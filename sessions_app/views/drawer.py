"""The drawer during a shift: cash put in or taken out, and the X report of what it should
hold now."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions_app.drafts import draft_accepted
from sessions_app.finalpos import FinalPOSError
from sessions_app.formatting import money
from sessions_app.forms import CashMovementForm
from sessions_app.models import SessionRecord
from sessions_app.policy import counts_blind, outlet_policy
from sessions_app.roles import (
    AuthenticatedRequest,
    is_manager,
    manager_required,
    staff_required,
)
from sessions_app.selectors.ledger import movements_above_limit
from sessions_app.selectors.report import shift_report
from sessions_app.services.cash_movements import (
    KIND_NAMES,
    cash_movement_approve,
    cash_movement_record,
)
from sessions_app.services.errors import ShiftError
from sessions_app.services.x_report import x_report_build
from sessions_app.views.common import require_post_from, shift_for_user_or_404, write_failed_message


@staff_required
def cash_movement_new_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if not record.is_open or record.deleted_at:
        messages.error(request, _("This shift is closed: cash can no longer be moved."))
        return redirect("sessions_app:shift_detail", session_id=record.id)
    form = CashMovementForm(
        request.POST or None, initial={"movement_id": uuid.uuid4().hex, "kind": "pay_out"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = cash_movement_record(
                record=record,
                recorded_by_user=request.user,
                movement_id=data["movement_id"],
                kind=data["kind"],
                amount=data["amount"],
                reason=data["reason"],
                note=data["note"],
            )
        except (FinalPOSError, ShiftError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            draft_accepted(request, f"movement:{record.id}")
            _say_recorded(request, result.record, data)
            return redirect("sessions_app:x_report", session_id=record.id)
    return render(
        request,
        "shifts/movement.html",
        {
            "record": record,
            "form": form,
            "draft_key": f"movement:{record.id}",
            "movement_limit": outlet_policy(record.outlet_id).movement_approval_limit,
        },
    )


def _say_recorded(request: AuthenticatedRequest, record: SessionRecord, data: dict) -> None:
    """One message: recorded, and what happens to it now (a manager to approve it, the till
    to close the shift before it is written)."""
    above = movements_above_limit(record=record, movement_id=data["movement_id"])
    said = _("%(kind)s of %(amount)s recorded on %(number)s.") % {
        "kind": str(KIND_NAMES[data["kind"]]).capitalize(),
        "amount": money(data["amount"]),
        "number": record.session_number,
    }
    if above is not None:
        running = (
            _(
                "The pay-ins on this shift now come to %(total)s, above the limit of %(limit)s: "
                "a manager must approve it."
            )
            if above.kind == "pay_in"
            else _(
                "The pay-outs on this shift now come to %(total)s, above the limit of "
                "%(limit)s: a manager must approve it."
            )
        )
        said += " " + running % {"total": money(above.total), "limit": money(above.limit)}
    if record.held_by_till:
        said += " " + _(
            "It counts in what the drawer should hold now, and is written to Final POS once "
            "the till has closed the shift."
        )
    messages.success(request, said)


@require_post_from("sessions_app:shift_detail", "session_id")
@manager_required
def cash_movement_approve_view(
    request: AuthenticatedRequest, session_id: str, movement_id: str
) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    try:
        cash_movement_approve(record=record, movement_id=movement_id, approved_by_user=request.user)
    except (FinalPOSError, ShiftError) as error:
        messages.error(request, write_failed_message(error))
    else:
        messages.success(request, _("Cash movement approved."))
    return redirect("sessions_app:shift_detail", session_id=record.id)


@staff_required
def x_report_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if not record.is_open or record.deleted_at:
        return redirect("sessions_app:shift_detail", session_id=record.id)
    report = x_report_build(record=record)
    if not report.record.is_open:  # closed meanwhile: its Z report is what counts now
        messages.info(request, _("This shift has just been closed."))
        return redirect("sessions_app:shift_detail", session_id=record.id)
    shown = shift_report(report.record)
    return render(
        request,
        "shifts/x_report.html",
        {
            "x": report,
            "record": report.record,
            "till_name": shown.till_name,
            "outlet_name": shown.outlet_name,
            "outlet": shown.outlet,
            "company_name": shown.company_name,
            "can_approve": False,
            "blind": counts_blind(outlet_id=record.outlet_id, is_manager=is_manager(request.user)),
        },
    )
