"""Shift history for managers: filters in the URL, totals, CSV export, add a shift by id."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app import exports
from sessions_app.finalpos import FinalPOSError
from sessions_app.forms import AddShiftForm, HistoryFilterForm
from sessions_app.policy import outlet_zone
from sessions_app.roles import AuthenticatedRequest, allowed_outlet_ids, manager_required
from sessions_app.selectors.history import (
    HistoryCatalog,
    HistoryFilters,
    history_catalog,
    history_page_shifts,
    shift_history,
    with_cashier_names,
)
from sessions_app.selectors.history_totals import history_totals
from sessions_app.services.errors import ShiftError
from sessions_app.services.shift_import import shift_add_by_id
from sessions_app.tables import history_rows
from sessions_app.views.common import require_post_from

PAGE_SIZE = 50
# A page deep in a long list makes the database walk every row before it; past this many
# pages the history says so and points to the filters and the CSV, which has every row.
MAX_PAGES = 40


def _filters(
    request: AuthenticatedRequest, catalog: HistoryCatalog | None = None
) -> tuple[HistoryFilterForm, HistoryFilters]:
    catalog = catalog or history_catalog(user=request.user)
    form = HistoryFilterForm(request.GET or None, outlets=catalog.outlets, tills=catalog.tills)
    cleaned: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is shown with its error; the valid ones still apply
        cleaned = form.cleaned_data
    return form, with_cashier_names(HistoryFilters.from_cleaned(cleaned))


@manager_required
def shift_history_view(request: AuthenticatedRequest) -> HttpResponse:
    catalog = history_catalog(user=request.user)
    form, filters = _filters(request, catalog)
    records = shift_history(user=request.user, filters=filters)
    totals = history_totals(user=request.user, filters=filters, records=records)
    shifts = sum(per_currency.shifts for per_currency in totals)
    # The totals counted the shifts: the pages are positions in that count.
    paginator = Paginator(range(min(shifts, PAGE_SIZE * MAX_PAGES)), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page_shifts = history_page_shifts(
        user=request.user,
        filters=filters,
        offset=(page.number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "history/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": page_shifts,
            "table": history_rows(
                page_shifts,
                catalog.outlet_names,
                catalog.till_names,
                {outlet_id: outlet_zone(outlet_id) for outlet_id in catalog.outlet_names},
            ),
            "totals": totals,
            "shifts": shifts,
            "pages_capped": shifts > paginator.count,
            "query": query.urlencode(),
            "add_form": AddShiftForm(),
        },
    )


@manager_required
def shift_export_view(request: AuthenticatedRequest) -> HttpResponseBase:
    form, filters = _filters(request)
    if form.errors:  # never a file of more than was asked for: the history says what to fix
        return redirect(f"{reverse('sessions_app:shift_history')}?{request.GET.urlencode()}")
    records = shift_history(user=request.user, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        exports.shift_csv_chunks(user=request.user, records=records),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="shifts-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_post_from("sessions_app:shift_history")
@manager_required
def shift_add_view(request: AuthenticatedRequest) -> HttpResponse:
    form = AddShiftForm(request.POST)
    if form.is_valid():
        try:
            record = shift_add_by_id(
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
            return redirect("sessions_app:shift_detail", session_id=record.id)
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("session_id", [])))
    return redirect("sessions_app:shift_history")
