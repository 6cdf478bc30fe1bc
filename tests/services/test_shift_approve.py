"""shift_approve: a manager signs off a shift that needed review, in Final POS."""

import json
from decimal import Decimal

import pytest

from sessions_app.finalpos import FinalPOSUnavailable
from sessions_app.models import SessionRecord
from sessions_app.services.errors import ShiftChanged, ShiftNotReviewable
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from sessions_app.services.shift_review import shift_approve
from tests.conftest import add_faults

pytestmark = pytest.mark.django_db


def _closed_shift(tills, cashier, cash: str) -> SessionRecord:
    record = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("100.00")
    ).record
    return shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal(cash)},
        variance_reason="Miscounted",
        seen_updated_at=None,
        close_request_id="a" * 32,
    ).record


def test_it_writes_the_approval_into_the_closing_report(tills, cashier, manager, simulator):
    shift = _closed_shift(tills, cashier, "60.00")
    assert shift.review_state == "needs_review"
    record = shift_approve(
        record=shift,
        approved_by_user=manager,
        comment="Talked to Cal",
        seen_updated_at=shift.upstream_updated_at,
    ).record
    assert record.review_state == "approved"
    review = json.loads(simulator.simulator.store.get("session", shift.id)["closingReportData"])[
        "review"
    ]
    assert review["approvedBy"] == "Mia Manager" and review["comment"] == "Talked to Cal"
    assert review["approvedAt"].endswith("Z")


def test_a_shift_within_limits_cannot_be_approved(tills, cashier, manager):
    shift = _closed_shift(tills, cashier, "100.00")
    with pytest.raises(ShiftNotReviewable):
        shift_approve(record=shift, approved_by_user=manager, comment="ok", seen_updated_at=None)


def test_approving_twice_says_who_approved(tills, cashier, manager):
    shift = _closed_shift(tills, cashier, "60.00")
    shift_approve(record=shift, approved_by_user=manager, comment="ok", seen_updated_at=None)
    with pytest.raises(ShiftNotReviewable, match="Already approved by Mia Manager"):
        shift_approve(record=shift, approved_by_user=manager, comment="ok", seen_updated_at=None)


def test_a_stale_page_is_refused(tills, cashier, manager, simulator):
    shift = _closed_shift(tills, cashier, "60.00")
    stored = simulator.simulator.store.get("session", shift.id)
    simulator.simulator.store.replace(
        "session", stored | {"updatedAt": "2031-01-01T00:00:00.000+00:00"}
    )
    with pytest.raises(ShiftChanged):
        shift_approve(
            record=shift,
            approved_by_user=manager,
            comment="ok",
            seen_updated_at=shift.upstream_updated_at,
        )


def test_a_failed_write_keeps_the_review_pending(tills, cashier, manager, simulator):
    shift = _closed_shift(tills, cashier, "60.00")
    add_faults(simulator, {"action": "status", "status": 503, "method": "PUT"})
    with pytest.raises(FinalPOSUnavailable):
        shift_approve(record=shift, approved_by_user=manager, comment="ok", seen_updated_at=None)
    assert SessionRecord.objects.get(id=shift.id).review_state == "needs_review"
