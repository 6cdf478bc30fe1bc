"""Insights for managers: differences per cashier and per till over a period, with a chart."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sessions_app import charts
from sessions_app.forms import InsightsFilterForm
from sessions_app.policy import outlet_policy
from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.selectors.history import HistoryFilters, history_choices
from sessions_app.selectors.insights import variance_insights

DEFAULT_PERIOD_DAYS = 28


@manager_required
def insights_view(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    data = request.GET.dict()
    # The last four weeks unless a period is chosen (a date cleared on purpose stays blank).
    data.setdefault("date_from", (today - timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat())
    data.setdefault("date_to", today.isoformat())
    outlets, stations = history_choices(user=request.user)
    form = InsightsFilterForm(data, outlets=outlets, stations=stations)
    form.is_valid()  # an invalid filter shows its error; the valid ones still apply
    filters = HistoryFilters.from_cleaned(form.cleaned_data)
    # One outlet's page judges by that outlet's threshold; across outlets, the site's.
    threshold = (
        outlet_policy(filters.outlet).variance.reason_threshold
        if filters.outlet
        else settings.VARIANCE_REASON_THRESHOLD
    )
    result = variance_insights(user=request.user, filters=filters, threshold=threshold)
    period = {"date_from": filters.date_from, "date_to": filters.date_to}
    return render(
        request,
        "insights/insights.html",
        {
            "form": form,
            "insights": result,
            "chart": charts.variance_by_day(result.by_day),
            "filters": filters,
            "period": period,
        },
    )
