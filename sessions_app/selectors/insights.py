"""Insights: differences per cashier, per till and per business day over a period."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from sessions_app.models import Station
from sessions_app.roles import User
from sessions_app.selectors.history import HistoryFilters, session_history


@dataclass(frozen=True)
class VarianceSummary:
    """One cashier's or one till's closed shifts over a period: cash differences (what a
    cashier answers for), and how many shifts were off on another tender."""

    key: str
    label: str
    shifts: int
    with_figures: int
    total: Decimal
    short: Decimal
    over: Decimal
    shorts_beyond_threshold: int
    other_tenders_off: int

    @property
    def average(self) -> Decimal | None:
        if not self.with_figures:
            return None
        return (self.total / self.with_figures).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class DayVariance:
    day: date
    shifts: int
    total: Decimal
    short: Decimal
    over: Decimal


def _variance_aggregates(threshold: Decimal) -> dict[str, Any]:
    tolerance = settings.VARIANCE_TOLERANCE
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
    return {
        "shifts": Count("id"),
        "with_figures": Count("cash_variance"),
        "total": Coalesce(Sum("cash_variance"), zero),
        "short": Coalesce(Sum("cash_variance", filter=Q(cash_variance__lt=0)), zero),
        "over": Coalesce(Sum("cash_variance", filter=Q(cash_variance__gt=0)), zero),
        "shorts_beyond_threshold": Count("id", filter=Q(cash_variance__lt=-threshold)),
        # Off on a tender other than cash: mixed, or over/short while cash is not.
        "other_tenders_off": Count(
            "id",
            filter=Q(result="mixed")
            | (Q(result__in=["over", "short"]) & Q(cash_variance__gte=-tolerance))
            & Q(cash_variance__lte=tolerance),
        ),
    }


@dataclass(frozen=True)
class Insights:
    by_cashier: list[VarianceSummary]
    by_station: list[VarianceSummary]
    by_day: list[DayVariance]
    threshold: Decimal


def _row(row: Mapping[str, Any]) -> dict[str, Any]:
    return dict(row)


def _in_cents(row: dict[str, Any]) -> dict[str, Any]:
    """SQLite sums decimals without their scale; every backend gives cents from here on."""
    cent = Decimal("0.01")
    return {k: v.quantize(cent) if isinstance(v, Decimal) else v for k, v in row.items()}


def _cashier_summary(row: dict[str, Any]) -> VarianceSummary:
    name = row.pop("closed_by") or ""
    return VarianceSummary(key=name, label=name or "Unknown", **_in_cents(row))


def variance_insights(*, user: User, filters: HistoryFilters, threshold: Decimal) -> Insights:
    """Closed shifts matching the filters, summed per cashier (who closed), per till and per
    business day: five queries whatever the number of shifts."""
    closed = session_history(user=user, filters=replace(filters, state="closed")).order_by()
    aggregates = _variance_aggregates(threshold)
    cashiers = [
        _row(row)
        for row in closed.values("closed_by")
        .annotate(**aggregates)
        .order_by(F("short"), "closed_by")
    ]
    station_rows = [
        _row(row)
        for row in closed.values("station_id")
        .annotate(**aggregates)
        .order_by(F("short"), "station_id")
    ]
    names = dict(
        Station.objects.filter(id__in=[row["station_id"] for row in station_rows]).values_list(
            "id", "name"
        )
    )
    days = [
        _row(row)
        for row in closed.values("business_date")
        .annotate(**{k: aggregates[k] for k in ("shifts", "total", "short", "over")})
        .order_by("business_date")
    ]
    return Insights(
        by_cashier=[_cashier_summary(row) for row in cashiers],
        by_station=[
            VarianceSummary(
                key=row["station_id"],
                label=names.get(row["station_id"], row["station_id"]),
                **_in_cents({k: v for k, v in row.items() if k != "station_id"}),
            )
            for row in station_rows
        ],
        by_day=[DayVariance(day=row.pop("business_date"), **_in_cents(row)) for row in days],
        threshold=threshold,
    )
