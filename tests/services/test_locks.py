"""Claims and write locks are single statements: taken with ON CONFLICT DO NOTHING (a row held
is a row not inserted, not an error) and let go by a DELETE of the holder's own row, with no
transaction of their own. Killed holders and waiting writers: test_liveness.py."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions_app.models import JobLease, ShiftWriteLock, Station, StationClaim
from sessions_app.services.errors import ShiftBusy, TillBusy
from sessions_app.services.liveness import process_announce
from sessions_app.services.locks import (
    job_lease_release,
    job_lease_take,
    shift_write_lock,
    till_claim,
)

pytestmark = pytest.mark.django_db(transaction=True)

SESSION = "5e55107a11ce000000000002"
STALE = timedelta(minutes=2)


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"].split()[0].upper() for query in captured.captured_queries]


@pytest.fixture
def till(db):
    process_announce()  # the process's heartbeat row, written once, is not the claim's
    return Station.objects.create(
        id="a1" * 12, outlet_id="o" * 24, name="Till 1", fetched_at=timezone.now()
    )


def test_a_till_claim_is_one_insert_to_take_and_one_delete_to_let_go(till):
    with CaptureQueriesContext(connection) as taking, till_claim(till, claimed_by="Cal Cashier"):
        assert StationClaim.objects.get().claimed_by == "Cal Cashier"
    assert _statements(taking)[0] == "INSERT"
    assert _statements(taking)[-1] == "DELETE"
    assert len(taking) == 3  # the insert, the look above and the delete: no BEGIN, no COMMIT
    assert not StationClaim.objects.exists()


def test_a_held_claim_refuses_by_name_and_stays_the_holders(till):
    with till_claim(till, claimed_by="Mia Manager"):
        held = StationClaim.objects.get()
        with (
            pytest.raises(TillBusy, match="Mia Manager is opening a shift on Till 1"),
            till_claim(till, claimed_by="Cal Cashier"),
        ):
            pass
        assert StationClaim.objects.get() == held
        assert StationClaim.objects.get().claimed_at == held.claimed_at


def test_letting_go_of_a_claim_taken_over_meanwhile_keeps_the_takers(till):
    with till_claim(till, claimed_by="Cal Cashier"):
        # Taken over, as from a holder thought dead: another process's claim now.
        StationClaim.objects.filter(station_id=till.id).update(
            claimed_by="Mia Manager", claimed_at=timezone.now(), process="web-2"
        )
    assert StationClaim.objects.get().claimed_by == "Mia Manager"


def test_a_refused_claim_leaves_the_callers_transaction_usable(till):
    StationClaim.objects.create(
        station_id=till.id, claimed_at=timezone.now(), claimed_by="Mia Manager"
    )
    with transaction.atomic():
        with pytest.raises(TillBusy), till_claim(till, claimed_by="Cal Cashier"):
            pass
        Station.objects.filter(id=till.id).update(name="Till One")  # still usable
    assert Station.objects.get(id=till.id).name == "Till One"


def test_a_write_lock_lets_go_of_its_own_row_only(db):
    process_announce()
    with (
        CaptureQueriesContext(connection) as locking,
        shift_write_lock(SESSION, holder="Cal Cashier"),
    ):
        assert ShiftWriteLock.objects.get().holder == "Cal Cashier"
        # Taken over meanwhile (as from a holder thought dead): the other writer's row.
        ShiftWriteLock.objects.filter(session_id=SESSION).update(token="f" * 32, holder="Mia")
    assert not {"BEGIN", "COMMIT", "SAVEPOINT"} & set(_statements(locking))
    assert _statements(locking)[0] == "INSERT"  # a lock nobody holds: no look for a dead holder
    assert ShiftWriteLock.objects.get().holder == "Mia"  # the taker's lock is kept


def test_a_second_writer_waits_then_is_told_who_holds_the_lock(db):
    with shift_write_lock(SESSION, holder="Sam Rivera"):
        with (
            pytest.raises(ShiftBusy, match="Sam Rivera is saving a change"),
            shift_write_lock(SESSION, holder="Cal Cashier", wait=0.2),
        ):
            pass
        assert ShiftWriteLock.objects.get().holder == "Sam Rivera"
    assert not ShiftWriteLock.objects.exists()


def test_a_job_lease_goes_to_one_holder_until_released(db):
    first = job_lease_take("refresh", holder="web-1", token="1" * 32, stale_after=STALE)
    second = job_lease_take("refresh", holder="web-2", token="2" * 32, stale_after=STALE)
    assert (first, second) == (True, False)
    assert JobLease.objects.get().holder == "web-1"
    job_lease_release("refresh", token="1" * 32)
    assert job_lease_take("refresh", holder="web-2", token="2" * 32, stale_after=STALE)
    assert JobLease.objects.get().holder == "web-2"
