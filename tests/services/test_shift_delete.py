"""shift_delete: the shift goes from Final POS; a tombstone and the audit entry stay."""

import pytest

from sessions_app.finalpos import FinalPOSUnavailable
from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.services.shift_undo import shift_delete
from tests.conftest import add_faults
from tests.helpers import present

pytestmark = pytest.mark.django_db


def test_deleting_removes_it_upstream_and_leaves_a_tombstone(closed_shift, manager, simulator):
    shift_delete(record=closed_shift, deleted_by_user=manager, reason="Test shift")
    assert simulator.simulator.store.get("session", closed_shift.id) is None
    record = SessionRecord.objects.get(id=closed_shift.id)
    assert record.deleted_at is not None
    entry = AuditEntry.objects.get(action="delete")
    assert entry.accepted and "Test shift" in entry.summary
    assert present(entry.before)["deleted_at"] is None and present(entry.after)["deleted_at"]


def test_deleting_an_open_shift_frees_the_till(open_shift, manager, simulator):
    shift_delete(record=open_shift, deleted_by_user=manager, reason="Opened by mistake")
    assert simulator.simulator.store.get("station", open_shift.station_id)["status"] == "AVAILABLE"
    assert SessionRecord.objects.get(id=open_shift.id).station_status_pending == ""


def test_a_shift_already_gone_upstream_is_tombstoned(closed_shift, manager, simulator):
    simulator.simulator.store.delete("session", closed_shift.id)
    shift_delete(record=closed_shift, deleted_by_user=manager, reason="Gone")
    assert SessionRecord.objects.get(id=closed_shift.id).deleted_at is not None


def test_a_failed_delete_keeps_the_shift(closed_shift, manager, simulator):
    add_faults(simulator, {"action": "status", "status": 500, "method": "DELETE"})
    with pytest.raises(FinalPOSUnavailable):
        shift_delete(record=closed_shift, deleted_by_user=manager, reason="Test shift")
    assert SessionRecord.objects.get(id=closed_shift.id).deleted_at is None
    assert simulator.simulator.store.get("session", closed_shift.id) is not None
    assert not AuditEntry.objects.get(action="delete").accepted
