"""A lock whose holder died is taken over at once, not after minutes: real processes holding a
shift's write lock, a till's claim and the refresh lease, killed with kill -9. A holder that is
alive keeps what it holds, and a writer who waits in vain is told plainly who holds it."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.models import JobLease, ProcessBeat, ShiftWriteLock, StationClaim
from sessions_app.services.errors import ShiftBusy, TillBusy
from sessions_app.services.liveness import process_dead, process_id
from sessions_app.services.locks import job_lease_take, shift_write_lock, till_claim
from tests.processes import django_process, kill_hard, wait_for_line

pytestmark = pytest.mark.django_db(transaction=True)

SESSION = "5e55107a11ce000000000001"
HOLD_THE_LOCK = f"""
from sessions_app.services.locks import shift_write_lock
with shift_write_lock("{SESSION}", holder="Sam Rivera"):
    print("held", flush=True)
    import time
    time.sleep(600)
"""


def test_a_write_lock_whose_process_was_killed_is_taken_over_at_once():
    holder = django_process(HOLD_THE_LOCK)
    wait_for_line(holder, "held")
    kill_hard(holder)
    assert ShiftWriteLock.objects.get(session_id=SESSION).holder == "Sam Rivera"  # left behind

    started = time.monotonic()
    with shift_write_lock(SESSION, holder="Cal Cashier", wait=5):
        took = time.monotonic() - started
        assert ShiftWriteLock.objects.get(session_id=SESSION).holder == "Cal Cashier"
    print(f"taken over {took:.2f} s after the holder was killed")
    assert not ShiftWriteLock.objects.exists()


def test_a_write_lock_held_by_a_live_process_is_kept_and_the_waiter_is_told_who(cashier):
    holder = django_process(HOLD_THE_LOCK)
    try:
        wait_for_line(holder, "held")
        with (
            pytest.raises(ShiftBusy) as refused,
            shift_write_lock(SESSION, holder="Cal Cashier", holder_user=cashier, wait=1),
        ):
            pass
        assert refused.value.message == (
            "Sam Rivera is saving a change to this shift right now; try again in a moment."
        )
    finally:
        kill_hard(holder)


def test_a_writer_waiting_for_their_own_earlier_save_is_not_told_someone_else_is_saving(
    cashier,
):
    ShiftWriteLock.objects.create(
        session_id=SESSION,
        holder="Cal Cashier",
        holder_user=cashier,
        token="a" * 32,
        acquired_at=timezone.now(),
        process=process_id(),  # this process: alive
    )
    with (
        pytest.raises(ShiftBusy) as refused,
        shift_write_lock(SESSION, holder="Cal Cashier", holder_user=cashier, wait=0.2),
    ):
        pass
    assert "Cal Cashier" not in refused.value.message
    assert refused.value.message.startswith("Your earlier save of this shift is still being")


def test_the_refresh_reading_a_shift_is_named_as_that(cashier):
    ShiftWriteLock.objects.create(
        session_id=SESSION,
        holder="refresh",
        token="a" * 32,
        acquired_at=timezone.now(),
        process=process_id(),
    )
    with (
        pytest.raises(ShiftBusy) as refused,
        shift_write_lock(SESSION, holder="Cal Cashier", holder_user=cashier, wait=0.2),
    ):
        pass
    assert refused.value.message == (
        "This shift is being read from Final POS right now; try again in a moment."
    )


def test_a_tills_claim_left_by_a_killed_process_is_taken_over(tills):
    holder = django_process(
        f"""
        from sessions_app.models import Station
        from sessions_app.services.locks import till_claim
        with till_claim(Station.objects.get(id="{tills["a1"].id}"), claimed_by="Sam Rivera"):
            print("held", flush=True)
            import time
            time.sleep(600)
        """
    )
    wait_for_line(holder, "held")
    with (  # alive: the second person is told
        pytest.raises(TillBusy),
        till_claim(tills["a1"], claimed_by="Cal Cashier"),
    ):
        pass
    kill_hard(holder)

    with till_claim(tills["a1"], claimed_by="Cal Cashier"):
        assert StationClaim.objects.get().claimed_by == "Cal Cashier"


def test_a_lease_whose_holder_was_killed_is_taken_over_before_it_goes_stale():
    holder = django_process(
        """
        from datetime import timedelta
        from sessions_app.services.locks import job_lease_take
        assert job_lease_take("refresh", holder="w1", token="a" * 32,
                              stale_after=timedelta(minutes=5))
        print("held", flush=True)
        import time
        time.sleep(600)
        """
    )
    wait_for_line(holder, "held")
    stale = timedelta(minutes=5)
    assert not job_lease_take("refresh", holder="w2", token="b" * 32, stale_after=stale)
    kill_hard(holder)

    assert job_lease_take("refresh", holder="w2", token="b" * 32, stale_after=stale)
    assert JobLease.objects.get().holder == "w2"


def test_a_holder_on_another_machine_is_alive_while_it_beats_and_dead_once_it_stops():
    other = "till-close-web-7f3a:41:123456"
    now = timezone.now()
    ProcessBeat.objects.create(process=other, started_at=now, beat_at=now)
    assert not process_dead(other)

    ProcessBeat.objects.filter(process=other).update(beat_at=now - timedelta(seconds=60))
    assert process_dead(other)
    assert process_dead("till-close-web-0000:42:1")  # never beat at all


def test_a_holder_on_another_machine_whose_first_beat_is_missing_gets_three_beats(settings):
    """Its first row may have been rolled back with the transaction it was written in."""
    settings.PROCESS_HEARTBEAT_SECONDS = 5
    other = "till-close-web-7f3a:43:123456"
    assert not process_dead(other, held_since=timezone.now() - timedelta(seconds=10))
    assert process_dead(other, held_since=timezone.now() - timedelta(seconds=20))


def test_a_holder_from_before_processes_were_named_is_left_to_age():
    assert not process_dead("")
