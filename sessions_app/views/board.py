"""The home page: the user's outlets and what is happening at their tills."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sessions_app import selectors
from sessions_app.roles import is_manager, staff_required
from sessions_app.services import CATALOG


@staff_required
def board(request: HttpRequest) -> HttpResponse:
    recent = selectors.recent_closed_shifts(user=request.user)
    outlet_names, station_names = selectors.names_for(recent)
    return render(
        request,
        "board/board.html",
        {
            "board": selectors.board_outlets(user=request.user),
            "catalog_sync": selectors.sync_state(CATALOG),
            "recent": recent,
            "outlet_names": outlet_names,
            "station_names": station_names,
            "review_count": (
                selectors.shifts_needing_review(user=request.user)
                if is_manager(request.user)
                else 0
            ),
        },
    )
