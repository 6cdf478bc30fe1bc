"""The other half of the fault matrix: Final POS made the change, and its answer was lost.

For every write: the person is told the truth (saved), the index equals what Final POS holds,
the audit says the answer was lost and the write found saved, and nothing was written twice.
"Lands after the read timeout" is a write Final POS finishes after the dashboard stopped
waiting for it.
"""

import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from sessions_app.models import AuditEntry, Outlet, SessionRecord, ShiftConflict, Station
from tests.conftest import PASSWORD, STATION_A2, add_faults

pytestmark = pytest.mark.django_db

LANDED_BUT_LOST: dict[str, dict[str, Any]] = {
    "500 after the write": {"action": "status", "status": 500, "when": "after"},
    "dropped after the write": {"action": "drop", "when": "after"},
    "unreadable answer": {"action": "malformed", "when": "after"},
    "lands after the read timeout": {"action": "delay", "delay_ms": 800},
}


@pytest.fixture
def losing(simulator, settings):
    """Loses the answer of the next write of the given method (once); reads still work."""
    settings.FINALPOS_TIMEOUT = 0.5
    settings.FINALPOS_CIRCUIT_FAILURES = 1000

    def lose(name: str, method: str, path: str = "") -> None:
        add_faults(
            simulator,
            {**LANDED_BUT_LOST[name], "method": method, "path_contains": path, "times": 1},
        )

    return lose


def _index_equals_final_pos(simulator, session_id: str) -> None:
    stored = simulator.simulator.store.get("session", session_id)
    record = SessionRecord.objects.get(id=session_id)
    if stored is None:
        assert record.deleted_at is not None
        return
    assert record.deleted_at is None
    assert record.is_open == ("closeTime" not in stored)
    assert record.counted == stored["closingAmounts"]
    assert record.closing_note == stored.get("closingNote", "")
    report = json.loads(stored.get("closingReportData") or "null")
    assert (record.report or {}).get("closeRequestId") == (report or {}).get("closeRequestId")
    assert len((record.report or {}).get("corrections") or []) == len(
        (report or {}).get("corrections") or []
    )


def _audited(action: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).latest("id")
    assert entry.accepted and entry.outcome == "landed", (entry.outcome, entry.error)
    return entry


def _puts(simulator, path: str) -> int:
    return sum(1 for r in simulator.simulator.requests if r.method == "PUT" and r.path == path)


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_a_close(lost, client, cashier, open_shift, simulator, losing):
    client.login(username="cal", password=PASSWORD)
    url = reverse("sessions_app:shift_close", args=[open_shift.id])
    request_id = client.get(url).content.decode().split('name="close_request_id" value="')[1][:32]
    data = {
        "counted_cash": "240.00",
        "counted_card": "60.00",
        "counted_oliverPay": "0",
        "action": "confirm",
        "close_request_id": request_id,
    }
    simulator.simulator.reset_log()
    losing(lost, "PUT", "/session/")
    page = client.post(url, data, follow=True).content.decode()
    assert "is closed and balanced" in page and "Nothing was saved" not in page
    _index_equals_final_pos(simulator, open_shift.id)
    _audited("close")
    assert _puts(simulator, f"/v1/api/session/{open_shift.id}") == 1


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_an_approval(lost, mia, cashier, open_shift, simulator, losing):
    from sessions_app.services.shift_close import shift_close

    shift = shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("150.00"), "card": Decimal("60.00")},
        variance_reason="Till was left open",
        seen_updated_at=None,
        close_request_id="f" * 32,
    ).record
    losing(lost, "PUT", "/session/")
    url = reverse("sessions_app:shift_approve", args=[shift.id])
    page = mia.post(url, {"comment": "Checked the safe"}, follow=True).content.decode()
    assert "approved" in page and "Nothing was saved" not in page
    assert SessionRecord.objects.get(id=shift.id).review_state == "approved"
    _index_equals_final_pos(simulator, shift.id)
    _audited("approve")


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_a_correction(lost, mia, closed_shift, simulator, losing):
    losing(lost, "PUT", "/session/")
    url = reverse("sessions_app:shift_correct", args=[closed_shift.id])
    data = {
        "counted_cash": "240.00",
        "counted_card": "60.00",
        "counted_oliverPay": "0",
        "closing_note": "Busy night",
        "reason": "Found $10 under the tray",
    }
    page = mia.post(url, data, follow=True).content.decode()
    assert "corrected" in page and "Nothing was saved" not in page
    _index_equals_final_pos(simulator, closed_shift.id)
    stored = json.loads(
        simulator.simulator.store.get("session", closed_shift.id)["closingReportData"]
    )
    assert len(stored["corrections"]) == 1  # once, however the answer was lost
    _audited("correct")


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_a_reopening(lost, mia, closed_shift, simulator, losing):
    losing(lost, "PUT", f"/session/{closed_shift.id}")
    url = reverse("sessions_app:shift_reopen", args=[closed_shift.id])
    page = mia.post(url, {"reason": "Bag found"}, follow=True).content.decode()
    assert "is open again" in page and "Nothing was saved" not in page
    assert SessionRecord.objects.get(id=closed_shift.id).is_open
    _index_equals_final_pos(simulator, closed_shift.id)
    _audited("reopen")


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_a_deletion(lost, mia, closed_shift, simulator, losing):
    losing(lost, "DELETE", "/session/")
    url = reverse("sessions_app:shift_delete", args=[closed_shift.id])
    data = {"confirmation": closed_shift.session_number, "reason": "Test shift"}
    page = mia.post(url, data, follow=True).content.decode()
    assert "deleted" in page and "Nothing was saved" not in page
    _index_equals_final_pos(simulator, closed_shift.id)
    _audited("delete")


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_a_cash_movement(lost, client, cashier, open_shift, simulator, losing):
    client.login(username="cal", password=PASSWORD)
    url = reverse("sessions_app:cash_movement_new", args=[open_shift.id])
    movement_id = re.findall(r'name="movement_id" value="(\w+)"', client.get(url).content.decode())
    data = {
        "movement_id": movement_id[0],
        "kind": "drop",
        "amount": "100.00",
        "reason": "Safe drop",
        "note": "",
    }
    losing(lost, "PUT", "/session/")
    page = client.post(url, data, follow=True).content.decode()
    assert "Safe drop of $100.00 recorded" in page and "Nothing was saved" not in page
    stored = json.loads(
        simulator.simulator.store.get("session", open_shift.id)["closingReportData"]
    )
    assert len(stored["cashMovements"]) == 1
    _audited("movement")


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_adding_a_till(lost, mia, tills, simulator, losing):
    losing(lost, "POST", "/station")
    url = reverse("sessions_app:till_create", args=[tills["a1"].outlet_id])
    page = mia.post(url, {"name": "Patio till"}, follow=True).content.decode()
    assert "Patio till added" in page and "Nothing was saved" not in page
    upstream = [s for s in simulator.simulator.store.find("station") if s["name"] == "Patio till"]
    assert len(upstream) == 1 and Station.objects.filter(id=upstream[0]["id"]).exists()
    _audited("setup")


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_editing_an_outlet(lost, mia, tills, simulator, losing):
    losing(lost, "PUT", "/outlet/")
    outlet = Outlet.objects.get(id=tills["a1"].outlet_id)
    url = reverse("sessions_app:outlet_edit", args=[outlet.id])
    data = {
        "name": "Alpha Street North",
        "alias": "",
        "address": "1 Main St",
        "address2": "",
        "city": "Portland",
        "state": "ME",
        "post_code": "04101",
        "country": "US",
        "phone": "+12075550100",
    }
    page = mia.post(url, data, follow=True).content.decode()
    assert "Alpha Street North saved" in page and "Nothing was saved" not in page
    assert simulator.simulator.store.get("outlet", outlet.id)["name"] == "Alpha Street North"
    assert Outlet.objects.get(id=outlet.id).name == "Alpha Street North"
    _audited("setup")


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_renaming_a_till(lost, mia, tills, simulator, losing):
    losing(lost, "PUT", "/station/")
    url = reverse("sessions_app:till_edit", args=[STATION_A2])
    page = mia.post(url, {"name": "Window till"}, follow=True).content.decode()
    assert "renamed to Window till" in page and "Nothing was saved" not in page
    assert Station.objects.get(id=STATION_A2).name == "Window till"
    _audited("setup")


@pytest.mark.parametrize("lost", LANDED_BUT_LOST)
def test_deleting_a_till(lost, mia, tills, simulator, losing):
    losing(lost, "DELETE", "/station/")
    url = reverse("sessions_app:till_delete", args=[STATION_A2])
    page = mia.post(url, follow=True).content.decode()
    assert "deleted" in page and "Nothing was saved" not in page
    assert simulator.simulator.store.get("station", STATION_A2) is None
    assert not Station.objects.filter(id=STATION_A2).exists()
    _audited("setup")


def test_when_the_write_did_not_land_the_person_is_told_nothing_was_saved(
    mia, closed_shift, simulator, losing
):
    """Final POS answered (with an error): its handling of the write is over, so a read
    without the write settles it."""
    add_faults(
        simulator,
        {"action": "status", "status": 502, "method": "PUT", "path_contains": "/session/"},
    )
    url = reverse("sessions_app:shift_reopen", args=[closed_shift.id])
    page = mia.post(url, {"reason": "Bag found"}).content.decode()
    assert "Nothing was saved" in page and "shows the change was not saved" in page
    entry = AuditEntry.objects.get(action="reopen")
    assert not entry.accepted and entry.outcome == "not_landed"
    _index_equals_final_pos(simulator, closed_shift.id)


def test_a_write_missing_right_after_its_answer_was_lost_is_not_confirmed_yet(
    mia, closed_shift, simulator, losing
):
    """Final POS may finish a write after the dashboard stopped waiting for it, and after the
    reads right after: those reads not finding it is no proof. The write is "not confirmed
    yet" until a read finds it, or until it could no longer land."""
    add_faults(
        simulator,
        {"action": "delay", "delay_ms": 3000, "method": "PUT", "path_contains": "/session/"},
    )
    url = reverse("sessions_app:shift_reopen", args=[closed_shift.id])
    outcome = reverse("sessions_app:write_outcome", args=[closed_shift.id])
    response = mia.post(url, {"reason": "Bag found"})
    assert response.status_code == 302 and response["Location"] == outcome
    page = mia.get(outcome).content.decode()
    assert "Not confirmed yet" in page and "Nothing was saved" not in page
    assert "Reopen shift" not in page  # its only action reads Final POS again
    entry = AuditEntry.objects.get(action="reopen")
    assert entry.outcome == "unknown"

    simulator.simulator.wait_until_answered(timeout=10)  # the write lands, late
    page = mia.post(outcome, follow=True).content.decode()
    assert "Saved: Final POS has the reopening" in page and "Nothing was saved" not in page
    entry.refresh_from_db()
    assert entry.outcome == "landed" and entry.accepted
    _index_equals_final_pos(simulator, closed_shift.id)


def test_a_write_that_never_lands_is_not_saved_once_it_could_have_landed(
    mia, closed_shift, simulator, losing, settings
):
    add_faults(simulator, {"action": "drop", "method": "PUT", "path_contains": "/session/"})
    url = reverse("sessions_app:shift_reopen", args=[closed_shift.id])
    outcome = reverse("sessions_app:write_outcome", args=[closed_shift.id])
    assert mia.post(url, {"reason": "Bag found"})["Location"] == outcome
    simulator.simulator.faults.rules.clear()
    page = mia.post(outcome, follow=True).content.decode()
    assert "does not show the reopening yet" in page  # still within the time it could land

    settings.FINALPOS_SETTLED_AFTER = timedelta(0)  # that time has passed
    page = mia.post(outcome, follow=True).content.decode()
    assert "Not saved: Final POS does not have the reopening" in page
    assert "Bag found" in page  # what was typed is back, to send again
    assert AuditEntry.objects.get(action="reopen").outcome == "not_landed"
    _index_equals_final_pos(simulator, closed_shift.id)


def test_when_final_pos_cannot_be_asked_again_the_outcome_stays_unknown(
    mia, closed_shift, simulator, losing
):
    add_faults(
        simulator,
        {"action": "drop", "method": "PUT", "when": "after"},
        {"action": "status", "status": 500, "method": "GET", "skip": 1},  # after the first read
    )
    url = reverse("sessions_app:shift_reopen", args=[closed_shift.id])
    outcome = reverse("sessions_app:write_outcome", args=[closed_shift.id])
    response = mia.post(url, {"reason": "Bag found"})
    # Post/redirect/get: one page for the one outcome, whose only action reads Final POS.
    assert response.status_code == 302 and response["Location"] == outcome
    page = mia.get(outcome).content.decode()
    assert "Not confirmed yet" in page and "Check again" in page
    assert "Nothing was saved" not in page and "Reopen shift" not in page
    entry = AuditEntry.objects.get(action="reopen")
    assert entry.outcome == "unknown"

    simulator.simulator.faults.rules.clear()  # Final POS answers again
    page = mia.post(outcome, follow=True).content.decode()

    assert "Saved: Final POS has the reopening" in page  # it had landed
    entry.refresh_from_db()
    assert entry.outcome == "landed" and entry.accepted and entry.settled_at is not None


def test_a_correction_settled_by_a_later_read_is_never_taken_for_a_write_over_ours(
    mia, closed_shift, simulator, losing
):
    add_faults(
        simulator,
        {"action": "drop", "method": "PUT", "when": "after"},
        {"action": "status", "status": 500, "method": "GET", "skip": 1},  # after the first read
    )
    data = {
        "counted_cash": "240.00",
        "counted_card": "60.00",
        "counted_oliverPay": "0",
        "closing_note": "Busy night",
        "reason": "Found $10 under the tray",
    }
    mia.post(reverse("sessions_app:shift_correct", args=[closed_shift.id]), data)
    assert AuditEntry.objects.get(action="correct").outcome == "unknown"

    simulator.simulator.faults.rules.clear()
    outcome = reverse("sessions_app:write_outcome", args=[closed_shift.id])
    page = mia.post(outcome, follow=True).content.decode()

    assert "Saved: Final POS has the correction" in page
    # The read that found it saw the close's figures changed: the correction's, not a till's.
    assert not ShiftConflict.objects.filter(session_id=closed_shift.id).exists()
    _index_equals_final_pos(simulator, closed_shift.id)


def test_a_lost_write_found_not_saved_brings_back_what_was_typed(
    mia, closed_shift, simulator, losing, settings
):
    from datetime import timedelta

    settings.FINALPOS_SETTLED_AFTER = timedelta(0)  # any write would have landed by now
    add_faults(
        simulator,
        {"action": "drop", "method": "PUT", "times": 1},  # dropped before it reached
        {"action": "status", "status": 500, "method": "GET", "skip": 1, "times": 1},
    )
    url = reverse("sessions_app:shift_reopen", args=[closed_shift.id])
    outcome = reverse("sessions_app:write_outcome", args=[closed_shift.id])
    assert mia.post(url, {"reason": "Bag found"})["Location"] == outcome

    response = mia.post(outcome, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url  # the form that sends it again
    assert "Not saved: Final POS does not have the reopening" in page
    assert "Bag found</textarea>" in page  # what was typed is back
    entry = AuditEntry.objects.get(action="reopen")
    assert entry.outcome == "not_landed" and not entry.accepted
