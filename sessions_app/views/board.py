"""The home page: the user's outlets and what is happening at their tills."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions_app.board_cards import outlet_cards
from sessions_app.forms.board import BoardOutletForm
from sessions_app.policy import outlet_zone
from sessions_app.roles import AuthenticatedRequest, is_manager, staff_required
from sessions_app.selectors.board import (
    board_page,
    largest_variances,
    recent_closed_shifts,
    shifts_in_conflict,
    shifts_needing_review,
)
from sessions_app.selectors.catalog import refresh_status, till_names_of
from sessions_app.services.refresh import finalpos_refresh
from sessions_app.tables import shift_rows
from sessions_app.views.common import local_url_or, require_post_from

LARGEST_VARIANCE_DAYS = 7


@staff_required
def board_view(request: AuthenticatedRequest) -> HttpResponse:
    manager = is_manager(request.user)
    board = board_page(
        user=request.user,
        page_number=request.GET.get("page"),
        outlet_id=request.GET.get("outlet", ""),
    )
    chosen = board.chosen  # the outlet chosen, checked against the user's; "" for all
    recent = recent_closed_shifts(user=request.user, outlet_id=chosen)
    week_start = timezone.localdate() - timedelta(days=LARGEST_VARIANCE_DAYS - 1)
    largest = (
        largest_variances(user=request.user, since=week_start, outlet_id=chosen) if manager else []
    )
    outlet_names = dict(board.choices)
    till_names = till_names_of([*recent, *(shift for _code, shifts in largest for shift in shifts)])
    zones = {outlet_id: outlet_zone(outlet_id) for outlet_id in outlet_names}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "board/board.html",
        {
            "outlet_cards": outlet_cards(board.outlets),
            "page": board.page,
            "query": query.urlencode(),
            "outlet_form": BoardOutletForm({"outlet": board.chosen}, outlets=board.choices)
            if len(board.choices) > 1
            else None,
            "refresh_status": refresh_status(),
            "recent": recent,
            "largest": largest,
            "recent_rows": shift_rows(recent, outlet_names, till_names, when="closed", zones=zones),
            "largest_tables": [
                (
                    code,
                    shift_rows(shifts, outlet_names, till_names, when="business_day", zones=zones),
                )
                for code, shifts in largest
            ],
            "week_start": week_start,
            "chosen_outlet": chosen,
            "review_count": (
                shifts_needing_review(user=request.user, outlet_id=chosen) if manager else 0
            ),
            "conflict_count": (
                shifts_in_conflict(user=request.user, outlet_id=chosen) if manager else 0
            ),
        },
    )


@require_post_from("sessions_app:board")
@staff_required
def board_refresh_view(request: AuthenticatedRequest) -> HttpResponse:
    """Checks Final POS now: tills, shifts the tills opened, open and recent shifts; then back
    to the board as it was shown (its outlet and page)."""
    result = finalpos_refresh()
    found = result.discovery.found if result.discovery else 0
    if not result.errors:  # otherwise the board's own notice says what went wrong, once
        message = _("Checked Final POS: the tills and shifts below are up to date.")
        if found:
            message += " " + ngettext(
                "%(count)d shift opened on a till was added.",
                "%(count)d shifts opened on the tills were added.",
                found,
            ) % {"count": found}
        messages.success(request, message)
    return redirect(local_url_or(request.POST.get("next"), reverse("sessions_app:board")))
