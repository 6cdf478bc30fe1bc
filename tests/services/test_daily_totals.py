"""The history's per-day totals (DailyTotals) always equal the shifts they count: after every
kind of write, with writers at once, after a time zone change and after the migration."""

import contextlib
import threading
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sessions_app.finalpos.records import Session
from sessions_app.models import DailyTotals, MonthlyTotals, Outlet, SessionRecord
from sessions_app.services.index import index_note_missing, shift_index_save
from sessions_app.services.outlet_settings import outlet_settings_update
from sessions_app.services.shift_review import shift_correct
from sessions_app.services.shift_undo import shift_delete
from tests.conftest import OUTLET_A, STATION_A1, STATION_A2, make_shifts
from tests.helpers import present

pytestmark = pytest.mark.django_db

COUNTED = {"cash": Decimal("230.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)}


def _thousandths(amount: Decimal | None) -> int:
    return 0 if amount is None else int(amount * 1000)


def counted_from_shifts() -> dict:
    """Each outlet-day's figures added up here, exactly, from the shifts themselves, apart by
    currency, by result and by open or closed (the totals keep a row for each)."""
    days: dict = defaultdict(lambda: [0, 0, 0, 0, 0])
    for record in SessionRecord.objects.filter(deleted_at__isnull=True):
        kind = (record.currency, record.result, record.close_time is not None)
        day = days[(record.outlet_id, record.business_date, *kind)]
        day[0] += 1
        day[1] += _thousandths(record.opening_amount)
        day[2] += _thousandths(record.closing_amount)
        difference = _thousandths(record.cash_variance)
        day[3 if difference > 0 else 4] += difference
    return dict(days)


def kept_by_day() -> dict:
    """The days kept, after checking that every month kept is the sum of its days, and that
    each day and month has one row of each kind."""
    months: dict = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for row in DailyTotals.objects.all():
        month = months[
            (row.outlet_id, row.business_date.replace(day=1), row.currency, row.result, row.closed)
        ]
        for index, name in enumerate(DailyTotals.FIGURES):
            month[index] += getattr(row, name)
    kept_months = {
        (row.outlet_id, row.month, row.currency, row.result, row.closed): [
            getattr(row, name) for name in MonthlyTotals.FIGURES
        ]
        for row in MonthlyTotals.objects.all()
    }
    assert len(kept_months) == MonthlyTotals.objects.count()
    assert {key: month for key, month in kept_months.items() if month[0]} == {
        key: month for key, month in months.items() if month[0]
    }
    kept = {
        (row.outlet_id, row.business_date, row.currency, row.result, row.closed): [
            row.shifts,
            row.opening_thousandths,
            row.counted_thousandths,
            row.cash_over_thousandths,
            row.cash_short_thousandths,
        ]
        for row in DailyTotals.objects.filter(shifts__gt=0)
    }
    assert len(kept) == DailyTotals.objects.filter(shifts__gt=0).count()
    return kept


def per_day(kept: dict) -> dict:
    """The kinds of each outlet-day added together."""
    days: dict = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (outlet, day, _currency, _result, _closed), figures in kept.items():
        days[(outlet, day)] = [a + b for a, b in zip(days[(outlet, day)], figures, strict=True)]
    return dict(days)


def test_every_write_keeps_the_day_exact(closed_shift, manager, settings):
    make_shifts(5, variance="-0.10")
    assert kept_by_day() == counted_from_shifts()
    [(outlet, day)] = [
        key for key in per_day(kept_by_day()) if key[1] == closed_shift.business_date
    ]
    assert per_day(kept_by_day())[(outlet, day)][0] == 2  # the close and one bulk-loaded shift

    corrected = shift_correct(
        record=closed_shift,
        corrected_by_user=manager,
        counted=COUNTED | {"cash": Decimal("241.37")},
        closing_note="Recounted",
        reason="Miscounted the twenties",
        seen_updated_at=None,
    ).record
    assert kept_by_day() == counted_from_shifts()

    shift_delete(record=corrected, deleted_by_user=manager, reason="Test shift")
    assert kept_by_day() == counted_from_shifts()
    assert per_day(kept_by_day())[(outlet, day)][0] == 1

    gone = present(SessionRecord.objects.filter(deleted_at__isnull=True).first())
    settings.SHIFT_GONE_AFTER = timedelta(0)
    index_note_missing(gone)
    assert index_note_missing(gone)
    assert kept_by_day() == counted_from_shifts()


def test_a_new_time_zone_moves_the_totals_with_the_shifts(tills, manager):
    make_shifts(30, variance="0.35")
    make_shifts(3, variance="-2.00", start=100)
    outlet = Outlet.objects.get(id=OUTLET_A)
    outlet_settings_update(
        outlet=outlet, changes={"time_zone": "Pacific/Kiritimati"}, updated_by_user=manager
    )
    assert kept_by_day() == counted_from_shifts()


def _till_session(index: int) -> Session:
    opened = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    return Session.from_wire(
        {
            "id": f"{index:024x}",
            "companyId": "c0ffee0000000000000000c0",
            "stationId": STATION_A1,
            "sessionNumber": f"T-{index}",
            "openedBy": "Tia Till",
            "openTime": (opened - timedelta(minutes=index)).isoformat(),
            "openingAmount": f"{100 + index}.01",
            "closedBy": "Tia Till",
            "closeTime": opened.isoformat(),
            "closingAmount": f"{100 + index}.34",
            "closingAmounts": {"cash": f"{100 + index}.34"},
            "updatedAt": opened.isoformat(),
        }
    )


def _at_once(*calls) -> list[BaseException]:
    """Runs the calls together, each in its own thread and database connection; the errors."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call) -> None:
        barrier.wait()
        try:
            call()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_on_one_day_lose_nothing(tills):
    """Eight refreshes index eight shifts of one outlet-day at the same moment, each in its
    own thread and database connection: the day counts all eight."""
    sessions = [_till_session(index) for index in range(1, 9)]
    errors = _at_once(*[lambda session=session: shift_index_save(session) for session in sessions])
    assert errors == []
    assert kept_by_day() == counted_from_shifts()
    assert sum(day[0] for day in kept_by_day().values()) == 8


@pytest.mark.django_db(transaction=True)
def test_a_shift_first_saved_by_four_writers_at_once_counts_once(tills):
    """Four refreshes find the same new till shift at the same moment: a first save adds the
    shift to its day, so the three that come second must see the first's row, not add again."""
    session = _till_session(1)
    assert _at_once(*[lambda: shift_index_save(session)] * 4) == []
    assert kept_by_day() == counted_from_shifts()
    assert sum(day[0] for day in kept_by_day().values()) == 1


@pytest.mark.django_db(transaction=True)
def test_first_saves_and_recounts_of_one_day_at_once_lose_nothing(tills):
    """New shifts are added to a day while other writers recount that day: whichever comes
    first, the day ends with every shift counted once."""
    from sessions_app.services.daily_totals import daily_totals_update

    shift_index_save(_till_session(1))
    [day] = per_day(kept_by_day())
    new = [_till_session(index) for index in range(2, 7)]
    recounts = [lambda: daily_totals_update([day])] * 3
    adds = [lambda session=session: shift_index_save(session) for session in new]
    assert _at_once(*adds, *recounts) == []
    assert kept_by_day() == counted_from_shifts()
    assert per_day(kept_by_day())[day][0] == 6


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks that can deadlock: PostgreSQL only (SQLite has one writer at a time)",
)
@pytest.mark.django_db(transaction=True)
def test_an_add_and_a_recount_of_a_bulk_loaded_day_at_once_do_not_deadlock(tills, monkeypatch):
    """A bulk load (a rebuild) leaves a day with no lock row. A recount of it that locked the
    day's other rows first, then made the lock row, would meet an add holding the new lock row
    and waiting for those rows: a deadlock on PostgreSQL. The recount here stops just before
    it writes, until the add is done: the add must not have to wait for it."""
    from sessions_app.services import daily_totals

    make_shifts(1, variance="-1.00")
    [(outlet, day)] = per_day(kept_by_day())
    shift = SessionRecord.objects.values(*daily_totals.COUNTED_FIELDS).get()
    add_done = threading.Event()
    upsert = daily_totals._upsert_adding

    def recount_waits_for_the_add(model, rows):
        if threading.current_thread().name == "recount" and not add_done.is_set():
            add_done.wait(timeout=3)
        return upsert(model, rows)

    monkeypatch.setattr(daily_totals, "_upsert_adding", recount_waits_for_the_add)

    def add() -> None:
        try:
            daily_totals.daily_totals_add(shift)
        finally:
            add_done.set()

    def recount() -> None:
        threading.current_thread().name = "recount"
        daily_totals.daily_totals_update([(outlet, day)])

    assert _at_once(recount, add) == []
    # The add counted the shift a second time (it was not indexed here): the recount, after
    # it, made the day exact again.
    assert kept_by_day() == counted_from_shifts()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks that can deadlock: PostgreSQL only (SQLite has one writer at a time)",
)
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_the_same_two_days_in_opposite_orders_do_not_deadlock(tills, monkeypatch):
    """Two writers, each in its own thread and connection, recount the same two outlet-days,
    named in opposite orders. Each holds its first day's rows before either goes on: locked in
    the order given, each would then wait for the other's day (PostgreSQL ends that deadlock by
    failing one of them); locked in one fixed order, the second waits for the first."""
    from sessions_app.services import daily_totals

    make_shifts(2, variance="-1.00")
    days = sorted(per_day(kept_by_day()))
    assert len(days) == 2
    daily_totals.daily_totals_update(days)  # every row that either writer locks exists
    both_hold_a_day = threading.Barrier(2)
    first_hold_of_thread = threading.local()
    held = daily_totals._held

    def hold_then_wait_for_the_other(model, place):
        kept = held(model, place)
        if not getattr(first_hold_of_thread, "done", False):
            first_hold_of_thread.done = True
            # In one fixed order the other writer is waiting for this very day: it never comes.
            with contextlib.suppress(threading.BrokenBarrierError):
                both_hold_a_day.wait(timeout=1)
        return kept

    monkeypatch.setattr(daily_totals, "_held", hold_then_wait_for_the_other)
    errors = _at_once(
        *[
            lambda order=order: daily_totals.daily_totals_update(order)
            for order in (days, days[::-1])
        ]
    )
    assert errors == []
    assert kept_by_day() == counted_from_shifts()


def test_the_migration_counts_the_shifts_already_indexed(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("sessions_app", "0013_job_lease")])
    old = executor.loader.project_state([("sessions_app", "0013_job_lease")]).apps
    OldRecord = old.get_model("sessions_app", "SessionRecord")
    for index, (variance, deleted) in enumerate([("-30.42", None), ("0.07", None), ("9", "x")]):
        OldRecord.objects.create(
            id=f"{index:024x}",
            session_number=f"S-2026-000{index}",
            outlet_id=OUTLET_A,
            station_id=STATION_A1,
            opened_by="Cal",
            open_time="2026-11-01T09:00:00Z",
            close_time="2026-11-01T17:00:00Z",
            business_date="2026-11-01",
            opening_amount="200.00",
            closing_amount=str(Decimal(200) + Decimal(variance)),
            cash_variance=variance,
            fetched_at="2026-11-01T17:00:00Z",
            deleted_at="2026-11-02T09:00:00Z" if deleted else None,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert kept_by_day() == counted_from_shifts()
    [(key, day)] = kept_by_day().items()
    # In thousandths since the money migration: exact for three-decimal currencies.
    assert day == [2, 400000, 369650, 70, -30420]
    assert key[2:] == ("USD", "", True)  # closed, with no result recorded then


@pytest.mark.parametrize(
    ("from_days_ago", "to_days_ago"),
    [
        (None, None),
        (170, None),
        (None, 100),
        (150, 40),  # cuts two months, with whole months between
        (63, 58),  # inside one month, or across the turn of one
        (30, 30),
    ],
)
def test_totals_for_any_range_equal_the_shifts_in_it(tills, superuser, from_days_ago, to_days_ago):
    """Whole months from the monthly rows and the cut months' days add up to what the
    shifts in the range add up to."""
    from sessions_app.selectors.history import HistoryFilters, shift_history
    from sessions_app.selectors.history_totals import history_totals

    make_shifts(150, variance="-0.37")
    make_shifts(40, variance="1.05", start=500, station=STATION_A2)
    today = timezone.localdate()
    filters = HistoryFilters(
        date_from=None if from_days_ago is None else today - timedelta(days=from_days_ago),
        date_to=None if to_days_ago is None else today - timedelta(days=to_days_ago),
    )
    [totals] = history_totals(
        user=superuser, filters=filters, records=shift_history(user=superuser, filters=filters)
    )
    shifts = list(shift_history(user=superuser, filters=filters))
    assert shifts and totals.shifts == len(shifts)
    assert totals.opening == sum(s.opening_amount for s in shifts)
    assert totals.cash_counted == sum(s.closing_amount for s in shifts)
    assert totals.cash_variance == sum(present(s.cash_variance) for s in shifts)


@pytest.mark.parametrize(
    ("result", "state"),
    [("short", ""), ("over", ""), ("balanced", "closed"), ("short", "open"), ("", "open")],
)
def test_totals_by_result_and_state_equal_the_shifts_they_count(
    open_shift, superuser, result, state
):
    """The result and state filters read the totals' rows of that kind, and add up to what
    the shifts they show add up to."""
    from django.test.utils import CaptureQueriesContext

    from sessions_app.selectors.history import HistoryFilters, shift_history
    from sessions_app.selectors.history_totals import history_totals

    make_shifts(70, variance="-0.37")
    make_shifts(40, variance="1.05", start=500, station=STATION_A2)
    make_shifts(20, variance="0.00", start=900)
    filters = HistoryFilters(result=result, state=state)
    with CaptureQueriesContext(connection) as queries:
        records = shift_history(user=superuser, filters=filters)
        found = history_totals(user=superuser, filters=filters, records=records)
    assert all("sessionrecord" not in q["sql"] for q in queries.captured_queries)
    shifts = list(shift_history(user=superuser, filters=filters))
    if not shifts:
        assert found == []  # no totals row for a currency with no shifts here
    else:
        [totals] = found  # one currency
        assert totals.shifts == len(shifts)
        assert totals.opening == sum(s.opening_amount for s in shifts)
        assert totals.cash_counted == sum(s.closing_amount or 0 for s in shifts)
        assert totals.cash_variance == sum(s.cash_variance or 0 for s in shifts)


def test_a_refresh_that_changes_nothing_counted_leaves_the_totals_alone(closed_shift):
    from django.test.utils import CaptureQueriesContext

    from sessions_app.services.index import shift_refresh

    with CaptureQueriesContext(connection) as queries:
        shift_refresh(closed_shift)
    assert not [q for q in queries.captured_queries if "totals" in q["sql"].lower()]
    assert kept_by_day() == counted_from_shifts()


def test_rebuild_totals_repairs_totals_written_by_other_means(tills):
    from django.core.management import call_command

    make_shifts(20, variance="-0.37")
    DailyTotals.objects.update(shifts=0, counted_thousandths=0)
    MonthlyTotals.objects.all().delete()
    call_command("rebuild_totals")
    assert kept_by_day() == counted_from_shifts()
    assert sum(day[0] for day in kept_by_day().values()) == 20


def test_both_ways_of_totalling_agree_on_a_day_of_open_shifts_only(open_shift, superuser):
    from sessions_app.selectors.history import HistoryFilters, shift_history
    from sessions_app.selectors.history_totals import history_totals

    def totals(filters):
        records = shift_history(user=superuser, filters=filters)
        return history_totals(user=superuser, filters=filters, records=records)

    [by_day] = totals(HistoryFilters())
    [by_rows] = totals(HistoryFilters(station=open_shift.station_id))
    assert by_day == by_rows
    assert by_day.shifts == 1 and by_day.cash_counted == 0 and by_day.cash_over is None
