"""Cash movements: pay-ins, pay-outs and safe drops, written to the open shift in Final POS,
carried through the close, and changing what the drawer should hold."""

import json
from decimal import Decimal

import pytest

from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.services.cash_movements import cash_movement_approve, cash_movement_record
from sessions_app.services.errors import MovementNotFound, ShiftNotOpen
from sessions_app.services.shift_close import shift_close
from tests.conftest import add_faults

pytestmark = pytest.mark.django_db


def _record(shift, user, kind="pay_out", amount="12.00", movement_id="a" * 32, **kwargs):
    return cash_movement_record(
        record=shift,
        recorded_by_user=user,
        movement_id=movement_id,
        kind=kind,
        amount=Decimal(amount),
        reason=kwargs.pop("reason", "Supplies"),
        note=kwargs.pop("note", "Milk for the café"),
        **kwargs,
    ).record


def _stored_report(simulator, shift) -> dict:
    return json.loads(simulator.simulator.store.get("session", shift.id)["closingReportData"])


def _close(shift, user, cash: str, request_id: str = "b" * 32, reason: str = ""):
    return shift_close(
        record=SessionRecord.objects.get(id=shift.id),
        closed_by_user=user,
        counted={"cash": Decimal(cash), "card": Decimal("60.00"), "oliverPay": Decimal(0)},
        variance_reason=reason,
        seen_updated_at=None,
        close_request_id=request_id,
    ).record


def test_a_pay_out_is_written_to_the_open_shift_with_who_and_why(open_shift, cashier, simulator):
    _record(open_shift, cashier)
    [movement] = _stored_report(simulator, open_shift)["cashMovements"]
    assert movement["kind"] == "pay_out" and movement["amount"] == "12.00"
    assert movement["reason"] == "Supplies" and movement["note"] == "Milk for the café"
    assert movement["by"] == "Cal Cashier" and movement["at"].endswith("Z")
    assert movement["approval"]["required"] is False
    assert AuditEntry.objects.get(action="movement").accepted


def test_a_movement_on_a_shift_opened_here_carries_no_tills_report(open_shift, cashier, simulator):
    """No till wrote a report for this shift: nothing is kept as one (it read "null")."""
    record = _record(open_shift, cashier)
    assert "foreign" not in _stored_report(simulator, open_shift)
    assert (record.report or {}).get("foreign") is None


def test_movements_change_the_cash_the_drawer_should_hold(open_shift, cashier, simulator):
    # Float 200.00 + cash sales 40.00 = 240.00; minus a 12.00 pay-out and a 100.00 drop, plus a
    # 5.00 pay-in: 133.00.
    _record(open_shift, cashier, "pay_out", "12.00", "a" * 32)
    _record(open_shift, cashier, "drop", "100.00", "c" * 32, reason="Safe drop", note="")
    _record(open_shift, cashier, "pay_in", "5.00", "d" * 32, reason="Change for the till")
    closed = _close(open_shift, cashier, "133.00")
    assert closed.result == "balanced" and closed.cash_variance == Decimal("0.00")
    drawer = closed.report["cashDrawer"]
    assert drawer == {
        "openingFloat": "200.00",
        "cashSales": "40.00",
        "cashRefunds": "0.00",
        "payIns": "5.00",
        "payOuts": "12.00",
        "drops": "100.00",
        "expected": "133.00",
        "counted": "133.00",
        "difference": "0.00",
    }
    assert [m["kind"] for m in closed.report["cashMovements"]] == ["pay_out", "drop", "pay_in"]


def test_without_the_pay_out_the_same_count_would_be_short(open_shift, cashier):
    closed = _close(open_shift, cashier, "228.00", reason="Paid for milk, forgot to record")
    assert closed.result == "short" and closed.cash_variance == Decimal("-12.00")


def test_recording_the_same_movement_twice_writes_it_once(open_shift, cashier, simulator):
    _record(open_shift, cashier)
    again = cash_movement_record(
        record=open_shift,
        recorded_by_user=cashier,
        movement_id="a" * 32,
        kind="pay_out",
        amount=Decimal("12.00"),
        reason="Supplies",
    )
    assert again.already_done
    assert len(_stored_report(simulator, open_shift)["cashMovements"]) == 1


def test_a_movement_whose_answer_was_lost_is_recognised(open_shift, cashier, simulator):
    add_faults(
        simulator,
        {"action": "status", "status": 502, "method": "PUT", "when": "after", "times": 1},
    )
    _record(open_shift, cashier)
    assert len(_stored_report(simulator, open_shift)["cashMovements"]) == 1


def test_a_large_movement_by_a_cashier_waits_for_a_manager(
    open_shift, cashier, manager, simulator, settings
):
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("50.00")
    _record(open_shift, cashier, "pay_out", "80.00")
    [movement] = _stored_report(simulator, open_shift)["cashMovements"]
    assert movement["approval"] == {"required": True, "approvedBy": None, "approvedAt": None}

    closed = _close(open_shift, cashier, "160.00")
    assert closed.result == "balanced" and closed.needs_review  # waiting for the approval

    cash_movement_approve(record=closed, movement_id="a" * 32, approved_by_user=manager)
    [movement] = _stored_report(simulator, open_shift)["cashMovements"]
    assert movement["approval"]["approvedBy"] == "Mia Manager"


def test_a_managers_own_large_movement_is_approved_at_once(
    open_shift, manager, simulator, settings
):
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("50.00")
    _record(open_shift, manager, "pay_out", "150.00")
    [movement] = _stored_report(simulator, open_shift)["cashMovements"]
    assert movement["approval"]["approvedBy"] == "Mia Manager"


def test_a_safe_drop_never_waits_for_a_manager(open_shift, cashier, simulator, settings):
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("50.00")
    _record(open_shift, cashier, "drop", "150.00")
    [movement] = _stored_report(simulator, open_shift)["cashMovements"]
    assert movement["approval"]["required"] is False


def test_splitting_pay_outs_does_not_get_round_the_limit(open_shift, cashier, simulator, settings):
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("50.00")
    for index in range(3):
        cash_movement_record(
            record=open_shift,
            recorded_by_user=cashier,
            movement_id=f"{index:032x}",
            kind="pay_out",
            amount=Decimal("49.99"),
            reason="Supplies",
        )
    _record(open_shift, cashier, "pay_in", "20.00")  # pay-ins keep their own total
    movements = _stored_report(simulator, open_shift)["cashMovements"]
    assert [m["approval"]["required"] for m in movements] == [False, True, True, False]


def test_cash_cannot_be_moved_on_a_closed_shift(closed_shift, cashier):
    with pytest.raises(ShiftNotOpen):
        _record(closed_shift, cashier)


def test_approving_an_unknown_movement_is_refused(open_shift, manager):
    with pytest.raises(MovementNotFound):
        cash_movement_approve(record=open_shift, movement_id="f" * 32, approved_by_user=manager)


def test_a_reopened_shift_keeps_its_movements(open_shift, cashier, manager, simulator):
    from sessions_app.services.shift_undo import shift_reopen

    _record(open_shift, cashier)
    closed = _close(open_shift, cashier, "228.00")
    shift_reopen(record=closed, reopened_by_user=manager, reason="Recount", seen_updated_at=None)
    assert len(_stored_report(simulator, open_shift)["cashMovements"]) == 1
    closed_again = _close(open_shift, cashier, "228.00", request_id="e" * 32)
    assert closed_again.result == "balanced"


def test_a_shift_is_not_approved_while_a_movement_waits_unless_the_approval_covers_it(
    open_shift, cashier, manager, simulator, settings
):
    from sessions_app.services.errors import ShiftNotReviewable
    from sessions_app.services.shift_review import shift_approve

    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("50.00")
    _record(open_shift, cashier, "pay_out", "80.00")
    closed = _close(open_shift, cashier, "160.00")
    with pytest.raises(ShiftNotReviewable, match="still waits for a manager's approval"):
        shift_approve(record=closed, approved_by_user=manager, comment="ok", seen_updated_at=None)

    approved = shift_approve(
        record=closed,
        approved_by_user=manager,
        comment="Receipt for the supplies seen",
        seen_updated_at=None,
        with_movements=True,
    ).record

    report = _stored_report(simulator, open_shift)
    assert report["review"]["approvedBy"] == "Mia Manager"
    assert report["cashMovements"][0]["approval"]["approvedBy"] == "Mia Manager"
    assert approved.review_state == "approved"


def test_cash_taken_out_beyond_what_the_drawer_should_hold_is_refused(
    open_shift, cashier, simulator
):
    """The drawer holds its float and cash sales (240.00 here): a safe drop of 5,000.00 is a
    typo, never a $5,000 'over' on the report."""
    from sessions_app.services.errors import MoreThanTheDrawerHolds

    with pytest.raises(MoreThanTheDrawerHolds, match=r"should hold \$240\.00 in cash now"):
        _record(open_shift, cashier, kind="drop", amount="5000.00", reason="Safe drop")
    from sessions_app.selectors.ledger import ledger_movements

    assert ledger_movements(open_shift.id) == []  # nothing kept to write later either
    _record(open_shift, cashier, kind="drop", amount="240.00", reason="Safe drop")  # all of it
    with pytest.raises(MoreThanTheDrawerHolds, match=r"should hold \$0\.00"):
        _record(open_shift, cashier, amount="0.01", movement_id="c" * 32)
    _record(open_shift, cashier, kind="pay_in", amount="20.00", movement_id="d" * 32)


def test_cash_taken_out_is_not_checked_while_the_sales_cannot_be_read(
    open_shift, cashier, simulator
):
    add_faults(simulator, {"action": "status", "status": 503, "path_contains": "/transactions"})
    _record(open_shift, cashier, kind="drop", amount="300.00", reason="Safe drop")
    assert SessionRecord.objects.filter(id=open_shift.id).exists()
