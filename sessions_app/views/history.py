"""Shift history for managers: filters in the URL, totals, CSV export, add a shift by id."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions_app import exports
from sessions_app.finalpos import FinalPOSError
from sessions_app.forms import AddSessionForm, HistoryFilterForm
from sessions_app.roles import AuthenticatedRequest, allowed_outlet_ids, manager_required
from sessions_app.selectors.history import (
    HistoryFilters,
    history_choices,
    history_totals,
    session_history,
)
from sessions_app.selectors.shifts import names_for
from sessions_app.services.errors import ShiftError
from sessions_app.services.shift_import import session_add_by_id

PAGE_SIZE = 50
# A page deep in a long list makes the database walk every row before it; past this many
# pages the history says so and points to the filters and the CSV, which has every row.
MAX_PAGES = 40


def _filters(request: AuthenticatedRequest) -> tuple[HistoryFilterForm, HistoryFilters]:
    outlets, stations = history_choices(user=request.user)
    form = HistoryFilterForm(request.GET or None, outlets=outlets, stations=stations)
    cleaned: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is shown with its error; the valid ones still apply
        cleaned = form.cleaned_data
    return form, HistoryFilters.from_cleaned(cleaned)


@manager_required
def session_history_view(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _filters(request)
    records = session_history(user=request.user, filters=filters)
    totals = history_totals(user=request.user, filters=filters, records=records)
    shifts = sum(per_currency.shifts for per_currency in totals)
    paginator = Paginator(records, PAGE_SIZE)
    paginator.count = min(shifts, PAGE_SIZE * MAX_PAGES)  # the totals counted them
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    outlet_names, station_names = names_for(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "history/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": rows,
            "totals": totals,
            "shifts": shifts,
            "pages_capped": shifts > paginator.count,
            "outlet_names": outlet_names,
            "station_names": station_names,
            "query": query.urlencode(),
            "add_form": AddSessionForm(),
        },
    )


@manager_required
def session_export_view(request: AuthenticatedRequest) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    records = session_history(user=request.user, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        exports.shift_csv_chunks(user=request.user, records=records),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="shifts-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@manager_required
def session_add_view(request: AuthenticatedRequest) -> HttpResponse:
    form = AddSessionForm(request.POST)
    if form.is_valid():
        try:
            record = session_add_by_id(
                session_id=form.cleaned_data["session_id"],
                added_by_user=request.user,
                allowed_outlet_ids=allowed_outlet_ids(request.user),
            )
        except (FinalPOSError, ShiftError) as error:
            messages.error(
                request, _("Could not add the shift: %(error)s") % {"error": error.message}
            )
        else:
            messages.success(
                request, _("Shift %(number)s added.") % {"number": record.session_number}
            )
            return redirect("sessions_app:session_detail", session_id=record.id)
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("session_id", [])))
    return redirect("sessions_app:session_history")
