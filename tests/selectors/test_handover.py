"""What opening a shift reads of its till: the shifts still open there and the last close."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions_app.models import SessionRecord
from sessions_app.selectors.handover import till_before_open
from tests.conftest import STATION_A1, STATION_A2, make_shifts
from tests.helpers import full_reads_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def till_history(tills):
    make_shifts(150, station=STATION_A1)
    make_shifts(150, station=STATION_A2, start=200)
    newest = SessionRecord.objects.filter(station_id=STATION_A1).order_by("-close_time")
    left, still_open = newest[0], newest[1]
    SessionRecord.objects.filter(id=left.id).update(left_in_drawer="150.00")
    SessionRecord.objects.filter(id=still_open.id).update(
        close_time=None, open_time=timezone.now() - timedelta(hours=1)
    )
    return left.id, still_open.id


def test_a_till_gives_its_open_shifts_and_what_its_last_close_left(till_history):
    left_id, open_id = till_history
    before = till_before_open(STATION_A1)
    assert [shift.id for shift in before.indexed_open] == [open_id]
    assert before.left is not None and before.left.session_id == left_id
    assert before.left.amount == Decimal("150.00")


def test_a_tills_shifts_are_found_through_indexes_not_by_reading_every_shift(till_history):
    """An OR of the two parts made PostgreSQL read every shift there is: 0.3 s an open with
    200,000 shifts (bench/RESULTS.md)."""
    with CaptureQueriesContext(connection) as captured:
        till_before_open(STATION_A1)
    [query] = captured.captured_queries
    assert full_reads_of(SessionRecord._meta.db_table, query["sql"]) == []
