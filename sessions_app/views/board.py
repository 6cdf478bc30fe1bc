"""The home page: the user's outlets and what is happening at their tills."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sessions_app.board_cards import outlet_cards
from sessions_app.roles import AuthenticatedRequest, is_manager, staff_required
from sessions_app.selectors.board import (
    board_outlets,
    largest_variances,
    recent_closed_shifts,
    shifts_in_conflict,
    shifts_needing_review,
)
from sessions_app.selectors.catalog import catalog_sync_state, refresh_problems
from sessions_app.selectors.shifts import names_for
from sessions_app.services.refresh import finalpos_refresh

LARGEST_VARIANCE_DAYS = 7


@staff_required
def board_view(request: AuthenticatedRequest) -> HttpResponse:
    manager = is_manager(request.user)
    recent = recent_closed_shifts(user=request.user)
    week_start = timezone.localdate() - timedelta(days=LARGEST_VARIANCE_DAYS - 1)
    largest = largest_variances(user=request.user, since=week_start) if manager else []
    outlet_names, station_names = names_for([*recent, *largest])
    return render(
        request,
        "board/board.html",
        {
            "outlet_cards": outlet_cards(board_outlets(user=request.user)),
            "catalog_sync": catalog_sync_state(),
            "refresh_problems": refresh_problems(),
            "recent": recent,
            "largest": largest,
            "week_start": week_start,
            "outlet_names": outlet_names,
            "station_names": station_names,
            "review_count": shifts_needing_review(user=request.user) if manager else 0,
            "conflict_count": shifts_in_conflict(user=request.user) if manager else 0,
        },
    )


@require_POST
@staff_required
def board_refresh_view(request: AuthenticatedRequest) -> HttpResponse:
    """Checks Final POS now: tills, shifts the tills opened, open and recent shifts."""
    result = finalpos_refresh()
    found = result.discovery.found if result.discovery else 0
    if result.errors:
        messages.warning(
            request,
            _("Checked Final POS, but not everything could be read: %(errors)s")
            % {"errors": " ".join(result.errors)},
        )
    else:
        message = _("Checked Final POS: the tills and shifts below are up to date.")
        if found:
            message += " " + ngettext(
                "%(count)d shift opened on a till was added.",
                "%(count)d shifts opened on the tills were added.",
                found,
            ) % {"count": found}
        messages.success(request, message)
    return redirect("sessions_app:board")
