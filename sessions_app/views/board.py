"""The home page: the user's outlets and what is happening at their tills."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sessions_app import selectors
from sessions_app.roles import AuthenticatedRequest, is_manager, staff_required

LARGEST_VARIANCE_DAYS = 7


@staff_required
def board(request: AuthenticatedRequest) -> HttpResponse:
    manager = is_manager(request.user)
    recent = selectors.recent_closed_shifts(user=request.user)
    week_start = timezone.localdate() - timedelta(days=LARGEST_VARIANCE_DAYS - 1)
    largest = selectors.largest_variances(user=request.user, since=week_start) if manager else []
    outlet_names, station_names = selectors.names_for([*recent, *largest])
    return render(
        request,
        "board/board.html",
        {
            "board": selectors.board_outlets(user=request.user),
            "catalog_sync": selectors.catalog_sync_state(),
            "recent": recent,
            "largest": largest,
            "week_start": week_start,
            "outlet_names": outlet_names,
            "station_names": station_names,
            "review_count": selectors.shifts_needing_review(user=request.user) if manager else 0,
        },
    )
