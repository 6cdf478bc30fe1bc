"""Insights: differences per cashier, per till and per business day over a period."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Count, FloatField, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from sessions_app.models import DailyTotals, SessionRecord
from sessions_app.money import Currency, active_currency, currency
from sessions_app.policy import outlet_currencies, outlet_policy, site_amount_in
from sessions_app.roles import User
from sessions_app.selectors.history import HistoryFilters, shift_history
from sessions_app.selectors.scope import in_scope


@dataclass(slots=True)  # not frozen: hundreds per request, and frozen ones take 3 times as long
class VarianceSummary:
    """One cashier's or one till's closed shifts over a period: cash differences (what a
    cashier answers for), and how many shifts were off on another tender. The sums are kept in
    thousandths and made amounts of the period's currency when read: a page shows 25 of the
    hundreds a period has."""

    key: str
    label: str
    shifts: int
    with_figures: int
    total_thousandths: int
    short_thousandths: int
    shorts_beyond_threshold: int
    other_tenders_off: int
    currency: Currency

    @property
    def total(self) -> Decimal:
        return self.currency.from_thousandths(self.total_thousandths)

    @property
    def short(self) -> Decimal:
        return self.currency.from_thousandths(self.short_thousandths)

    @property
    def over(self) -> Decimal:
        return self.currency.from_thousandths(self.total_thousandths - self.short_thousandths)

    @property
    def average(self) -> Decimal | None:
        if not self.with_figures:
            return None
        return self.currency.exact(self.total / self.with_figures)


@dataclass(frozen=True)
class DayVariance:
    day: date
    shifts: int
    total: Decimal
    short: Decimal
    over: Decimal


def _per_group(threshold: Decimal) -> dict[str, Any]:
    """What each cashier's or till's shifts add up to. The sums come back as plain numbers and
    are counted in thousandths here (exact for 0, 2 and 3 decimals)."""
    plain = FloatField()
    # Every column named here is in the insights_closed index, so the query reads it alone.
    return {
        "shifts": Count("*"),
        "with_figures": Count("cash_variance"),
        "total": Sum("cash_variance", output_field=plain),
        "short": Sum("cash_variance", filter=Q(cash_variance__lt=0), output_field=plain),
        "shorts_beyond_threshold": Count("cash_variance", filter=Q(cash_variance__lt=-threshold)),
        "other_tenders_off": Count("other_tenders_off", filter=Q(other_tenders_off=True)),
    }


@dataclass(frozen=True)
class Insights:
    by_cashier: list[VarianceSummary]
    by_till: list[VarianceSummary]
    by_day: list[DayVariance]
    threshold: Decimal


def _rows(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows as the database driver gives them: Django's converters of hundreds of sums
    would cost more than the sums."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _thousandths(amount: float | Decimal | None) -> int:
    """A sum of amounts in thousandths (a float sum of a few thousand is within a hair of
    them)."""
    return 0 if amount is None else round(amount * 1000)


def _amount(thousandths: int) -> Decimal:
    """In the insights' currency (one at a time: views/insights.py activates it)."""
    return active_currency().from_thousandths(thousandths)


def _summaries(query: QuerySet[Any, Any], label: Callable[[str], str]) -> list[VarianceSummary]:
    """One summary per group of the query's rows (key first, then _per_group's figures), most
    short first."""
    currency = active_currency()
    summaries = [
        VarianceSummary(
            key=key,
            label=label(key),
            shifts=shifts,
            with_figures=with_figures,
            total_thousandths=_thousandths(total),
            short_thousandths=_thousandths(short),
            shorts_beyond_threshold=beyond,
            other_tenders_off=others,
            currency=currency,
        )
        for key, shifts, with_figures, total, short, beyond, others in _rows(query)
    ]
    return sorted(summaries, key=lambda row: (row.short_thousandths, row.key))


@dataclass(frozen=True)
class InsightsScale:
    """What the insights are measured in: the currencies of the manager's outlets, the one
    shown, and the difference that counts as beyond the threshold."""

    currencies: list[str]
    currency: str
    threshold: Decimal


def insights_scale(*, outlet_ids: Iterable[str], outlet: str, asked_currency: str) -> InsightsScale:
    """Differences in two currencies are never added: one currency at a time, the outlet's,
    else the only one the manager's outlets have, else the one asked for or the company's.
    One outlet's page judges by that outlet's threshold; across outlets, the site's."""
    currencies = sorted(outlet_currencies(outlet_ids))
    if outlet:
        chosen = outlet_policy(outlet).currency.code
    elif asked_currency in currencies:
        chosen = asked_currency
    else:
        chosen = currencies[0] if len(currencies) == 1 else settings.CURRENCY
    threshold = (
        outlet_policy(outlet).variance.reason_threshold
        if outlet
        else site_amount_in(settings.VARIANCE_REASON_THRESHOLD, currency(chosen))
    )
    return InsightsScale(currencies=currencies, currency=chosen, threshold=threshold)


def variance_insights(
    *,
    user: User,
    filters: HistoryFilters,
    threshold: Decimal,
    till_names: dict[str, str],
) -> Insights:
    """Closed shifts matching the filters, summed per cashier (who closed), per till and per
    business day: one query for the cashiers and one for the tills, each grouped by the
    database (the pairs of both, added up here, cost more than the second scan), and the days
    from the day totals when the filters are ones they keep. ``till_names``: the manager's
    tills (history_catalog's); a till it lacks shows its id."""
    closed = shift_history(user=user, filters=replace(filters, state="closed")).order_by()
    sums = _per_group(threshold)
    return Insights(
        by_cashier=_summaries(
            closed.values_list("closed_by").annotate(**sums), lambda name: name or _("Unknown")
        ),
        by_till=_summaries(
            closed.values_list("station_id").annotate(**sums), lambda key: till_names.get(key, key)
        ),
        by_day=_days(user=user, filters=filters, closed=closed),
        threshold=threshold,
    )


def _days(
    *, user: User, filters: HistoryFilters, closed: QuerySet[SessionRecord]
) -> list[DayVariance]:
    if filters.station or filters.cashier or filters.closed_by:
        per_day = (
            closed.values_list("business_date")
            .annotate(
                shifts=Count("*"),
                total=Sum("cash_variance", output_field=FloatField()),
                short=Sum(
                    "cash_variance", filter=Q(cash_variance__lt=0), output_field=FloatField()
                ),
            )
            .order_by("business_date")
        )
        return [
            DayVariance(
                day=day,
                shifts=shifts,
                total=_amount(_thousandths(total)),
                short=_amount(_thousandths(short)),
                over=_amount(_thousandths(total) - _thousandths(short)),
            )
            for day, shifts, total, short in per_day
        ]
    days = in_scope(DailyTotals.objects.filter(closed=True), user=user)
    if filters.outlet:
        days = days.filter(outlet_id=filters.outlet)
    if filters.currency:
        days = days.filter(currency=filters.currency)
    if filters.date_from:
        days = days.filter(business_date__gte=filters.date_from)
    if filters.date_to:
        days = days.filter(business_date__lte=filters.date_to)
    sums = (
        days.values("business_date")
        .annotate(
            shifts=Sum("shifts"),
            over=Sum("cash_over_thousandths"),
            short=Sum("cash_short_thousandths"),
        )
        .filter(shifts__gt=0)
        .order_by("business_date")
    )
    return [
        DayVariance(
            day=row["business_date"],
            shifts=row["shifts"],
            total=_amount(row["over"] + row["short"]),
            short=_amount(row["short"]),
            over=_amount(row["over"]),
        )
        for row in sums
    ]
