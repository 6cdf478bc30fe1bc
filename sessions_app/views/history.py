"""Shift history for managers: filters in the URL, totals, CSV export, add a shift by id."""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions_app import selectors, services
from sessions_app.cash import CENT
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
    totals = selectors.history_totals(records)
    paginator = Paginator(records, PAGE_SIZE)
    paginator.count = totals.shifts  # the totals already counted them: one scan, not two
    page = paginator.get_page(request.GET.get("page"))
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
            "totals": totals,
            "outlet_names": outlet_names,
            "station_names": station_names,
            "query": query.urlencode(),
            "add_form": AddSessionForm(),
        },
    )


@manager_required
def session_export(request: HttpRequest) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    records = selectors.session_history(user=request.user, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        _csv_chunks(request.user, records), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="shifts-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


CSV_ROWS_PER_CHUNK = 500  # one socket write per chunk, not per row


def _csv_chunks(user: Any, records) -> Iterator[str]:
    methods = payment_methods()
    outlet_names = dict(selectors.outlets_for(user=user).values_list("id", "name"))
    station_names = dict(Station.objects.values_list("id", "name"))
    zone = ZoneInfo(settings.TIME_ZONE)
    header = [
        "session_number", "session_id", "outlet", "station", "business_date", "opened_by",
        "open_time", "closed_by", "close_time", "opening_amount", "closing_amount",
    ]  # fmt: skip
    for method in methods:
        header += [f"{method.key}_counted", f"{method.key}_expected"]
    header += ["variance_total", "result", "review_state"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the BOM makes Excel read UTF-8
    writer.writerow(header)
    pending = 0
    method_count = len(methods)
    for row in selectors.export_rows(records):
        (
            session_id,
            number,
            outlet_id,
            station_id,
            business_date,
            opened_by,
            open_time,
            closed_by,
            close_time,
            opening,
            closing_amount,
            variance,
            result,
            review,
        ) = row[:14]
        per_method = row[14:]  # counted and expected of each method, in that order
        line = [
            number, session_id, outlet_names.get(outlet_id, outlet_id),
            station_names.get(station_id, station_id), str(business_date), _safe(opened_by),
            _local_time(open_time, zone), _safe(closed_by), _local_time(close_time, zone),
            _cents(opening), _cents(closing_amount),
        ]  # fmt: skip
        for index in range(method_count):
            line += [_cents(per_method[2 * index]), _cents(per_method[2 * index + 1])]
        line += [_cents(variance), result, review]
        writer.writerow(line)
        pending += 1
        if pending == CSV_ROWS_PER_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


def _cents(value: Any) -> str:
    """An amount as two-decimal text. Per-method amounts are already text (as stored in the
    JSON). SQLite hands back decimal columns as floats: below 10^13 the nearest float to a
    cent amount always formats back to exactly those cents, and formatting is five times
    quicker than going through Decimal."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(Decimal(value).quantize(CENT))


def _local_time(value: Any, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # SQLite keeps UTC without an offset
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).isoformat(timespec="seconds")


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
