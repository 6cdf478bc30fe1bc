"""The home page: the user's outlets and what is happening at their tills."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sessions_app import selectors
from sessions_app.roles import staff_required
from sessions_app.services import CATALOG


@staff_required
def board(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "board/board.html",
        {
            "board": selectors.board_outlets(user=request.user),
            "catalog_sync": selectors.sync_state(CATALOG),
        },
    )
