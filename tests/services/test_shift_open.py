"""shift_open: one shift per till, written to Final POS first, then indexed."""

import threading
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from sessions_app.finalpos import (
    FinalPOSAuthError,
    FinalPOSCircuitOpen,
    FinalPOSRejected,
    circuit,
)
from sessions_app.finalpos.wire import time_to_wire
from sessions_app.models import AuditEntry, PendingOpen, SessionRecord, Station, StationClaim
from sessions_app.services.errors import OpenOutcomeUnknown, TillBusy
from sessions_app.services.index import shift_fetch
from sessions_app.services.index_refresh import shifts_refresh
from sessions_app.services.settle.opens import not_created_confirmed
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from tests.conftest import add_faults
from tests.helpers import present

pytestmark = pytest.mark.django_db


def _open(tills, user, amount="150.00", **kwargs):
    return shift_open(
        till=tills["a1"], opened_by_user=user, opening_amount=Decimal(amount), **kwargs
    )


def _open_and_close(tills, user, amount: str) -> None:
    """A shift opened and closed here with the float counted back: it leaves a float."""
    shift_close(
        record=_open(tills, user, amount).record,
        closed_by_user=user,
        counted={"cash": Decimal(amount), "card": Decimal(0), "oliverPay": Decimal(0)},
        seen_updated_at=None,
        close_request_id=uuid.uuid4().hex,
    )


def test_it_creates_the_session_indexes_it_and_marks_the_till_in_use(tills, cashier, simulator):
    result = _open(tills, cashier, opening_note="Float from the safe")
    store = simulator.simulator.store
    session = store.get("session", result.record.id)
    year = timezone.localtime().year
    assert session["sessionNumber"] == f"D-{year}-0001"
    assert session["openedBy"] == "Cal Cashier"
    assert session["openingAmount"] == "150.00"
    assert session["closingAmounts"] == {} and session["notes"] == []
    assert session["openingNote"] == "Float from the safe"
    assert "closeTime" not in session
    record = SessionRecord.objects.get()
    assert record.is_open and record.opened_by_user == cashier
    assert record.outlet_id == tills["a1"].outlet_id
    assert store.get("station", tills["a1"].id)["status"] == "IN_USE"
    assert Station.objects.get(id=tills["a1"].id).status == "IN_USE"
    assert result.station_status_error == "" and not StationClaim.objects.exists()


def test_the_row_an_open_indexes_is_the_one_a_read_of_final_pos_indexes(tills, cashier, simulator):
    """An open indexes its new session without the reads a refresh makes (no row, ledger
    entry or conflict can exist for an id Final POS has just issued): what it writes must be
    what the full index save writes from a read of the same session, to the day's totals."""
    from tests.services.test_daily_totals import counted_from_shifts, kept_by_day

    _open_and_close(tills, cashier, "150.00")
    opened = _open(tills, cashier, "140.00", cash_count={Decimal(100): 1, Decimal(20): 2})
    assert opened.record.report  # the float handed over from the last shift, in our report
    unchanging = [
        field.attname
        for field in SessionRecord._meta.concrete_fields
        if field.attname not in ("fetched_at", "updated_at")
    ]
    as_opened = SessionRecord.objects.filter(id=opened.record.id).values(*unchanging).get()
    assert {name: getattr(opened.record, name) for name in unchanging} == as_opened
    totals_as_opened = kept_by_day()

    shift_fetch(session_id=opened.record.id)

    as_read = SessionRecord.objects.filter(id=opened.record.id).values(*unchanging).get()
    assert as_read == as_opened
    assert kept_by_day() == totals_as_opened == counted_from_shifts()


def test_the_station_update_sends_back_the_whole_record(tills, cashier, simulator):
    _open(tills, cashier)
    put = next(r for r in simulator.simulator.requests if r.method == "PUT")
    assert put.body["deviceName"] == "iPad Till 1" and put.body["sequenceNumber"] == 7
    assert put.body["isVirtual"] is False and put.body["status"] == "IN_USE"


def test_a_denomination_count_is_kept_in_the_session_notes(tills, cashier, simulator):
    result = _open(tills, cashier, "70.00", cash_count={Decimal(50): 1, Decimal(20): 1})
    notes = simulator.simulator.store.get("session", result.record.id)["notes"]
    assert notes == ["Opening count: 1 x 50, 1 x 20"]


def test_session_numbers_continue_and_are_never_reused(tills, cashier, simulator):
    first = _open(tills, cashier).record
    shift_close(
        record=first,
        closed_by_user=cashier,
        counted={"cash": Decimal(150)},
        seen_updated_at=None,
        close_request_id="1" * 32,
    )
    second = _open(tills, cashier).record
    assert first.session_number.endswith("-0001") and second.session_number.endswith("-0002")


def test_a_till_with_an_open_shift_is_refused_with_who_and_when(tills, cashier, manager):
    _open(tills, cashier)
    with pytest.raises(TillBusy, match=r"already has an open shift.*Cal Cashier"):
        _open(tills, manager)
    assert SessionRecord.objects.count() == 1


def test_a_shift_closed_on_the_till_meanwhile_no_longer_blocks(tills, cashier, simulator):
    first = _open(tills, cashier).record
    session = simulator.simulator.store.get("session", first.id)
    session |= {"closeTime": "2026-01-05T17:00:00.000Z", "closedBy": "Till app"}
    simulator.simulator.store.replace("session", session)
    station = simulator.simulator.store.get("station", first.station_id)  # as the till does
    simulator.simulator.store.replace("station", station | {"status": "AVAILABLE"})
    second = _open(tills, cashier).record
    assert second.id != first.id
    assert not SessionRecord.objects.get(id=first.id).is_open


def test_the_float_is_handed_over_from_the_shift_the_till_closed_meanwhile(
    tills, cashier, simulator
):
    """The index still had the till's last shift open: it is the last close once read again,
    so the new shift's float is not compared with what the shift before it left."""
    _open_and_close(tills, cashier, "150.00")
    assert _open(tills, cashier, "140.00").record.report  # handed over from the first
    second = SessionRecord.objects.get(close_time__isnull=True)
    session = simulator.simulator.store.get("session", second.id)
    session |= {"closeTime": time_to_wire(timezone.now()), "closedBy": "Till app"}
    simulator.simulator.store.replace("session", session)
    station = simulator.simulator.store.get("station", second.station_id)
    simulator.simulator.store.replace("station", station | {"status": "AVAILABLE"})

    third = _open(tills, cashier, "140.00").record
    assert not third.report  # the second, closed on the till, said nothing to leave
    assert not SessionRecord.objects.get(id=second.id).is_open


def test_someone_opening_the_same_till_right_now_is_refused(tills, cashier):
    StationClaim.objects.create(
        station_id=tills["a1"].id, claimed_at=timezone.now(), claimed_by="Mia Manager"
    )
    with pytest.raises(TillBusy, match="Mia Manager is opening a shift"):
        _open(tills, cashier)


def test_an_abandoned_claim_expires(tills, cashier):
    StationClaim.objects.create(
        station_id=tills["a1"].id,
        claimed_at=timezone.now() - timedelta(minutes=10),
        claimed_by="A crashed worker",
    )
    assert _open(tills, cashier).record.is_open


def test_the_index_holds_two_open_shifts_of_one_till_as_final_pos_can(tills, cashier):
    """A till can open a session of its own beside one the dashboard opened: the index shows
    both (the board names them) rather than failing."""
    from sessions_app.selectors.board import board_outlets

    record = _open(tills, cashier).record
    SessionRecord.objects.create(
        id="c" * 24,
        session_number="S-2026-9999",
        outlet_id=record.outlet_id,
        station_id=record.station_id,
        opened_by="Till user",
        open_time=timezone.now(),
        business_date=timezone.now().date(),
        opening_amount=0,
        fetched_at=timezone.now(),
    )
    [outlet] = [o for o in board_outlets(user=cashier) if o.outlet.id == record.outlet_id]
    [till] = [entry for entry in outlet.tills if entry.till.id == record.station_id]
    assert {shift.session_number for shift in till.open_shifts} == {
        record.session_number,
        "S-2026-9999",
    }


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"action": "status", "status": 401}, FinalPOSAuthError),
        (
            {"action": "status", "status": 400, "messages": ["openingAmount is invalid"]},
            FinalPOSRejected,
        ),
    ],
)
def test_a_failed_create_leaves_nothing_behind(tills, cashier, simulator, fault, error):
    add_faults(simulator, {**fault, "method": "POST", "path_contains": "/session"})
    with pytest.raises(error):
        _open(tills, cashier)
    assert not SessionRecord.objects.exists() and not StationClaim.objects.exists()
    assert simulator.simulator.store.get("station", tills["a1"].id)["status"] == "AVAILABLE"


LOST_ANSWERS: dict[str, dict[str, Any]] = {
    "503 before the write": {"action": "status", "status": 503},
    "500 after the write": {"action": "status", "status": 500, "when": "after"},
    "dropped before the write": {"action": "drop"},
    "dropped after the write": {"action": "drop", "when": "after"},
    "unreadable answer after the write": {"action": "malformed", "when": "after"},
    "a write that lands after the read timeout": {"action": "delay", "delay_ms": 800},
}


@pytest.mark.parametrize("lost", LOST_ANSWERS)
def test_an_open_whose_answer_is_lost_holds_the_till_instead_of_opening_again(
    tills, cashier, simulator, settings, lost
):
    settings.FINALPOS_TIMEOUT = 0.3
    add_faults(simulator, {**LOST_ANSWERS[lost], "method": "POST", "path_contains": "/session"})
    with pytest.raises(OpenOutcomeUnknown, match="may have reached Final POS"):
        _open(tills, cashier)
    assert PendingOpen.objects.filter(station_id=tills["a1"].id).exists()
    assert not StationClaim.objects.exists()
    simulator.simulator.faults.rules.clear()
    with pytest.raises(OpenOutcomeUnknown):  # no blind second create
        _open(tills, cashier)
    simulator.simulator.wait_until_answered(timeout=10)  # a write still on its way lands
    created = [
        s for s in simulator.simulator.store.find("session") if s["stationId"] == tills["a1"].id
    ]
    assert len(created) <= 1


def test_a_held_open_that_did_land_is_settled_when_the_shift_is_found(tills, cashier, simulator):
    add_faults(
        simulator,
        {"action": "drop", "when": "after", "method": "POST", "path_contains": "/session"},
    )
    with pytest.raises(OpenOutcomeUnknown):
        _open(tills, cashier)
    [landed] = simulator.simulator.store.find("session")
    shift_fetch(session_id=landed["id"])  # found: by id here, or by discovery
    assert not PendingOpen.objects.exists()
    entry = AuditEntry.objects.get(outcome="landed")
    assert landed["sessionNumber"] in entry.summary


def test_a_held_open_a_manager_confirms_not_created_opens_again_with_the_same_number(
    tills, cashier, manager, simulator
):
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST"})
    with pytest.raises(OpenOutcomeUnknown):
        _open(tills, cashier)
    number = PendingOpen.objects.get().session_number
    simulator.simulator.faults.rules.clear()
    record = shift_open(
        till=tills["a1"],
        opened_by_user=manager,
        opening_amount=Decimal("200.00"),
        not_created_number=number,
    ).record
    assert record.session_number == number and not PendingOpen.objects.exists()
    assert "checked the till" in present(AuditEntry.objects.filter(action="open").first()).summary


def test_a_held_open_keeps_its_error_in_the_sites_language_for_everyone(tills, cashier, simulator):
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST"})
    with translation.override("de"), pytest.raises(OpenOutcomeUnknown):
        _open(tills, cashier)
    assert PendingOpen.objects.get().error.startswith("Final POS had a problem (HTTP 503)")


def test_a_cashiers_word_never_opens_a_held_till_again(tills, cashier, simulator):
    """One press by a cashier must not be able to put two open shifts on the till."""
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST", "when": "after"})
    with pytest.raises(OpenOutcomeUnknown):
        _open(tills, cashier)
    number = PendingOpen.objects.get().session_number
    simulator.simulator.faults.rules.clear()
    with pytest.raises(OpenOutcomeUnknown):
        shift_open(
            till=tills["a1"],
            opened_by_user=cashier,
            opening_amount=Decimal("200.00"),
            not_created_number=number,
        )
    assert len(simulator.simulator.store.find("session")) == 1


def test_with_the_circuit_open_nothing_is_sent(tills, cashier, simulator, settings):
    for _ in range(settings.FINALPOS_CIRCUIT_FAILURES):
        circuit.record_failure()
    with pytest.raises(FinalPOSCircuitOpen):
        _open(tills, cashier)
    assert not any(r.method == "POST" for r in simulator.simulator.requests)


def test_a_failed_station_update_keeps_the_shift_and_is_retried_later(tills, cashier, simulator):
    add_faults(
        simulator,
        {
            "action": "status",
            "status": 503,
            "method": "PUT",
            "path_contains": "/station/",
            "times": 1,
        },
    )
    result = _open(tills, cashier)
    assert result.record.is_open and "HTTP 503" in result.station_status_error
    record = SessionRecord.objects.get()
    assert record.station_status_pending == "IN_USE" and record.station_status_error
    assert shifts_refresh().till_statuses_fixed == 1
    assert simulator.simulator.store.get("station", tills["a1"].id)["status"] == "IN_USE"
    assert SessionRecord.objects.get().station_status_error == ""


@pytest.mark.django_db(transaction=True)
def test_two_people_opening_the_same_till_at_once_get_one_shift(tills, cashier, manager):
    # Slow Final POS down so both requests overlap for real.
    tills_a1 = tills["a1"]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(user):
        barrier.wait()
        try:
            shift_open(till=tills_a1, opened_by_user=user, opening_amount=Decimal(100))
            outcomes.append("opened")
        except TillBusy:
            outcomes.append("busy")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in (cashier, manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["busy", "opened"]
    assert SessionRecord.objects.count() == 1


def _held(tills, cashier):
    return PendingOpen.objects.create(
        station_id=tills["a1"].id,
        session_number="D-2026-0007",
        opened_by="Cal",
        opened_by_user=cashier,
        opening_amount=Decimal("150.00"),
        attempted_at=timezone.now(),
    )


def test_a_held_till_is_refused_without_a_managers_word_and_nothing_is_sent(
    tills, manager, cashier, simulator
):
    _held(tills, cashier)
    with pytest.raises(OpenOutcomeUnknown, match="may have reached Final POS"):
        shift_open(till=tills["a1"], opened_by_user=manager, opening_amount=Decimal("150.00"))
    assert not simulator.simulator.store.find("session")
    assert PendingOpen.objects.get().session_number == "D-2026-0007"


def test_only_a_manager_who_types_the_held_number_confirms_it_was_not_created(
    tills, cashier, manager
):
    held = _held(tills, cashier)

    def confirmed(user, typed_number):
        return not_created_confirmed(held, user=user, typed_number=typed_number)

    assert confirmed(manager, "D-2026-0007")
    assert not confirmed(manager, "D-2026-0008")
    assert not confirmed(manager, "")
    assert not confirmed(cashier, "D-2026-0007")
