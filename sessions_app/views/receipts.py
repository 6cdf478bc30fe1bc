"""The X and Z reports laid out for an 80 mm receipt printer, beside the page's own print."""

from django.http import HttpResponse
from django.shortcuts import redirect, render

from sessions_app.policy import counts_blind
from sessions_app.roles import AuthenticatedRequest, is_manager, staff_required
from sessions_app.selectors.report import shift_report
from sessions_app.services.x_report import x_report_build
from sessions_app.views.common import shift_for_user_or_404


@staff_required
def z_receipt_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if record.is_open:
        return redirect("sessions_app:x_receipt", session_id=record.id)
    return render(request, "receipts/z.html", {"record": record, "report": shift_report(record)})


@staff_required
def x_receipt_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    if not record.is_open or record.deleted_at:
        return redirect("sessions_app:z_receipt", session_id=record.id)
    report = x_report_build(record=record)
    return render(
        request,
        "receipts/x.html",
        {
            "record": report.record,
            "x": report,
            "shown": shift_report(report.record),
            "blind": counts_blind(outlet_id=record.outlet_id, is_manager=is_manager(request.user)),
        },
    )
