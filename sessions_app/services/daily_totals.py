"""The history's totals per outlet and business day (DailyTotals) and month (MonthlyTotals), in
integer thousandths of a unit (exact for 0, 2 and 3 decimals), one row per currency, result and
open-or-closed: shifts in two currencies are never added together, and a filter by result or
state reads totals too.

Every write to the session index that can move a shift's totals (its amounts, its outlet, its
business day, its result, its close, its deletion) calls `daily_totals_update` for the days it
touched, inside the same transaction: a day is recounted from its own shifts, a handful of
rows, and its month from its days, so the totals are exact by construction. A shift indexed for
the first time is only added (`daily_totals_add`, two statements where a recount takes eight).
A second writer waits for the first: every writer takes each day's and month's lock row before
its other rows (made by its first writer: a bulk load writes none), days before months, in
order. Bulk loads (migrations, seeding, `manage.py rebuild_totals`) call
`daily_totals_rebuild` instead.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum

from sessions_app.models import DailyTotals, MonthlyTotals, OutletTotals, SessionRecord
from sessions_app.money import to_thousandths

Day = tuple[str, date]
Kind = tuple[str, str, bool]  # (currency, result, closed): the rows of one day or month
Amount = Decimal | float | None
FIGURES = OutletTotals.FIGURES
_SHIFT_FIGURES = ("opening_amount", "closing_amount", "cash_variance", "rounding")
_SHIFT_KIND = ("currency", "result", "close_time")
LOCK_ROW: Kind = ("", "", False)  # the row of a day or month every writer locks first


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


def days_of(shift_ids: Iterable[str]) -> set[Day]:
    """The outlet-days the given shifts count in now (read before a write that may move them)."""
    return set(
        SessionRecord.objects.filter(id__in=list(shift_ids)).values_list(
            "outlet_id", "business_date"
        )
    )


# The index columns that decide what a shift adds to the totals and where.
COUNTED_FIELDS = ("outlet_id", "business_date", "deleted_at", *_SHIFT_FIGURES, *_SHIFT_KIND)


def counted_from(row: Mapping[str, Any] | None) -> tuple[Any, ...] | None:
    """What a shift adds to the totals and where, from its index row's COUNTED_FIELDS (None
    when it is not indexed): a writer compares it before and after its write."""
    if row is None:
        return None
    *where, close_time = (row[name] for name in COUNTED_FIELDS)
    return (*where, close_time is not None)


def _kind(currency: str, result: str, close_time: Any) -> Kind:
    return (currency, result or "", close_time is not None)


def _kind_of(row: OutletTotals) -> Kind:
    return (row.currency, row.result, row.closed)


def _row(model: type[OutletTotals], place: dict[str, Any], kind: Kind) -> Any:
    currency, result, closed = kind
    return model(**place, currency=currency, result=result, closed=closed)


def _held(
    model: type[DailyTotals] | type[MonthlyTotals], place: dict[str, Any]
) -> dict[Kind, OutletTotals]:
    """The rows of one day or month, locked until the transaction ends, before anything is
    counted: a second writer of the same day waits here, then counts what the first wrote.
    The lock row first, alone (and made when missing), as `daily_totals_add` takes it: a day
    whose other rows were locked first could deadlock with an add holding its lock row."""
    _upsert_adding(model, [_row(model, place, LOCK_ROW)])
    return {_kind_of(row): row for row in model.objects.select_for_update().filter(**place)}


def _upsert_adding(
    model: type[DailyTotals] | type[MonthlyTotals], rows: list[DailyTotals] | list[MonthlyTotals]
) -> None:
    """Adds the rows' figures to the rows of the same place and kind, made when missing, in one
    statement that locks them in the order given (Django's upsert can only replace a value)."""
    table = connection.ops.quote_name(model._meta.db_table)
    place = "business_date" if model is DailyTotals else "month"
    columns = ["outlet_id", place, "currency", "result", "closed", *FIGURES]
    quoted = [connection.ops.quote_name(name) for name in columns]
    one_row = f"({', '.join(['%s'] * len(columns))})"
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in quoted[5:])
    sql = (  # names from the model, values as parameters
        f"INSERT INTO {table} ({', '.join(quoted)}) VALUES {', '.join([one_row] * len(rows))} "  # noqa: S608
        f"ON CONFLICT ({', '.join(quoted[:5])}) DO UPDATE SET {added}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [getattr(row, name) for row in rows for name in columns])


def _recount(
    model: type[DailyTotals] | type[MonthlyTotals],
    place: dict[str, Any],
    kept: dict[Kind, OutletTotals],
    counted: dict[Kind, DailyTotals] | dict[Kind, MonthlyTotals],
) -> None:
    """Writes the kinds whose figures changed in one upsert (the lock row always kept) and
    removes the kinds no longer there: an open or a close touches one or two kinds."""
    wanted: dict[Kind, OutletTotals] = dict(counted)
    wanted.setdefault(LOCK_ROW, _row(model, place, LOCK_ROW))
    changed = [
        row
        for kind, row in wanted.items()
        if kind not in kept or _figures(kept[kind]) != _figures(row)
    ]
    if changed:
        model.objects.bulk_create(
            changed,  # type: ignore[arg-type]
            update_conflicts=True,
            unique_fields=[*place, "currency", "result", "closed"],
            update_fields=FIGURES,
        )
    gone = [row.pk for kind, row in kept.items() if kind not in wanted]
    if gone:
        model.objects.filter(pk__in=gone).delete()


def _figures(row: OutletTotals) -> tuple[int, ...]:
    return tuple(getattr(row, name) for name in FIGURES)


def daily_totals_add(shift: Mapping[str, Any]) -> None:
    """Adds a shift indexed for the first time to its day and month: one statement each, the
    lock row named first, so a writer recounting the same day waits for this one or this one
    for it, and either way the day counts the shift once. Anything else that moves a shift
    recounts its days (`daily_totals_update`): exact whatever the rows held before."""
    if shift["deleted_at"] is not None:
        return
    day = {"outlet_id": shift["outlet_id"], "business_date": shift["business_date"]}
    totals = _row(DailyTotals, day, _kind(shift["currency"], shift["result"], shift["close_time"]))
    _add_shift(totals, *(shift[name] for name in _SHIFT_FIGURES))
    month = {"outlet_id": shift["outlet_id"], "month": month_of(shift["business_date"])}
    monthly = _row(MonthlyTotals, month, _kind_of(totals))
    _add_totals(monthly, totals)
    is_lock_row = _kind_of(totals) == LOCK_ROW  # named twice, a row would be refused
    with transaction.atomic(savepoint=False):
        locks = [] if is_lock_row else [_row(DailyTotals, day, LOCK_ROW)]
        _upsert_adding(DailyTotals, [*locks, totals])
        locks = [] if is_lock_row else [_row(MonthlyTotals, month, LOCK_ROW)]
        _upsert_adding(MonthlyTotals, [*locks, monthly])


def daily_totals_update(days: Iterable[Day]) -> None:
    """Recounts the given outlet-days from their shifts, then their months from their days."""
    days = sorted(set(days))  # one lock order: two writers never deadlock
    with transaction.atomic(savepoint=False):  # inside a write's transaction: all or nothing
        for outlet_id, day in days:
            place = {"outlet_id": outlet_id, "business_date": day}
            kept = _held(DailyTotals, place)
            counted: dict[Kind, DailyTotals] = {}
            shifts = SessionRecord.objects.filter(
                outlet_id=outlet_id, business_date=day, deleted_at__isnull=True
            )
            rows = shifts.values_list(*_SHIFT_KIND, *_SHIFT_FIGURES)
            for currency, result, close_time, *figures in rows:
                kind = _kind(currency, result, close_time)
                if kind not in counted:
                    counted[kind] = _row(DailyTotals, place, kind)
                _add_shift(counted[kind], *figures)
            _recount(DailyTotals, place, kept, counted)
        for outlet_id, month in sorted({(outlet, month_of(day)) for outlet, day in days}):
            place = {"outlet_id": outlet_id, "month": month}
            kept = _held(MonthlyTotals, place)
            sums = (
                DailyTotals.objects.filter(
                    outlet_id=outlet_id,
                    business_date__gte=month,
                    business_date__lt=_next_month(month),
                )
                .values_list("currency", "result", "closed")
                .annotate(**{name: Sum(name) for name in FIGURES})
                .order_by()
            )
            months: dict[Kind, MonthlyTotals] = {}
            for currency, result, closed, *figures in sums:
                kind = (currency, result, closed)
                months[kind] = _row(MonthlyTotals, place, kind)
                for name, figure in zip(FIGURES, figures, strict=True):
                    setattr(months[kind], name, figure)
            _recount(MonthlyTotals, place, kept, months)


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
        days: dict[tuple[str, date, Kind], DailyTotals] = {}
        rows = shifts.values_list("outlet_id", "business_date", *_SHIFT_KIND, *_SHIFT_FIGURES)
        for outlet, day, currency, result, close_time, *figures in rows.iterator(chunk_size=5000):
            key = (outlet, day, _kind(currency, result, close_time))
            totals = days.get(key)
            if totals is None:
                totals = days[key] = _row(
                    DailyTotals, {"outlet_id": outlet, "business_date": day}, key[2]
                )
            _add_shift(totals, *figures)
        months: dict[tuple[str, date, Kind], MonthlyTotals] = {}
        for (outlet, day, kind), totals in days.items():
            key = (outlet, month_of(day), kind)
            if key not in months:
                months[key] = _row(MonthlyTotals, {"outlet_id": outlet, "month": key[1]}, kind)
            _add_totals(months[key], totals)
        DailyTotals.objects.all().delete()
        MonthlyTotals.objects.all().delete()
        DailyTotals.objects.bulk_create(days.values(), batch_size=5000)
        MonthlyTotals.objects.bulk_create(months.values(), batch_size=5000)
    return len({key[:2] for key in days})
