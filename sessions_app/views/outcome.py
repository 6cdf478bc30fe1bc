"""A write whose answer was lost, on a page of its own: not confirmed yet, and one thing to
do, *Check again*, which reads Final POS and never sends the write again (post/redirect/get:
a reload repeats nothing)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sessions_app.drafts import draft_accepted, typed_take
from sessions_app.finalpos import FinalPOSError
from sessions_app.models import LedgerEntry, SessionRecord
from sessions_app.roles import AuthenticatedRequest, staff_required
from sessions_app.selectors.ledger import WRITE_WORDS, latest_unsettled_write
from sessions_app.services.index import shift_refresh
from sessions_app.views.common import shift_for_user_or_404

# Where a person goes once a lost write turns out not saved: the page that sends it again,
# with what they typed still kept on the device.
AGAIN = {
    LedgerEntry.CLOSE: "sessions_app:shift_close",
    LedgerEntry.CORRECTION: "sessions_app:shift_correct",
    LedgerEntry.REOPEN: "sessions_app:shift_reopen",
    LedgerEntry.APPROVAL: "sessions_app:shift_detail",
}
KEPT = {
    LedgerEntry.CLOSE: "close:{id}",
    LedgerEntry.CORRECTION: "correct:{id}",
    LedgerEntry.REOPEN: "reopen:{id}",
    LedgerEntry.APPROVAL: "approve:{id}",
}
DRAFTS = {LedgerEntry.CLOSE: "close:{id}", LedgerEntry.CORRECTION: "correct:{id}"}


@require_http_methods(["GET", "POST"])
@staff_required
def write_outcome_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    entry = latest_unsettled_write(record=record)
    if request.method == "POST":
        return _check_again(request, record, entry)
    if entry is None:
        return redirect("sessions_app:shift_detail", session_id=record.id)
    return render(
        request,
        "shifts/outcome.html",
        {"record": record, "entry": entry, "what": WRITE_WORDS.get(entry.kind, entry.kind)},
    )


def _check_again(
    request: AuthenticatedRequest, record: SessionRecord, entry: LedgerEntry | None
) -> HttpResponse:
    try:
        record = shift_refresh(record)  # the read settles the entry (services/ledger.py)
    except FinalPOSError as error:
        messages.warning(
            request,
            _("Still not confirmed: Final POS did not answer (%(error)s). Check again in a moment.")
            % {"error": error.message},
        )
        return redirect("sessions_app:write_outcome", session_id=record.id)
    if entry is None:
        return redirect("sessions_app:shift_detail", session_id=record.id)
    entry.refresh_from_db()
    what = WRITE_WORDS.get(entry.kind, entry.kind)
    if entry.state == LedgerEntry.UNKNOWN:
        messages.info(
            request,
            _(
                "Final POS does not show the %(what)s yet. A write still on its way lands within "
                "seconds: check again in a moment."
            )
            % {"what": what},
        )
        return redirect("sessions_app:write_outcome", session_id=record.id)
    if entry.state == LedgerEntry.NOT_LANDED:
        messages.error(
            request,
            _(
                "Not saved: Final POS does not have the %(what)s of %(number)s. Nothing was "
                "saved; what you typed is still here, so send it again."
            )
            % {"what": what, "number": record.session_number},
        )
        return redirect(AGAIN.get(entry.kind, "sessions_app:shift_detail"), session_id=record.id)
    if entry.kind in DRAFTS:
        draft_accepted(request, DRAFTS[entry.kind].format(id=record.id))
    if entry.kind in KEPT:
        typed_take(request, KEPT[entry.kind].format(id=record.id))  # saved: nothing to restore
    messages.success(
        request,
        _("Saved: Final POS has the %(what)s of %(number)s.")
        % {"what": what, "number": record.session_number},
    )
    return redirect("sessions_app:shift_detail", session_id=record.id)
