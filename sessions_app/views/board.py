"""The home page: the user's outlets and what is happening at their tills."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sessions_app import selectors
from sessions_app.roles import staff_required


@staff_required
def board(request: HttpRequest) -> HttpResponse:
    return render(
        request, "board/board.html", {"outlet_ids": selectors.outlet_ids_for(user=request.user)}
    )
