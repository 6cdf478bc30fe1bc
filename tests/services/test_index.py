"""Saving a session to the index: the record a save hands back is the row as it is now, read
once, with the till's outlet read alongside it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions_app.finalpos.records import Session
from sessions_app.models import PendingOpen, SessionRecord, Station
from sessions_app.services.index import shift_index_save
from sessions_app.services.index_columns import SalesFigures
from tests.conftest import OUTLET_A, OUTLET_B, STATION_A1

pytestmark = pytest.mark.django_db


def _session(*, closed: bool, number: str = "T-1") -> Session:
    opened = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    wire: dict[str, object] = {
        "id": "a" * 24,
        "companyId": "c0ffee0000000000000000c0",
        "stationId": STATION_A1,
        "sessionNumber": number,
        "openedBy": "Tia Till",
        "openTime": opened.isoformat(),
        "openingAmount": "150.00",
        "updatedAt": opened.isoformat(),
    }
    if closed:
        wire |= {
            "closedBy": "Tia Till",
            "closeTime": (opened + timedelta(hours=2)).isoformat(),
            "closingAmount": "412.35",
            "closingAmounts": {"cash": "412.35", "card": "80.00"},
            "updatedAt": (opened + timedelta(hours=2)).isoformat(),
        }
    return Session.from_wire(wire)


def _columns(record: SessionRecord) -> dict:
    return {field.attname: getattr(record, field.attname) for field in SessionRecord._meta.fields}


def _reads_of(table: str, captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"]
    ]


def test_the_record_a_save_returns_is_the_row_the_index_holds(tills):
    """First indexed, then closed on the till, then read again unchanged: each time the record
    handed back holds what a fresh read of the row holds, column by column."""
    for session in (_session(closed=False), _session(closed=True), _session(closed=True)):
        record = shift_index_save(session)
        assert _columns(record) == _columns(SessionRecord.objects.get(id=session.id))


def test_a_save_of_an_indexed_shift_reads_its_row_once_with_its_tills_outlet(tills):
    shift_index_save(_session(closed=False))
    with CaptureQueriesContext(connection) as captured:
        shift_index_save(_session(closed=True))
    reads = _reads_of(SessionRecord._meta.db_table, captured)
    assert len(reads) == 2  # the row, then its day's shifts for the totals: none after the write
    till_reads = [
        query["sql"]
        for query in captured.captured_queries
        if f'"{Station._meta.db_table}"' in query["sql"]
    ]
    assert till_reads == [reads[0]]


def test_a_till_moved_to_another_outlet_moves_its_shift_there(tills):
    shift_index_save(_session(closed=False))
    Station.objects.filter(id=STATION_A1).update(outlet_id=OUTLET_B)
    record = shift_index_save(_session(closed=True))
    assert record.outlet_id == OUTLET_B
    assert SessionRecord.objects.get(id=record.id).outlet_id == OUTLET_B


def test_a_till_the_catalog_does_not_know_keeps_the_outlet_the_index_has(tills):
    shift_index_save(_session(closed=False))
    Station.objects.filter(id=STATION_A1).delete()
    record = shift_index_save(_session(closed=True))
    assert record.outlet_id == OUTLET_A


def test_a_held_open_made_after_its_shift_was_indexed_is_let_go_by_a_later_save(
    tills, django_user_model
):
    """The create timed out, and a refresh indexed its shift before the open was held: the
    shift's next save lets the till go."""
    shift_index_save(_session(closed=False, number="D-2026-000042"))
    user = django_user_model.objects.create_user("cashier-index", password="x" * 12)
    PendingOpen.objects.create(
        station_id=STATION_A1,
        session_number="D-2026-000042",
        opened_by="Cas Hier",
        opened_by_user=user,
        opening_amount="150.00",
        attempted_at=timezone.now(),
        error="the answer was lost",
    )
    shift_index_save(_session(closed=True, number="D-2026-000042"))
    assert not PendingOpen.objects.exists()


def test_the_record_a_save_returns_carries_no_more_than_its_columns(tills):
    shift_index_save(_session(closed=False))
    record = shift_index_save(_session(closed=True))
    assert not hasattr(record, "till_outlet_id")


@pytest.mark.parametrize(
    ("expected_card", "result", "other_tenders_off"),
    [("85.00", "short", True), ("80.00", "short", False), ("70.00", "mixed", True)],
)
def test_a_shift_off_on_card_says_so_whatever_cash_did(
    tills, expected_card, result, other_tenders_off
):
    """Short in cash and on card is "short", and off on another tender all the same."""
    expected = {"cash": Decimal("420.00"), "card": Decimal(expected_card)}
    record = shift_index_save(
        _session(closed=True),
        expected_from_sales=SalesFigures(expected=expected, rounding=Decimal(0)),
    )
    assert (record.result, record.other_tenders_off) == (result, other_tenders_off)
    assert SessionRecord.objects.get(id=record.id).other_tenders_off is other_tenders_off
