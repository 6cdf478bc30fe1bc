"""Shift history for managers: filters in the URL, totals, CSV export, add a shift by id."""

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions_app import selectors, services
from sessions_app.closing import payment_methods
from sessions_app.finalpos import FinalPOSError
from sessions_app.forms import AddSessionForm, HistoryFilterForm
from sessions_app.models import Station
from sessions_app.roles import allowed_outlet_ids, manager_required

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> tuple[HistoryFilterForm, selectors.HistoryFilters]:
    outlets, stations = selectors.history_choices(user=request.user)
    form = HistoryFilterForm(request.GET or None, outlets=outlets, stations=stations)
    cleaned: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is shown with its error; the valid ones still apply
        cleaned = form.cleaned_data
    return form, selectors.HistoryFilters.from_cleaned(cleaned)


@manager_required
def session_history(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    records = selectors.session_history(user=request.user, filters=filters)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    outlet_names, station_names = selectors.names_for(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "history/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "totals": selectors.history_totals(records),
            "outlet_names": outlet_names,
            "station_names": station_names,
            "query": query.urlencode(),
            "add_form": AddSessionForm(),
        },
    )


class _Echo:
    """csv.writer writes to this and gets each line back, so rows can be streamed."""

    def write(self, value: str) -> str:
        return value


@manager_required
def session_export(request: HttpRequest) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    records = selectors.session_history(user=request.user, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        _csv_rows(request.user, records), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="shifts-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _csv_rows(user: Any, records) -> Iterator[str]:
    writer = csv.writer(_Echo())
    methods = payment_methods()
    outlet_names = dict(selectors.outlets_for(user=user).values_list("id", "name"))
    station_names = dict(Station.objects.values_list("id", "name"))
    header = [
        "session_number", "session_id", "outlet", "station", "business_date", "opened_by",
        "open_time", "closed_by", "close_time", "opening_amount", "closing_amount",
    ]  # fmt: skip
    for method in methods:
        header += [f"{method.key}_counted", f"{method.key}_expected"]
    header += ["variance_total", "result", "review_state"]
    yield "\ufeff" + writer.writerow(header)  # the BOM makes Excel read UTF-8
    columns = ("id", "session_number", "outlet_id", "station_id", "business_date", "opened_by",
               "open_time", "closed_by", "close_time", "opening_amount", "closing_amount",
               "counted", "expected", "variance_total", "result", "review_state")  # fmt: skip
    for row in records.values_list(*columns).iterator(chunk_size=2000):
        values = dict(zip(columns, row, strict=True))
        line = [
            values["session_number"],
            values["id"],
            outlet_names.get(values["outlet_id"], values["outlet_id"]),
            station_names.get(values["station_id"], values["station_id"]),
            values["business_date"].isoformat(),
            _safe(values["opened_by"]),
            timezone.localtime(values["open_time"]).isoformat(timespec="seconds"),
            _safe(values["closed_by"]),
            timezone.localtime(values["close_time"]).isoformat(timespec="seconds")
            if values["close_time"]
            else "",
            values["opening_amount"],
            "" if values["closing_amount"] is None else values["closing_amount"],
        ]
        for method in methods:
            line += [values["counted"].get(method.key, ""), values["expected"].get(method.key, "")]
        line += [
            "" if values["variance_total"] is None else values["variance_total"],
            values["result"],
            values["review_state"],
        ]
        yield writer.writerow(line)


def _safe(text: str) -> str:
    """Neutralises spreadsheet formulas in free text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_POST
@manager_required
def session_add(request: HttpRequest) -> HttpResponse:
    form = AddSessionForm(request.POST)
    if form.is_valid():
        try:
            record = services.session_add_by_id(
                session_id=form.cleaned_data["session_id"],
                added_by_user=request.user,
                allowed_outlet_ids=allowed_outlet_ids(request.user),
            )
        except (FinalPOSError, services.ShiftError) as error:
            messages.error(request, _("Could not add the shift: %(error)s") % {
                "error": error.message})  # fmt: skip
        else:
            messages.success(request, _("Shift %(number)s added.") % {
                "number": record.session_number})  # fmt: skip
            return redirect("sessions_app:session_detail", session_id=record.id)
    else:
        messages.error(request, " ".join(form.errors.get("session_id", [])))
    return redirect("sessions_app:session_history")
