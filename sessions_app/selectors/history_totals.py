"""The history's totals of the filtered shifts, one row per currency: from the day and month
totals where the filters are ones they keep, else summed over the shifts themselves."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum

from sessions_app.models import DailyTotals, MonthlyTotals, OutletTotals, SessionRecord
from sessions_app.money import currency as currency_of
from sessions_app.money import from_thousandths
from sessions_app.roles import User
from sessions_app.selectors.history import HistoryFilters, cashier_shifts
from sessions_app.selectors.scope import in_scope

_TOTALLED = ("id", "currency", "opening_amount", "closing_amount", "cash_variance", "rounding")


@dataclass(frozen=True)
class HistoryTotals:
    """Totals of the filtered shifts in one currency: the float, the cash counted, the cash
    rounding and the cash difference (over and short apart). Card and wallet differences are
    never added to cash, nor one currency to another."""

    currency: str
    shifts: int
    opening: Decimal | None
    cash_counted: Decimal | None
    cash_variance: Decimal | None
    cash_over: Decimal | None
    cash_short: Decimal | None
    rounding: Decimal | None = None


def _exact(amount: Decimal | float | None, code: str) -> Decimal | None:
    # SQLite sums decimals as floats (-36794.309999...): round, never cut, to the currency.
    return None if amount is None else currency_of(code).exact(Decimal(str(amount)))


_SUMS = ("shifts", "opening", "counted", "net", "over", "short", "rounding")


def history_totals(
    *, user: User, filters: HistoryFilters, records: QuerySet[SessionRecord]
) -> list[HistoryTotals]:
    """The totals of the filtered shifts, one per currency (usually one): from the per-day
    and per-month totals when the filters are ones they keep (outlet, currency, dates,
    result, open or closed), which read a few rows per outlet and period whatever the number
    of shifts; otherwise summed from the filtered shifts themselves."""
    if _kept_in_totals(filters):
        return _totals_from_days(user=user, filters=filters)
    rows: list[dict[str, Any]]
    if filters.cashier:
        rows = _cashier_totals(user=user, filters=filters)
    else:
        rows = [
            dict(row)
            for row in records.order_by()
            .values("currency")
            .annotate(
                shifts=Count("id"),
                opening=Sum("opening_amount"),
                counted=Sum("closing_amount"),
                net=Sum("cash_variance"),
                over=Sum("cash_variance", filter=Q(cash_variance__gt=0)),
                short=Sum("cash_variance", filter=Q(cash_variance__lt=0)),
                rounding=Sum("rounding"),
            )
            .order_by("currency")
        ]
    found = []
    for totals in rows:
        code = totals["currency"]
        # With shifts but nothing to add (only open ones): 0, as the per-day totals say.
        nothing = Decimal(0) if totals["shifts"] else None
        found.append(
            HistoryTotals(
                currency=code,
                shifts=totals["shifts"],
                opening=_exact(totals["opening"], code),
                cash_counted=_exact(
                    totals["counted"] if totals["counted"] is not None else nothing, code
                ),
                cash_variance=_exact(totals["net"] if totals["net"] is not None else nothing, code),
                cash_over=_exact(totals["over"], code),
                cash_short=_exact(totals["short"], code),
                rounding=_exact(totals["rounding"], code) if totals["rounding"] else None,
            )
        )
    return found


_CASHIER_SUMS = (
    "currency, COUNT(*), SUM(opening_amount), SUM(closing_amount), SUM(cash_variance), "
    "SUM(CASE WHEN cash_variance > 0 THEN cash_variance END), "
    "SUM(CASE WHEN cash_variance < 0 THEN cash_variance END), SUM(rounding)"
)


def _cashier_totals(*, user: User, filters: HistoryFilters) -> list[dict[str, Any]]:
    """The totals of a cashier's shifts per currency."""
    summed, params = cashier_totals_sql(user=user, filters=filters)
    with connections[SessionRecord.objects.db].cursor() as cursor:
        cursor.execute(summed, params)
        return [dict(zip(("currency", *_SUMS), row, strict=True)) for row in cursor.fetchall()]


def cashier_totals_sql(*, user: User, filters: HistoryFilters) -> tuple[str, list[Any]]:
    """Summed over the union the page reads, from the cashier indexes alone (the same shifts
    through "id in the union" made SQLite read each shift's whole row)."""
    union = cashier_shifts(user=user, filters=filters, columns=_TOTALLED).order_by()
    sql, params = union.query.get_compiler(using=union.db).as_sql()
    summed = (
        f"SELECT {_CASHIER_SUMS} FROM ({sql}) AS cashier "  # noqa: S608 - compiled SQL
        "GROUP BY currency ORDER BY currency"
    )
    return summed, list(params)


TOTALS_STATES = {"": None, "open": False, "closed": True}  # the state filter -> `closed`


def _kept_in_totals(filters: HistoryFilters) -> bool:
    narrower = (filters.station, filters.cashier, filters.closed_by)
    far = [day for day in (filters.date_from, filters.date_to) if day and day.year >= 9999]
    return (
        not any(narrower)
        and filters.state in TOTALS_STATES
        and filters.min_variance is None
        and not far
    )


def _totals_from_days(*, user: User, filters: HistoryFilters) -> list[HistoryTotals]:
    """Whole months in the range from MonthlyTotals, the days of a month it cuts from
    DailyTotals: a few rows per outlet and month, plus at most two months of days."""
    start, end = filters.date_from, filters.date_to
    first_whole = start if start is None or start.day == 1 else _next_month(start)
    after_whole = None
    if end is not None:
        after_whole = end + timedelta(days=1)
        if after_whole.day != 1:
            after_whole = after_whole.replace(day=1)
    months = in_scope(MonthlyTotals.objects.all(), user=user)
    days = in_scope(DailyTotals.objects.all(), user=user)
    kind: dict[str, Any] = {}
    if filters.outlet:
        kind["outlet_id"] = filters.outlet
    if filters.result:
        kind["result"] = filters.result
    if TOTALS_STATES[filters.state] is not None:
        kind["closed"] = TOTALS_STATES[filters.state]
    if filters.currency:
        kind["currency"] = filters.currency
    months, days = months.filter(**kind), days.filter(**kind)
    if first_whole is not None and after_whole is not None and first_whole >= after_whole:
        months = months.none()  # no whole month: the days alone
        days = days.filter(business_date__gte=start, business_date__lte=end)
    else:
        if first_whole is not None:
            months = months.filter(month__gte=first_whole)
        if after_whole is not None:
            months = months.filter(month__lt=after_whole)
        cut = Q(pk__in=[])
        if start is not None and first_whole is not None and start < first_whole:
            cut |= Q(business_date__gte=start, business_date__lt=first_whole)
        if end is not None and after_whole is not None and after_whole <= end:
            cut |= Q(business_date__gte=after_whole, business_date__lte=end)
        days = days.filter(cut)
    figures = {name: Sum(name) for name in OutletTotals.FIGURES}
    by_currency: dict[str, dict[str, int]] = {}
    for part in (months, days):
        for row in part.order_by().values("currency").annotate(**figures):
            found_row: dict[str, Any] = dict(row)
            sums = by_currency.setdefault(row["currency"], dict.fromkeys(OutletTotals.FIGURES, 0))
            for name in OutletTotals.FIGURES:
                sums[name] += found_row[name] or 0
    found = []
    for code, sums in sorted(by_currency.items()):
        if not sums["shifts"]:
            continue  # a day's lock row, or a currency none of whose shifts match

        def amount(
            thousandths: int, *, blank_when_zero: bool = False, code: str = code
        ) -> Decimal | None:
            if blank_when_zero and not thousandths:
                return None
            return currency_of(code).exact(from_thousandths(thousandths))

        over, short = sums["cash_over_thousandths"], sums["cash_short_thousandths"]
        found.append(
            HistoryTotals(
                currency=code,
                shifts=sums["shifts"],
                opening=amount(sums["opening_thousandths"]),
                cash_counted=amount(sums["counted_thousandths"]),
                cash_variance=amount(over + short),
                cash_over=amount(over, blank_when_zero=True),
                cash_short=amount(short, blank_when_zero=True),
                rounding=amount(sums["rounding_thousandths"], blank_when_zero=True),
            )
        )
    return found


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
