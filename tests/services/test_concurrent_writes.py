"""Two people at once, with real threads and the real database (SQLite or PostgreSQL): one
writer per shift, a second one waits and then sees what the first did."""

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from sessions_app.models import SessionRecord
from sessions_app.services.errors import ShiftAlreadyClosed, TillBusy
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from sessions_app.services.shift_undo import shift_reopen
from tests.conftest import add_faults

pytestmark = pytest.mark.django_db(transaction=True)

COUNTED = {"cash": Decimal("240.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)}


def _at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Runs the calls in threads released together; returns each result or exception."""
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _slow_writes(simulator) -> None:
    """Final POS takes 300 ms per write, so the two writers overlap for real."""
    add_faults(simulator, {"action": "delay", "delay_ms": 300, "method": "PUT"})


def _session_puts(simulator, session_id: str) -> int:
    path = f"/v1/api/session/{session_id}"
    return sum(1 for r in simulator.simulator.requests if r.method == "PUT" and r.path == path)


def _close(record, user, request_id: str):
    def close():
        return shift_close(
            record=SessionRecord.objects.get(id=record.id),
            closed_by_user=user,
            counted=COUNTED,
            seen_updated_at=None,
            close_request_id=request_id,
        )

    return close


def test_two_cashiers_closing_one_shift_write_once_and_the_second_is_told(
    open_shift, cashier, manager, simulator
):
    _slow_writes(simulator)
    simulator.simulator.reset_log()
    first, second = _at_once(
        _close(open_shift, cashier, "1" * 32), _close(open_shift, manager, "2" * 32)
    )
    outcomes = [first, second]
    closed = [result for result in outcomes if not isinstance(result, Exception)]
    refused = [result for result in outcomes if isinstance(result, ShiftAlreadyClosed)]
    assert len(closed) == 1 and len(refused) == 1, outcomes
    assert "already closed by" in refused[0].message
    assert _session_puts(simulator, open_shift.id) == 1
    stored = simulator.simulator.store.get("session", open_shift.id)
    record = SessionRecord.objects.get(id=open_shift.id)
    assert record.closed_by == stored["closedBy"] == closed[0].record.closed_by


def test_a_double_submit_of_one_close_writes_once(open_shift, cashier, simulator):
    _slow_writes(simulator)
    simulator.simulator.reset_log()
    results = _at_once(_close(open_shift, cashier, "3" * 32), _close(open_shift, cashier, "3" * 32))
    assert not any(isinstance(result, Exception) for result in results), results
    assert sorted(result.already_done for result in results) == [False, True]
    assert _session_puts(simulator, open_shift.id) == 1


def test_reopening_while_someone_opens_the_same_till_leaves_one_open_shift(
    closed_shift, cashier, manager, tills, simulator
):
    add_faults(simulator, {"action": "delay", "delay_ms": 200, "method": "PUT"})
    add_faults(simulator, {"action": "delay", "delay_ms": 200, "method": "POST"})

    def reopen():
        return shift_reopen(
            record=SessionRecord.objects.get(id=closed_shift.id),
            reopened_by_user=manager,
            reason="Bag found",
            seen_updated_at=None,
        )

    def open_again():
        return shift_open(
            till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("100.00")
        )

    results = _at_once(reopen, open_again)
    assert sum(1 for result in results if isinstance(result, TillBusy)) == 1, results
    open_upstream = [
        session
        for session in simulator.simulator.store.find("session")
        if session["stationId"] == tills["a1"].id and "closeTime" not in session
    ]
    assert len(open_upstream) == 1
    open_in_index = SessionRecord.objects.filter(
        station_id=tills["a1"].id, close_time__isnull=True, deleted_at__isnull=True
    )
    assert [record.id for record in open_in_index] == [open_upstream[0]["id"]]


def test_a_refresh_while_a_close_is_written_does_not_undo_it(open_shift, cashier, simulator):
    from sessions_app.services.index import shift_refresh

    _slow_writes(simulator)
    closing, refreshed = _at_once(
        _close(open_shift, cashier, "4" * 32),
        lambda: shift_refresh(SessionRecord.objects.get(id=open_shift.id)),
    )
    assert not isinstance(closing, Exception) and not isinstance(refreshed, Exception)
    assert not SessionRecord.objects.get(id=open_shift.id).is_open
