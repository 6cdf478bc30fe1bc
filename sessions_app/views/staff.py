"""Managers see their team: who is a cashier or a manager, and in which outlets."""

from django.http import HttpResponse
from django.shortcuts import render

from sessions_app import selectors
from sessions_app.roles import AuthenticatedRequest, manager_required


@manager_required
def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "staff/list.html",
        {"members": selectors.staff_list(user=request.user)},
    )
