"""Opening a shift, its report page, approving it and re-reading it: thin views over the
services. Closing is in close.py, cash movements and the X report in drawer.py."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sessions_app.closing.report import from_index
from sessions_app.drafts import draft_accepted, typed_keep, typed_take
from sessions_app.finalpos import FinalPOSError, FinalPOSOutcomeUnknown
from sessions_app.formatting import money, plain_amount
from sessions_app.forms import ApproveShiftForm, OpenShiftForm
from sessions_app.models import SessionRecord, Station
from sessions_app.policy import outlet_money_activate
from sessions_app.roles import (
    AuthenticatedRequest,
    User,
    is_manager,
    manager_required,
    staff_required,
)
from sessions_app.selectors.audit import audit_for_shift
from sessions_app.selectors.catalog import (
    pending_open_for,
    till_choices_for,
    till_for_user,
    tills_busy_for,
    tills_for,
)
from sessions_app.selectors.handover import LeftInDrawer, left_in_drawer
from sessions_app.selectors.ledger import (
    latest_unsettled_write,
    shift_conflicts,
    shift_not_yet_written,
)
from sessions_app.selectors.report import shift_report
from sessions_app.selectors.review import approval_needs_a_reason
from sessions_app.selectors.shifts import shift_twins
from sessions_app.services.errors import OpenOutcomeUnknown, ShiftError, TillReportsInUse
from sessions_app.services.index import shift_refresh
from sessions_app.services.settle.opens import pending_open_check
from sessions_app.services.shift_open import shift_open
from sessions_app.services.shift_review import shift_approve
from sessions_app.services.till_status import till_status_push
from sessions_app.views.common import (
    local_url_or,
    rebound_with_latest_version,
    require_post_from,
    shift_for_user_or_404,
    upstream_version,
    warn_till_status,
    write_failed_message,
)

# --- Open -----------------------------------------------------------------------------------


@staff_required
def shift_open_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "check":
        return _check_the_lost_open(request)
    chosen_id = request.POST.get("station") or request.GET.get("station", "")
    # An open needs only the till it names (a cashier may have hundreds); the page lists all.
    named = (
        till_for_user(user=request.user, station_id=chosen_id) if request.method == "POST" else None
    )
    tills = [named] if named else _offered_tills(request.user)
    # The float is typed and counted in the chosen till's outlet's currency and notes.
    chosen_till = next((s for s in tills if s.id == chosen_id), tills[0] if tills else None)
    outlet_money_activate(chosen_till.outlet_id if chosen_till else None)
    # A posted form checks its till against the one it named, labelled when the page is shown.
    choices = [(named.id, named.name)] if named else till_choices_for(tills, user=request.user)
    form = OpenShiftForm(request.POST or None, till_choices=choices)
    in_use_warning = False
    if request.method == "POST" and form.is_valid():
        till = next((s for s in tills if s.id == form.cleaned_data["station"]), None)
        if till is None:
            raise Http404(_("No such till at your outlets."))
        # A till held by an open whose answer was lost opens again only on a manager's word,
        # checked by shift_open against the held number (OpenOutcomeUnknown below if not).
        cleaned = form.cleaned_data
        not_created = cleaned["confirm_not_created"] if cleaned["not_created_checked"] else ""
        try:
            result = shift_open(
                till=till,
                opened_by_user=request.user,
                opening_amount=cleaned["opening_amount"],
                opening_note=cleaned["opening_note"],
                cash_count=cleaned["cash_count"],
                not_created_number=not_created,
                in_use_confirmed=cleaned["confirm_in_use"],
            )
        except TillReportsInUse as error:
            form.add_error(None, error.message)
            in_use_warning = True
        except OpenOutcomeUnknown:
            pass  # the till is held now: the page's block on it says what happened, once
        except (FinalPOSError, ShiftError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            draft_accepted(request, "open")
            messages.success(
                request,
                _("Shift %(number)s is open on %(station)s with a float of %(float)s.")
                % {
                    "number": result.record.session_number,
                    "station": till.name,
                    "float": money(result.record.opening_amount, result.record.currency),
                },
            )
            _warn_handover(request, result.record)
            warn_till_status(request, result)
            return redirect("sessions_app:board")
    return _open_page(request, form, tills, in_use_warning=in_use_warning, relist=named is not None)


def _offered_tills(user: User) -> list[Station]:
    return list(tills_for(user=user).order_by("outlet_id", "name"))


def _open_page(
    request: AuthenticatedRequest,
    form: OpenShiftForm,
    tills: list[Station],
    *,
    in_use_warning: bool,
    relist: bool,
) -> HttpResponse:
    if relist:  # a posted form, checked against the till it named, lists every till again
        tills = _offered_tills(request.user)
        form.offer_tills(till_choices_for(tills, user=request.user))
    # The form is shown: which tills are busy, and the float each one's last shift left
    # (one query each, whatever the number of tills).
    busy = tills_busy_for(user=request.user)
    left_by_till = left_in_drawer([till.id for till in tills])
    form.show_tills(
        busy={
            station_id: _("open (%(who)s)") % {"who": shift.opened_by}
            for station_id, shift in busy.items()
        },
        handover_floats={
            station_id: plain_amount(drawer.amount) for station_id, drawer in left_by_till.items()
        },
    )
    if not form.is_bound:
        asked = request.GET.get("station", "")
        if asked in busy:  # opened meanwhile, e.g. on the till itself: say so, choose none
            till_name = next((till.name for till in tills if till.id == asked), asked)
            messages.warning(
                request,
                _("%(till)s already has an open shift: %(number)s, opened by %(cashier)s.")
                % {
                    "till": till_name,
                    "number": busy[asked].session_number,
                    "cashier": busy[asked].opened_by,
                },
            )
            asked = ""
        form.initial.update(_open_initial(asked, left_by_till))
    chosen = form["station"].value()
    chosen_till = next((till for till in tills if till.id == chosen), None)
    return render(
        request,
        "shifts/open.html",
        {
            "form": form,
            "has_tills": len(busy) < len(tills),
            "draft_key": "open",
            "pending": pending_open_for(chosen_till) if chosen_till else None,
            "can_confirm_not_created": is_manager(request.user),
            "in_use_warning": in_use_warning,
        },
    )


def _check_the_lost_open(request: AuthenticatedRequest) -> HttpResponse:
    """*Check again*: looks for the shift of an open whose answer was lost (reads only), then
    shows the open page again (post/redirect/get)."""
    till = till_for_user(user=request.user, station_id=request.POST.get("station", ""))
    if till is None:
        raise Http404(_("No such till at your outlets."))
    check = pending_open_check(till=till)
    if check.found is not None:
        messages.success(
            request,
            _("Found it: %(number)s is open on %(till)s in Final POS. Nothing was opened twice.")
            % {"number": check.found.session_number, "till": till.name},
        )
        return redirect("sessions_app:shift_detail", session_id=check.found.id)
    if pending_open_for(till) is None:
        messages.info(request, _("%(till)s is free to open.") % {"till": till.name})
    elif check.till_in_use:
        messages.warning(
            request,
            _(
                "Not found yet, and %(till)s tells Final POS it is in use: the shift most "
                "likely exists. It shows up here once the till records a sale on it."
            )
            % {"till": till.name},
        )
    else:
        messages.warning(
            request,
            _(
                "Not found yet. A shift with no sales cannot be seen from here: look at "
                "%(till)s. A manager who finds no open shift there can confirm it was not "
                "created."
            )
            % {"till": till.name},
        )
    return redirect(f"{reverse('sessions_app:shift_open')}?station={till.id}")


def _open_initial(station_id: str, left: dict[str, LeftInDrawer]) -> dict[str, str]:
    initial = {"station": station_id}
    if station_id in left:
        initial["opening_amount"] = plain_amount(left[station_id].amount)
    return initial


def _warn_handover(request: AuthenticatedRequest, record: SessionRecord) -> None:
    """The float differs from what the till's last shift left (the new shift's report says
    so: the open put the handover there)."""
    report = from_index(record.report)
    handover = report.handover if report is not None else None
    if handover is not None and handover.expected_float != record.opening_amount:
        messages.warning(
            request,
            _(
                "The last shift on this till (%(number)s) left %(left)s in the drawer; this one "
                "opened with %(float)s. The difference is noted on the shift's report."
            )
            % {
                "number": handover.from_session_number,
                "left": money(handover.expected_float, record.currency),
                "float": money(record.opening_amount, record.currency),
            },
        )


# --- Report, approval, station status -------------------------------------------------------


@staff_required
def shift_detail_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    return _render_detail(request, record)


def _render_detail(
    request: AuthenticatedRequest,
    record: SessionRecord,
    approve_form: ApproveShiftForm | None = None,
) -> HttpResponse:
    if approve_form is None and record.needs_review and is_manager(request.user):
        kept = typed_take(request, f"approve:{record.id}")  # an approval not saved
        approve_form = ApproveShiftForm(
            initial={**kept, "updated_at": upstream_version(record)},
            reason_required=approval_needs_a_reason(record),
        )
    return render(
        request,
        "shifts/detail.html",
        {
            "report": shift_report(record),
            "record": record,
            "approve_form": approve_form,
            "can_approve": is_manager(request.user),
            "conflicts": shift_conflicts(record=record),
            "unsettled": latest_unsettled_write(record=record),
            "twins": shift_twins(record=record),
            "not_yet_written": shift_not_yet_written(record=record),
            "audit": audit_for_shift(record=record)[:50] if is_manager(request.user) else [],
        },
    )


@require_post_from("sessions_app:shift_detail", "session_id")
@manager_required
def shift_approve_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    reason_required = approval_needs_a_reason(record)
    form = ApproveShiftForm(request.POST, reason_required=reason_required)
    queue = _review_queue_sent_from(request)
    if not form.is_valid():
        return _approval_refused(request, record, form, queue)
    try:
        shift_approve(
            record=record,
            approved_by_user=request.user,
            comment=form.cleaned_data["comment"],
            reason=form.cleaned_data["reason"],
            with_movements=form.cleaned_data["with_movements"],
            seen_updated_at=form.cleaned_data["updated_at"],
        )
    except FinalPOSOutcomeUnknown:  # sent, answer lost: its own page settles it
        typed_keep(request, f"approve:{record.id}", request.POST)
        return redirect("sessions_app:write_outcome", session_id=record.id)
    except (FinalPOSError, ShiftError) as error:
        form = rebound_with_latest_version(form, record, reason_required=reason_required)
        form.add_error(None, write_failed_message(error))
        return _approval_refused(request, record, form, queue)
    messages.success(request, _("Shift %(number)s approved.") % {"number": record.session_number})
    if queue:
        return redirect(queue)
    return redirect("sessions_app:shift_detail", session_id=record.id)


def _review_queue_sent_from(request: AuthenticatedRequest) -> str | None:
    """The review queue's address, with its outlet, when the approval was sent from it."""
    sent_from = local_url_or(request.GET.get("next"), "")
    return sent_from if urlsplit(sent_from).path == reverse("sessions_app:review_queue") else None


def _approval_refused(
    request: AuthenticatedRequest,
    record: SessionRecord,
    form: ApproveShiftForm,
    queue: str | None,
) -> HttpResponse:
    """The form again where it was sent from, with everything typed: the report page, or the
    review queue (post/redirect/get: it shows the kept values checked again beside their
    fields, and what Final POS refused in a message)."""
    if queue is None:
        return _render_detail(request, record, form)
    typed_keep(request, f"approve:{record.id}", request.POST)
    refusal = " ".join(str(error) for error in form.non_field_errors()) or _(
        "Some values need fixing; see the messages next to them."
    )
    messages.error(
        request,
        _("Shift %(number)s was not approved. %(refusal)s")
        % {"number": record.session_number, "refusal": refusal},
    )
    return redirect(f"{queue}#review-{record.id}")


@require_post_from("sessions_app:shift_detail", "session_id")
@staff_required
def shift_refresh_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    try:
        shift_refresh(record)
    except FinalPOSError as error:
        messages.error(
            request, _("Could not refresh from Final POS: %(error)s") % {"error": error.message}
        )
    else:
        messages.success(request, _("Refreshed from Final POS."))
    return redirect("sessions_app:shift_detail", session_id=record.id)


@require_post_from("sessions_app:shift_detail", "session_id")
@staff_required
def till_status_retry_view(request: AuthenticatedRequest, session_id: str) -> HttpResponse:
    record = shift_for_user_or_404(request, session_id)
    error = till_status_push(record)
    if error:
        messages.error(
            request, _("The till's status is still not updated: %(error)s") % {"error": error}
        )
    else:
        messages.success(request, _("The till's status in Final POS is up to date."))
    return redirect("sessions_app:shift_detail", session_id=record.id)
