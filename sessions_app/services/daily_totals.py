"""The history's totals per outlet, business day (DailyTotals) or month (MonthlyTotals) and
currency, in integer thousandths of a unit (exact for 0, 2 and 3 decimals): shifts in two
currencies are never added together.

Every write to the session index that can move a shift's totals (its amounts, its outlet, its
business day, its deletion) calls `daily_totals_update` for the days it touched, inside the
same transaction: a day is recounted from its own shifts, a handful of rows, and its month
from its days, so the totals are exact by construction; a second writer waits for the first
(the rows are locked, always days before months, in order). Bulk loads (migrations, seeding,
`manage.py rebuild_totals`) call `daily_totals_rebuild` instead.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum

from sessions_app.models import DailyTotals, MonthlyTotals, OutletTotals, SessionRecord
from sessions_app.money import to_thousandths

Day = tuple[str, date]
Amount = Decimal | float | None
FIGURES = OutletTotals.FIGURES
_SHIFT_FIGURES = ("opening_amount", "closing_amount", "cash_variance", "rounding")


def _add_shift(
    totals: OutletTotals, opening: Amount, counted: Amount, variance: Amount, rounding: Amount
) -> None:
    totals.shifts += 1
    totals.opening_thousandths += to_thousandths(opening)
    totals.counted_thousandths += to_thousandths(counted)
    totals.rounding_thousandths += to_thousandths(rounding)
    difference = to_thousandths(variance)
    if difference > 0:
        totals.cash_over_thousandths += difference
    else:
        totals.cash_short_thousandths += difference


def _add_totals(totals: OutletTotals, more: OutletTotals) -> None:
    for name in FIGURES:
        setattr(totals, name, getattr(totals, name) + getattr(more, name))


def month_of(day: date) -> date:
    return day.replace(day=1)


def days_of(session_ids: Iterable[str]) -> set[Day]:
    """The outlet-days the given shifts count in now (read before a write that may move them)."""
    return set(
        SessionRecord.objects.filter(id__in=list(session_ids)).values_list(
            "outlet_id", "business_date"
        )
    )


def counted_as(session_id: str) -> tuple[Any, ...] | None:
    """What a shift adds to the totals and where (None when it is not indexed), its row locked
    until the transaction ends, so a writer that compares before and after sees every change."""
    return (
        SessionRecord.objects.select_for_update()
        .filter(id=session_id)
        .values_list("outlet_id", "business_date", "deleted_at", "currency", *_SHIFT_FIGURES)
        .first()
    )


def daily_totals_update(days: Iterable[Day]) -> None:
    """Recounts the given outlet-days from their shifts, a row per currency, then their
    months from their days."""
    days = sorted(set(days))  # one lock order: two writers never deadlock
    touched: set[tuple[str, date, str]] = set()
    with transaction.atomic():
        for outlet_id, day in days:
            shifts = SessionRecord.objects.filter(
                outlet_id=outlet_id, business_date=day, deleted_at__isnull=True
            )
            kept = DailyTotals.objects.filter(outlet_id=outlet_id, business_date=day)
            currencies = set(kept.values_list("currency", flat=True))
            currencies |= set(shifts.values_list("currency", flat=True).distinct())
            # Lock (or create) the day's rows first and count after: a second writer of the
            # day waits here, then counts what the first one committed.
            rows = {
                currency: DailyTotals.objects.select_for_update().get_or_create(
                    outlet_id=outlet_id, business_date=day, currency=currency
                )[0]
                for currency in sorted(currencies)
            }
            fresh: dict[str, DailyTotals] = {currency: DailyTotals() for currency in rows}
            for currency, *figures in shifts.values_list("currency", *_SHIFT_FIGURES):
                _add_shift(fresh.setdefault(currency, DailyTotals()), *figures)
            for currency, counted in sorted(fresh.items()):
                row = rows.get(currency)
                if row is None:  # a shift in a currency committed since the rows were locked
                    row, _created = DailyTotals.objects.select_for_update().get_or_create(
                        outlet_id=outlet_id, business_date=day, currency=currency
                    )
                for name in FIGURES:
                    setattr(row, name, getattr(counted, name))
                row.save()
                touched.add((outlet_id, month_of(day), currency))
        for outlet_id, month, currency in sorted(touched):
            monthly, _created = MonthlyTotals.objects.select_for_update().get_or_create(
                outlet_id=outlet_id, month=month, currency=currency
            )
            sums = DailyTotals.objects.filter(
                outlet_id=outlet_id,
                currency=currency,
                business_date__gte=month,
                business_date__lt=_next_month(month),
            ).aggregate(**{name: Sum(name) for name in FIGURES})
            for name in FIGURES:
                setattr(monthly, name, sums[name] or 0)
            monthly.save()


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _hold_writers_off() -> None:
    """A rebuild reads every shift and rewrites the totals: a writer recounting a day in the
    meantime must wait for it, then recount from what it committed. On PostgreSQL that is a
    table lock (a writer's SELECT FOR UPDATE waits for it); SQLite has one writer at a time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (DailyTotals, MonthlyTotals):
            cursor.execute(f'LOCK TABLE "{model._meta.db_table}" IN EXCLUSIVE MODE')


def daily_totals_rebuild() -> int:
    """Recounts every day and month from the index (after a bulk load, or to repair); returns
    how many days."""
    shifts = SessionRecord.objects.filter(deleted_at__isnull=True)
    with transaction.atomic():
        _hold_writers_off()
        days: dict[tuple[str, date, str], DailyTotals] = {}
        rows = shifts.values_list("outlet_id", "business_date", "currency", *_SHIFT_FIGURES)
        for outlet, day, currency, *figures in rows.iterator(chunk_size=5000):
            totals = days.get((outlet, day, currency))
            if totals is None:
                totals = days[(outlet, day, currency)] = DailyTotals(
                    outlet_id=outlet, business_date=day, currency=currency
                )
            _add_shift(totals, *figures)
        months: dict[tuple[str, date, str], MonthlyTotals] = {}
        for (outlet, day, currency), totals in days.items():
            key = (outlet, month_of(day), currency)
            if key not in months:
                months[key] = MonthlyTotals(outlet_id=outlet, month=key[1], currency=currency)
            _add_totals(months[key], totals)
        DailyTotals.objects.all().delete()
        MonthlyTotals.objects.all().delete()
        DailyTotals.objects.bulk_create(days.values(), batch_size=5000)
        MonthlyTotals.objects.bulk_create(months.values(), batch_size=5000)
    return len(days)
