"""shift_reopen: a manager reopens a closed shift; the close it undoes stays in the report."""

import json
from decimal import Decimal

import pytest

from sessions_app.finalpos import FinalPOSUnavailable
from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.services.errors import ShiftNotCorrectable, TillBusy
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from sessions_app.services.shift_undo import shift_reopen
from tests.conftest import add_faults

pytestmark = pytest.mark.django_db


def test_reopening_clears_the_close_and_keeps_it_in_the_report(closed_shift, manager, simulator):
    result = shift_reopen(
        record=closed_shift, reopened_by_user=manager, reason="Cash bag found", seen_updated_at=None
    )

    stored = simulator.simulator.store.get("session", closed_shift.id)
    assert "closeTime" not in stored and "closedBy" not in stored
    report = json.loads(stored["closingReportData"])
    [reopening] = report["reopenings"]
    assert reopening["by"] == "Mia Manager" and reopening["reason"] == "Cash bag found"
    assert reopening["previousClose"]["closedBy"] == "Cal Cashier"
    assert reopening["previousClose"]["closingAmounts"]["cash"] == "230.00"
    assert reopening["previousClose"]["report"]["methods"]["cash"]["variance"] == "-10.00"
    record = result.record
    assert record.is_open and record.cash_variance is None and record.review_state == ""
    assert simulator.simulator.store.get("station", closed_shift.station_id)["status"] == "IN_USE"
    assert AuditEntry.objects.get(action="reopen").accepted


def test_closing_again_keeps_the_history_of_reopenings(closed_shift, manager, cashier, simulator):
    reopened = shift_reopen(
        record=closed_shift, reopened_by_user=manager, reason="Recount", seen_updated_at=None
    ).record
    shift_close(
        record=reopened,
        closed_by_user=cashier,
        counted={"cash": Decimal("240.00"), "card": Decimal("60.00")},
        seen_updated_at=None,
        close_request_id="d" * 32,
    )
    report = json.loads(
        simulator.simulator.store.get("session", closed_shift.id)["closingReportData"]
    )
    assert {line["variance"] for line in report["methods"].values()} == {"0.00"}
    assert report["reopenings"][0]["previousClose"]["closingAmounts"]["cash"] == "230.00"


def test_it_is_refused_while_another_shift_is_open_on_the_till(
    closed_shift, manager, cashier, tills
):
    shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("100.00"))
    with pytest.raises(TillBusy, match="Close it before reopening this one"):
        shift_reopen(
            record=closed_shift, reopened_by_user=manager, reason="Recount", seen_updated_at=None
        )
    assert not SessionRecord.objects.get(id=closed_shift.id).is_open


def test_an_open_shift_cannot_be_reopened(open_shift, manager):
    with pytest.raises(ShiftNotCorrectable, match="already open"):
        shift_reopen(record=open_shift, reopened_by_user=manager, reason="x", seen_updated_at=None)


def test_a_reason_is_required(closed_shift, manager):
    with pytest.raises(ShiftNotCorrectable, match="Say why"):
        shift_reopen(
            record=closed_shift, reopened_by_user=manager, reason=" ", seen_updated_at=None
        )


def test_a_failed_write_leaves_the_shift_closed(closed_shift, manager, simulator):
    add_faults(simulator, {"action": "status", "status": 502, "method": "PUT"})
    with pytest.raises(FinalPOSUnavailable):
        shift_reopen(
            record=closed_shift, reopened_by_user=manager, reason="Recount", seen_updated_at=None
        )
    assert not SessionRecord.objects.get(id=closed_shift.id).is_open
    assert "closeTime" in simulator.simulator.store.get("session", closed_shift.id)
    assert not AuditEntry.objects.get(action="reopen").accepted
