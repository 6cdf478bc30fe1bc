"""Insights for managers: differences per cashier and per till over a period, with a chart."""

from dataclasses import replace
from datetime import timedelta

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sessions_app import charts, money
from sessions_app.forms import InsightsFilterForm
from sessions_app.money import currency
from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.selectors.history import HistoryFilters, history_catalog
from sessions_app.selectors.insights import insights_scale, variance_insights
from sessions_app.tables import day_rows, summary_rows

DEFAULT_PERIOD_DAYS = 28
ROWS_PER_PAGE = 25  # of each table, most short first: 400 cashiers are 16 pages, not one


@manager_required
def insights_view(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    data = request.GET.dict()
    # The last four weeks unless a period is chosen (a date cleared on purpose stays blank).
    data.setdefault("date_from", (today - timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat())
    data.setdefault("date_to", today.isoformat())
    catalog = history_catalog(user=request.user)
    form = InsightsFilterForm(data, outlets=catalog.outlets, tills=catalog.tills)
    form.is_valid()  # an invalid filter shows its error; the valid ones still apply
    filters = HistoryFilters.from_cleaned(form.cleaned_data)
    dates_to_fix = "date_from" in form.errors or "date_to" in form.errors
    if dates_to_fix:  # the last four weeks, as the page says, rather than every shift there is
        filters = replace(
            filters,
            date_from=today - timedelta(days=DEFAULT_PERIOD_DAYS - 1),
            date_to=today,
        )
    scale = insights_scale(
        outlet_ids=dict(catalog.outlets),
        outlet=filters.outlet,
        asked_currency=request.GET.get("currency", ""),
    )
    currencies, chosen = scale.currencies, scale.currency
    filters = replace(filters, currency=chosen)
    money.activate(currency(chosen))
    result = variance_insights(
        user=request.user,
        filters=filters,
        threshold=scale.threshold,
        # Across outlets, two outlets' "Till 1" are told apart by their outlet's name.
        till_names=(
            dict(catalog.tills)
            if not filters.outlet and len(catalog.outlets) > 1
            else catalog.till_names
        ),
    )
    period = {
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
    }
    if filters.outlet:
        period["outlet"] = filters.outlet
    if len(currencies) > 1:
        period["currency"] = chosen  # each row's link: the same currency's shifts
    cashiers = Paginator(result.by_cashier, ROWS_PER_PAGE).get_page(request.GET.get("cashiers"))
    tills = Paginator(result.by_till, ROWS_PER_PAGE).get_page(request.GET.get("tills"))
    return render(
        request,
        "insights/insights.html",
        {
            "form": form,
            "dates_to_fix": dates_to_fix,
            "insights": result,
            "chart": charts.variance_by_day(result.by_day),
            "day_rows": day_rows(result.by_day),
            "filters": filters,
            "cashiers": cashiers,
            "cashier_rows": summary_rows(cashiers, param="closed_by", period=period),
            "cashiers_query": _query_without(request, "cashiers"),
            "tills": tills,
            "till_rows": summary_rows(tills, param="station", period=period),
            "tills_query": _query_without(request, "tills"),
            "other_currencies": [code for code in currencies if code != chosen],
            "query_without_currency": _query_without(request, "currency"),
        },
    )


def _query_without(request: AuthenticatedRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()
