"""The history's totals per outlet and business day (DailyTotals), in integer cents.

Every write to the session index that can move a shift's totals (its amounts, its outlet, its
business day, its deletion) calls `daily_totals_update` for the days it touched, inside the
same transaction: a day is recounted from its own shifts, a handful of rows, so the totals are
exact by construction and a second writer waits for the first (the day's row is locked).
Bulk loads (migrations, seeding, a time zone change) call `daily_totals_rebuild` instead.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction

from sessions_app.models import DailyTotals, SessionRecord

Day = tuple[str, date]
Amount = Decimal | float | None
_FIGURES = ("outlet_id", "business_date", "opening_amount", "closing_amount", "cash_variance")


def _cents(amount: Amount) -> int:
    return 0 if amount is None else int((Decimal(str(amount)) * 100).to_integral_value())


def _add(totals: DailyTotals, opening: Amount, counted: Amount, variance: Amount) -> None:
    totals.shifts += 1
    totals.opening_cents += _cents(opening)
    totals.counted_cents += _cents(counted)
    difference = _cents(variance)
    if difference > 0:
        totals.cash_over_cents += difference
    else:
        totals.cash_short_cents += difference


def days_of(session_ids: Iterable[str]) -> set[Day]:
    """The outlet-days the given shifts count in now (read before a write that may move them)."""
    return set(
        SessionRecord.objects.filter(id__in=list(session_ids)).values_list(
            "outlet_id", "business_date"
        )
    )


def daily_totals_update(days: Iterable[Day]) -> None:
    """Recounts the given outlet-days from their shifts."""
    with transaction.atomic():
        for outlet_id, day in sorted(set(days)):  # one lock order: two writers never deadlock
            totals, _created = DailyTotals.objects.select_for_update().get_or_create(
                outlet_id=outlet_id, business_date=day
            )
            totals.shifts = totals.opening_cents = totals.counted_cents = 0
            totals.cash_over_cents = totals.cash_short_cents = 0
            rows = SessionRecord.objects.filter(
                outlet_id=outlet_id, business_date=day, deleted_at__isnull=True
            ).values_list(*_FIGURES[2:])
            for opening, counted, variance in rows:
                _add(totals, opening, counted, variance)
            totals.save()


def daily_totals_rebuild(*, outlet_id: str | None = None) -> int:
    """Recounts every day (of one outlet, or all) from the index; returns how many days."""
    shifts = SessionRecord.objects.filter(deleted_at__isnull=True)
    kept = DailyTotals.objects.all()
    if outlet_id is not None:
        shifts, kept = shifts.filter(outlet_id=outlet_id), kept.filter(outlet_id=outlet_id)
    days: dict[Day, DailyTotals] = {}
    for outlet, day, opening, counted, variance in shifts.values_list(*_FIGURES).iterator(
        chunk_size=5000
    ):
        totals = days.get((outlet, day))
        if totals is None:
            totals = days[(outlet, day)] = DailyTotals(outlet_id=outlet, business_date=day)
        _add(totals, opening, counted, variance)
    with transaction.atomic():
        kept.delete()
        DailyTotals.objects.bulk_create(days.values(), batch_size=5000)
    return len(days)
