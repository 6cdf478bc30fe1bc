"""The history's selectors: a page read through its indexes (ids first, then the shifts) is
exactly that slice of the full filtered list, for every filter, order and page; business days
far from UTC stay in their range; the cashier filter finds any part of a name."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import product

import pytest
from django.db import connection
from django.utils import timezone

from sessions_app.models import SessionRecord
from sessions_app.selectors.history import (
    HistoryFilters,
    history_page_shifts,
    shift_history,
    with_cashier_names,
)
from sessions_app.selectors.history_totals import cashier_totals_sql
from tests.conftest import OUTLET_A, OUTLET_B, STATION_A1, STATION_A2, STATION_B1, make_shifts

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_shifts(tills):
    make_shifts(23, variance="-1.00", opened_by="Cal Cashier")
    make_shifts(17, variance="2.50", station=STATION_A2, opened_by="Dee Dee", start=100)
    make_shifts(9, variance="0.00", outlet=OUTLET_B, station=STATION_B1, start=200)
    make_shifts(5, variance="-7.00", opened_by="Ann Other", start=300)  # the same days as Cal's
    SessionRecord.objects.filter(session_number="S-2026-0302").update(closed_by="Cal Cashier")
    SessionRecord.objects.filter(session_number="S-2026-0005").update(deleted_at=timezone.now())
    SessionRecord.objects.filter(session_number="S-2026-0104").update(review_state="needs_review")
    SessionRecord.objects.filter(session_number="S-2026-0203").update(
        close_time=None, closing_amount=None, cash_variance=None, variance_abs=None, result=""
    )


def _filter_cases() -> list[HistoryFilters]:
    today = timezone.localdate()
    return [
        HistoryFilters(),
        HistoryFilters(result="short"),
        HistoryFilters(outlet=OUTLET_A),
        HistoryFilters(station=STATION_A2),
        HistoryFilters(cashier="cAL"),
        HistoryFilters(closed_by="Dee Dee"),
        HistoryFilters(date_from=today - timedelta(days=10), date_to=today - timedelta(days=3)),
        HistoryFilters(date_to=today - timedelta(days=12)),
        HistoryFilters(state="open"),
        HistoryFilters(state="closed", result="over"),
        HistoryFilters(state="needs_review"),
        HistoryFilters(state="deleted"),
        HistoryFilters(min_variance=Decimal("2.00"), outlet=OUTLET_A),
        HistoryFilters(cashier="ann", date_from=today - timedelta(days=2)),
    ]


def test_every_page_is_that_slice_of_the_whole_list(many_shifts, superuser):
    for filters, sort in product(_filter_cases(), ["-date", "date", "-variance"]):
        chosen = HistoryFilters(**{**filters.__dict__, "sort": sort})
        whole = [shift.id for shift in shift_history(user=superuser, filters=chosen)]
        for offset in (0, 7, 14, 49):
            page = history_page_shifts(user=superuser, filters=chosen, offset=offset, limit=7)
            assert [shift.id for shift in page] == whole[offset : offset + 7], (chosen, offset)


def test_a_manager_pages_through_their_own_outlets_only(many_shifts, manager):
    whole = shift_history(user=manager, filters=HistoryFilters(sort="-variance"))
    page = history_page_shifts(
        user=manager, filters=HistoryFilters(sort="-variance"), offset=0, limit=60
    )
    assert [shift.id for shift in page] == [shift.id for shift in whole]
    assert {shift.outlet_id for shift in page} == {OUTLET_A}


def _shift(number: int, opened: datetime, business_date: date) -> SessionRecord:
    return SessionRecord.objects.create(
        id=f"{number:024x}",
        session_number=f"S-2026-{number:04d}",
        outlet_id=OUTLET_A,
        station_id=STATION_A1,
        opened_by="Cal",
        open_time=opened,
        business_date=business_date,
        opening_amount=Decimal(200),
        fetched_at=opened,
    )


def test_a_business_day_far_from_utc_stays_in_its_range(tills, superuser):
    """Kiritimati (UTC+14) opens the 2nd while UTC still says the 1st; Pago Pago (UTC-11)
    is still on the 2nd when UTC says the 3rd."""
    east = _shift(1, datetime(2026, 3, 1, 10, 30, tzinfo=UTC), date(2026, 3, 2))
    west = _shift(2, datetime(2026, 3, 3, 10, 30, tzinfo=UTC), date(2026, 3, 2))
    _shift(3, datetime(2026, 3, 1, 9, 0, tzinfo=UTC), date(2026, 3, 1))
    day = HistoryFilters(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    found = [shift.id for shift in shift_history(user=superuser, filters=day)]
    assert found == [west.id, east.id]
    page = history_page_shifts(user=superuser, filters=day, offset=0, limit=50)
    assert [shift.id for shift in page] == found


def test_the_cashier_filter_finds_any_part_of_a_name_in_any_case(many_shifts, superuser):
    found = shift_history(user=superuser, filters=HistoryFilters(cashier="DEE d"))
    assert {shift.opened_by for shift in found} == {"Dee Dee"} and len(found) == 17
    closed_by_cal = shift_history(user=superuser, filters=HistoryFilters(cashier="cashier"))
    assert "S-2026-0302" in {shift.session_number for shift in closed_by_cal}


def test_a_name_new_since_the_names_were_kept_is_found_typed_in_full(many_shifts, superuser):
    shift_history(user=superuser, filters=HistoryFilters(cashier="cal"))  # names kept now
    make_shifts(2, opened_by="Zed Newcomer", start=400)
    full = shift_history(user=superuser, filters=HistoryFilters(cashier="Zed Newcomer"))
    assert len(full) == 2


def test_a_cashiers_totals_count_each_of_their_shifts_once(many_shifts, superuser):
    """Opened or closed by the cashier: a shift both opened and closed by them counts once."""
    from sessions_app.selectors.history_totals import history_totals

    for filters in (HistoryFilters(cashier="cal"), HistoryFilters(cashier="a", state="closed")):
        records = shift_history(user=superuser, filters=filters)
        shifts = list(records)
        [totals] = history_totals(user=superuser, filters=filters, records=records)
        assert totals.shifts == len(shifts) > 0
        assert totals.opening == sum(s.opening_amount for s in shifts)
        assert totals.cash_counted == sum(s.closing_amount or 0 for s in shifts)
        assert totals.cash_variance == sum(s.cash_variance or 0 for s in shifts)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plan (PostgreSQL's depends on its statistics)"
)
def test_a_cashiers_totals_are_read_from_the_cashier_indexes_alone(many_shifts, superuser):
    filters = with_cashier_names(HistoryFilters(cashier="Cal Cashier", currency="USD"))
    sql, params = cashier_totals_sql(user=superuser, filters=filters)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "COVERING INDEX history_opened_by" in plan, plan
    assert "COVERING INDEX history_closed_by" in plan, plan
