"""The ledger against tills that behave like real ones (finalpos_simulator/tills.py): they hold
their shifts open, write from their own copy, replace the report when they close, close
again, and send queued edits late. Nothing the dashboard wrote is lost without a word."""

import json
import threading
import uuid
from decimal import Decimal

import pytest

from finalpos_simulator.tills import TillActivity
from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.report import ClosingReport, parse
from sessions_app.models import LedgerEntry, SessionRecord, ShiftConflict
from sessions_app.services.cash_movements import cash_movement_record
from sessions_app.services.conflicts import conflict_apply_ours, conflict_keep_theirs
from sessions_app.services.errors import HeldByTill, ShiftChanged
from sessions_app.services.index import shift_fetch
from sessions_app.services.index_refresh import shifts_refresh
from sessions_app.services.ledger import MOST_RESTORES
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from sessions_app.services.shift_review import shift_approve, shift_correct
from sessions_app.services.shift_takeover import shift_take_over
from sessions_app.services.x_report import x_report_build
from tests.conftest import STATION_A1, add_faults, quiet_till
from tests.helpers import present

pytestmark = pytest.mark.django_db


@pytest.fixture
def till(tills, simulator) -> TillActivity:
    """The tills of the company, acting only when told to (every chance at zero)."""
    return quiet_till(simulator, seed=21)


def _stored(simulator, session_id: str) -> dict:
    return simulator.simulator.store.get("session", session_id)


def _tills_open_shift(till: TillActivity, simulator) -> tuple[dict, SessionRecord]:
    station = simulator.simulator.store.get("station", STATION_A1)
    session = till.open_session(station, cashier="Sam Rivera")
    till.sell(session, count=4)
    return session, shift_fetch(session_id=session["id"])


def _pay_out(record: SessionRecord, cashier, movement_id: str = "m" * 32) -> SessionRecord:
    return cash_movement_record(
        record=record,
        recorded_by_user=cashier,
        movement_id=movement_id,
        kind="pay_out",
        amount=Decimal("12.50"),
        reason="Supplies",
    ).record


def _our_report(simulator, session_id: str) -> ClosingReport:
    report = parse(_stored(simulator, session_id)["closingReportData"])
    assert report is not None and report.is_ours
    return report


def _movement_ids(report: ClosingReport) -> list[str]:
    """The ids of the report's cash movements, every one of them read (none kept as written)."""
    movements = report.cash_movements
    assert all(isinstance(movement, CashMovement) for movement in movements)
    return [movement.id for movement in movements if isinstance(movement, CashMovement)]


# --- Never race a till on an open shift ---------------------------------------------------------


def test_a_movement_on_a_shift_the_till_holds_open_is_kept_here_and_counted(
    till, simulator, cashier
):
    session, record = _tills_open_shift(till, simulator)
    assert record.held_by_till

    record = _pay_out(record, cashier)

    assert _stored(simulator, session["id"])["updatedAt"] == session["updatedAt"]  # no PUT
    assert record.unsynced == 1
    entry = LedgerEntry.objects.get(session_id=session["id"], kind=LedgerEntry.MOVEMENT)
    assert entry.state == LedgerEntry.PENDING
    x_report = x_report_build(record=record)
    assert x_report.drawer is not None and x_report.drawer.pay_outs == Decimal("12.50")


def test_the_dashboard_never_closes_a_shift_a_till_holds_open(till, simulator, cashier):
    session, record = _tills_open_shift(till, simulator)
    with pytest.raises(HeldByTill):
        shift_close(
            record=record,
            closed_by_user=cashier,
            counted={"cash": Decimal("100.00")},
            seen_updated_at=None,
            close_request_id="e" * 32,
        )
    assert "closeTime" not in _stored(simulator, session["id"])


def test_the_till_closes_and_the_next_pass_writes_the_movement_back_keeping_the_tills_close(
    till, simulator, cashier
):
    session, record = _tills_open_shift(till, simulator)
    _pay_out(record, cashier)
    closed = till.close_session(session)

    shifts_refresh()

    stored = _stored(simulator, session["id"])
    for key in ("closeTime", "closedBy", "closingAmounts", "tipTotal", "meta"):
        assert stored[key] == closed[key], key
    report = _our_report(simulator, session["id"])
    assert _movement_ids(report) == ["m" * 32]
    assert report.foreign == closed["closingReportData"]  # the till's report, whole, inside
    record.refresh_from_db()
    assert record.unsynced == 0 and not record.in_conflict
    sales_cash = present(report.sales).of("cash").net
    opening = Decimal(closed["openingAmount"])
    assert Decimal(record.expected["cash"]) == opening + sales_cash - Decimal("12.50")


def test_a_movement_recorded_while_the_till_closes_never_erases_the_close(till, simulator, cashier):
    session, record = _tills_open_shift(till, simulator)
    closed = till.close_session(session)  # the till closes; the index has not seen it yet

    with pytest.raises(Exception, match="closed"):
        _pay_out(record, cashier)

    assert _stored(simulator, session["id"])["closeTime"] == closed["closeTime"]


# --- What a till drops is written back; what it writes over is a conflict ----------------------


def test_a_movement_a_tills_late_write_drops_comes_back_at_the_next_pass(till, simulator, cashier):
    session, record = _tills_open_shift(till, simulator)
    _pay_out(record, cashier)
    closed = till.close_session(session)
    shifts_refresh()  # written back
    till.queue(STATION_A1, "stale", {**closed, "tipTotal": "9.00"}, ticks=1)
    till.send_queued(STATION_A1, all_now=True)  # the till's copy, from before our write

    shifts_refresh()

    stored = _stored(simulator, session["id"])
    assert stored["tipTotal"] == "9.00"  # the till's edit stands
    assert _movement_ids(_our_report(simulator, session["id"])) == ["m" * 32]
    entry = LedgerEntry.objects.get(session_id=session["id"], kind=LedgerEntry.MOVEMENT)
    assert entry.state == LedgerEntry.WRITTEN and entry.restores == 1


def test_a_part_a_till_keeps_dropping_becomes_a_conflict(till, simulator, cashier):
    session, record = _tills_open_shift(till, simulator)
    _pay_out(record, cashier)
    closed = till.close_session(session)
    shifts_refresh()
    for _attempt in range(MOST_RESTORES + 1):
        till.queue(STATION_A1, "stale", closed, ticks=1)
        till.send_queued(STATION_A1, all_now=True)
        shifts_refresh()

    record.refresh_from_db()
    assert record.in_conflict
    conflict = ShiftConflict.objects.get(session_id=session["id"])
    assert conflict.what == ShiftConflict.DROPPED


def _dashboard_shift_closed(tills, cashier, simulator, till) -> tuple[SessionRecord, dict]:
    record = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("200.00")
    ).record
    open_copy = _stored(simulator, record.id)
    till.sell(open_copy, count=2)  # the till sells on the dashboard's shift
    record = shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal("250.00"), "card": Decimal("10.00")},
        variance_reason="Counted twice",
        seen_updated_at=None,
        close_request_id="c" * 32,
    ).record
    return record, open_copy


def _closed_here(tills, cashier, *, cash: str, reason: str = "") -> SessionRecord:
    """A shift opened with 200.00 and closed on the dashboard with this cash and no card."""
    record = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("200.00")
    ).record
    return shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal(cash), "card": Decimal("0.00")},
        variance_reason=reason,
        seen_updated_at=None,
        close_request_id=uuid.uuid4().hex,
    ).record


def _corrected_40_short(record: SessionRecord, closed: dict, manager) -> SessionRecord:
    """The till's close corrected here to 40.00 less cash."""
    counted = {key: Decimal(value) for key, value in closed["closingAmounts"].items()}
    counted["cash"] -= 40
    return shift_correct(
        record=record,
        corrected_by_user=manager,
        counted=counted,
        closing_note="",
        reason="Short",
        seen_updated_at=record.upstream_updated_at,
    ).record


def test_a_close_erased_by_a_tills_queued_write_is_a_conflict_with_both_versions(
    tills, cashier, manager, simulator, till
):
    record, open_copy = _dashboard_shift_closed(tills, cashier, simulator, till)
    till.queue(STATION_A1, "stale", {**open_copy, "tipTotal": "4.00"}, ticks=1)
    till.send_queued(STATION_A1, all_now=True)  # the shift is open again upstream

    shifts_refresh()

    record.refresh_from_db()
    assert record.in_conflict
    conflict = ShiftConflict.objects.get(session_id=record.id, resolved_at=None)
    assert conflict.what == ShiftConflict.CLOSE_ERASED
    assert conflict.ours["closingAmounts"]["cash"] == "250.00"
    assert conflict.theirs["closeTime"] is None
    assert conflict.theirs_record["tipTotal"] == "4.00"  # their version, kept whole

    conflict_apply_ours(record=record, conflict_id=conflict.pk, by_user=manager)

    stored = _stored(simulator, record.id)
    assert stored["closingAmounts"]["cash"] == "250.00" and stored["closeTime"]
    assert stored["tipTotal"] == "4.00"  # what the till wrote besides is kept
    record.refresh_from_db()
    assert not record.in_conflict and record.closing_amount == Decimal("250.00")


def test_keeping_what_final_pos_has_settles_the_conflict_and_keeps_ours_on_record(
    tills, cashier, manager, simulator, till
):
    record, open_copy = _dashboard_shift_closed(tills, cashier, simulator, till)
    till.queue(STATION_A1, "stale", open_copy, ticks=1)
    till.send_queued(STATION_A1, all_now=True)
    shifts_refresh()
    conflict = ShiftConflict.objects.get(session_id=record.id)

    record = conflict_keep_theirs(record=record, conflict_id=conflict.pk, by_user=manager)

    assert not record.in_conflict and record.is_open
    close = LedgerEntry.objects.get(session_id=record.id, kind=LedgerEntry.CLOSE)
    assert close.state == LedgerEntry.OVERRULED  # ours stays on record
    conflict.refresh_from_db()
    assert conflict.resolution == ShiftConflict.KEPT_THEIRS and conflict.ours


def test_applying_ours_is_refused_when_final_pos_changed_again(
    tills, cashier, manager, simulator, till
):
    record, open_copy = _dashboard_shift_closed(tills, cashier, simulator, till)
    till.queue(STATION_A1, "stale", open_copy, ticks=1)
    till.send_queued(STATION_A1, all_now=True)
    shifts_refresh()
    conflict = ShiftConflict.objects.get(session_id=record.id)
    till.add_tip(_stored(simulator, record.id), amount=Decimal(1))  # the till again

    with pytest.raises(ShiftChanged):
        conflict_apply_ours(record=record, conflict_id=conflict.pk, by_user=manager)
    assert "closeTime" not in _stored(simulator, record.id)


def test_a_correction_after_an_approval_is_no_conflict_and_the_approval_stands(
    tills, cashier, manager, simulator, till
):
    """The approval was recorded with the figures it approved; a correction of ours since is
    not someone writing over them."""
    record = _closed_here(tills, cashier, cash="150.00", reason="A pay-out not written down")
    assert record.needs_review  # 50.00 short
    record = shift_approve(
        record=record,
        approved_by_user=manager,
        comment="Checked the drawer",
        seen_updated_at=record.upstream_updated_at,
    ).record
    approved = _stored(simulator, record.id)
    record = shift_correct(
        record=record,
        corrected_by_user=manager,
        counted={"cash": Decimal("151.00"), "card": Decimal("0.00")},
        closing_note="",
        reason="A dollar under the tray",
        seen_updated_at=record.upstream_updated_at,
    ).record

    shift_fetch(session_id=record.id)  # the next read

    record.refresh_from_db()
    assert not record.in_conflict
    assert not ShiftConflict.objects.filter(session_id=record.id).exists()
    assert record.closing_amount == Decimal("151.00") and record.review_state == "approved"
    approval = LedgerEntry.objects.get(session_id=record.id, kind=LedgerEntry.APPROVAL)
    assert approval.state == LedgerEntry.WRITTEN  # still checked, on the corrected figures

    till.queue(STATION_A1, "stale", approved, ticks=1)  # a till's copy from before the correction
    till.send_queued(STATION_A1, all_now=True)
    shift_fetch(session_id=record.id)

    conflict = ShiftConflict.objects.get(session_id=record.id)
    assert conflict.what == ShiftConflict.REVERTED


def test_a_correction_a_till_keeps_dropping_is_one_conflict_its_approval_waiting_with_it(
    till, simulator, manager
):
    closed, record = _tills_closed_shift(till, simulator)
    record = _corrected_40_short(record, closed, manager)
    record = shift_approve(
        record=record,
        approved_by_user=manager,
        comment="Checked",
        reason="Change given twice",
        seen_updated_at=record.upstream_updated_at,
    ).record
    for attempt in range(MOST_RESTORES + 1):  # the till's report replaces ours every time
        now = _stored(simulator, record.id)
        dropped = {**now, "tipTotal": f"{attempt}.00"}
        dropped["closingReportData"] = closed["closingReportData"]
        till.queue(STATION_A1, "stale", dropped, ticks=1)
        till.send_queued(STATION_A1, all_now=True)
        shifts_refresh()

    conflict = ShiftConflict.objects.get(session_id=record.id)  # one
    assert conflict.what == ShiftConflict.DROPPED and conflict.entry.kind == "correction"
    approval = LedgerEntry.objects.get(session_id=record.id, kind=LedgerEntry.APPROVAL)
    assert approval.state == LedgerEntry.CONFLICT


def test_an_approval_waiting_on_a_conflict_is_checked_again_after_a_new_correction(
    till, simulator, manager
):
    closed, record = _tills_closed_shift(till, simulator)
    record = _corrected_40_short(record, closed, manager)
    record = shift_approve(
        record=record,
        approved_by_user=manager,
        comment="Checked",
        reason="Change given twice",
        seen_updated_at=record.upstream_updated_at,
    ).record
    till.queue(STATION_A1, "stale", closed, ticks=1)  # the till's close, from before both
    till.send_queued(STATION_A1, all_now=True)
    record = shift_fetch(session_id=record.id)
    approval = LedgerEntry.objects.get(session_id=record.id, kind=LedgerEntry.APPROVAL)
    assert record.in_conflict and approval.state == LedgerEntry.CONFLICT  # waiting with it

    record = _corrected_40_short(record, _stored(simulator, record.id), manager)  # corrected again
    record = shift_fetch(session_id=record.id)

    approval.refresh_from_db()
    correction = LedgerEntry.objects.filter(session_id=record.id, kind=LedgerEntry.CORRECTION)
    latest = correction.latest("recorded_at")
    assert not record.in_conflict and record.review_state == "approved"
    assert approval.state == LedgerEntry.WRITTEN  # checked again, on the new figures
    assert approval.fields == latest.fields and approval.restores == 0
    stored = parse(_stored(simulator, record.id)["closingReportData"])
    assert stored is not None and stored.review.approved_by  # carried by the correction


def test_a_close_waiting_to_go_back_whose_figures_a_till_writes_over_is_a_conflict(
    tills, cashier, simulator, till
):
    record = _closed_here(tills, cashier, cash="200.00")
    now = _stored(simulator, record.id)
    till.queue(STATION_A1, "stale", {**now, "closingReportData": "TILL REPORT"}, ticks=1)
    till.send_queued(STATION_A1, all_now=True)
    shift_fetch(session_id=record.id)  # our report dropped: the close waits to go back
    close = LedgerEntry.objects.get(session_id=record.id, kind=LedgerEntry.CLOSE)
    assert close.state == LedgerEntry.PENDING

    now = _stored(simulator, record.id)
    recount = {**now["closingAmounts"], "cash": "999.00"}
    till.queue(STATION_A1, "stale", {**now, "closingAmounts": recount}, ticks=1)
    till.send_queued(STATION_A1, all_now=True)
    record = shift_fetch(session_id=record.id)

    assert record.in_conflict
    conflict = ShiftConflict.objects.get(session_id=record.id)
    assert conflict.entry.kind == LedgerEntry.CLOSE
    assert conflict.theirs["closingAmounts"]["cash"] == "999.00"


def _tills_closed_shift(till, simulator) -> tuple[dict, SessionRecord]:
    session, _record = _tills_open_shift(till, simulator)
    closed = till.close_session(session)
    return closed, shift_fetch(session_id=session["id"])


def test_a_correction_reverted_by_a_tills_queued_write_is_a_conflict(till, simulator, manager):
    closed, record = _tills_closed_shift(till, simulator)
    counted = {key: Decimal(value) for key, value in closed["closingAmounts"].items()}
    counted["cash"] += 5
    shift_correct(
        record=record,
        corrected_by_user=manager,
        counted=counted,
        closing_note="Found a note under the tray",
        reason="Recounted",
        seen_updated_at=record.upstream_updated_at,
    )
    till.queue(STATION_A1, "stale", closed, ticks=1)
    till.send_queued(STATION_A1, all_now=True)  # queued before the correction

    shifts_refresh()

    conflict = ShiftConflict.objects.get(session_id=record.id)
    assert conflict.what == ShiftConflict.REVERTED
    assert Decimal(conflict.ours["closingAmounts"]["cash"]) == counted["cash"]
    assert conflict.theirs["closingAmounts"]["cash"] == closed["closingAmounts"]["cash"]


def test_a_reclose_over_a_close_made_here_is_a_conflict(till, simulator, cashier, manager):
    session, record = _tills_open_shift(till, simulator)
    record = shift_take_over(
        record=record, taken_over_by_user=manager, reason="Till 1 froze"
    ).record
    record = shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal("300.00")},
        variance_reason="Counted on the back office",
        seen_updated_at=None,
        close_request_id="f" * 32,
    ).record
    till.queue(STATION_A1, "reclose", _stored(simulator, session["id"]) | session, ticks=1)
    till.send_queued(STATION_A1, all_now=True)  # the till comes back and closes its copy

    shifts_refresh()

    conflict = ShiftConflict.objects.get(session_id=record.id)
    assert conflict.what == ShiftConflict.RECLOSED


def test_an_approval_a_tip_edit_dropped_is_written_back_with_the_tip(till, simulator, manager):
    closed, record = _tills_closed_shift(till, simulator)
    if not record.needs_review:  # make it need review: a large difference
        record = _corrected_40_short(record, closed, manager)
    approved = shift_approve(
        record=record,
        approved_by_user=manager,
        comment="Spoke to Sam",
        reason="Change given twice",
        seen_updated_at=record.upstream_updated_at,
    ).record
    after_approval = _stored(simulator, record.id)
    # The till's tip edit, from its copy of the report before the approval.
    stale = {**after_approval, "tipTotal": "7.00", "closingReportData": closed["closingReportData"]}
    till.queue(STATION_A1, "stale", stale, ticks=1)
    till.send_queued(STATION_A1, all_now=True)

    shifts_refresh()

    stored = _stored(simulator, record.id)
    assert stored["tipTotal"] == "7.00"
    assert _our_report(simulator, record.id).review.approved_by == "Mia Manager"
    approved.refresh_from_db()
    assert approved.review_state == "approved" and not approved.in_conflict


@pytest.mark.parametrize(
    "till_report",
    [
        "END OF SESSION S-1\ncash: 12.00\n",
        json.dumps({"something": ["else", {"deep": [1, 2, 3]}]}),
        "x" * 300_000,
        "nul\x00inside",
        json.dumps({"source": "final-pos-ipad", "totals": {"cash": "nope"}}),
    ],
    ids=["text", "unknown-json", "huge", "nul", "bad-figures"],
)
def test_a_tills_report_of_any_shape_never_breaks_the_review(till, simulator, manager, till_report):
    closed, record = _tills_closed_shift(till, simulator)
    till._put(STATION_A1, {**closed, "closingReportData": till_report})
    record = shift_fetch(session_id=record.id)
    if record.needs_review:
        record = shift_approve(
            record=record,
            approved_by_user=manager,
            comment="ok",
            reason="Miscounted",
            seen_updated_at=record.upstream_updated_at,
        ).record
        assert record.review_state == "approved"
    report = parse(_stored(simulator, record.id)["closingReportData"])
    assert report is not None
    if report.is_ours:
        assert report.foreign == till_report.replace("\x00", "") or report.foreign == till_report


def test_a_till_writing_while_a_correction_reads_the_sales_makes_it_refuse(
    till, simulator, manager
):
    """The window between the read and the PUT (here a slow read of the sales) is closed by
    reading the shift again right before the PUT."""
    closed, record = _tills_closed_shift(till, simulator)
    add_faults(simulator, {"action": "delay", "delay_ms": 800, "path_contains": "/transactions"})
    recount = threading.Timer(0.3, lambda: till.reclose(closed))  # the till, meanwhile
    recount.start()
    counted = {key: Decimal(value) for key, value in closed["closingAmounts"].items()}
    try:
        with pytest.raises(ShiftChanged, match="while your change was being saved"):
            shift_correct(
                record=record,
                corrected_by_user=manager,
                counted=counted | {"cash": counted["cash"] + 1},
                closing_note="",
                reason="Recounted",
                seen_updated_at=record.upstream_updated_at,
            )
    finally:
        recount.join()
    stored = _stored(simulator, record.id)
    assert stored["closingNote"] == "Recounted"  # the till's recount stands
    assert not present(parse(stored["closingReportData"])).is_ours


def test_the_next_pass_sees_a_tills_write_over_ours_however_many_shifts_closed_lately(
    till, simulator, manager, monkeypatch
):
    from sessions_app.services import index_refresh

    monkeypatch.setattr(index_refresh, "RECENT_CLOSES_PER_PASS", 2)
    for _other in range(4):  # recent closes that would fill a pass's quota first
        _tills_closed_shift(till, simulator)
    closed, record = _tills_closed_shift(till, simulator)
    counted = {key: Decimal(value) for key, value in closed["closingAmounts"].items()}
    shift_correct(
        record=record,
        corrected_by_user=manager,
        counted=counted | {"cash": counted["cash"] + 3},
        closing_note="",
        reason="Recounted",
        seen_updated_at=record.upstream_updated_at,
    )
    till.queue(STATION_A1, "stale", closed, ticks=1)
    till.send_queued(STATION_A1, all_now=True)

    shifts_refresh()

    assert ShiftConflict.objects.filter(session_id=record.id, resolved_at=None).exists()


def _puts(simulator, session_id: str) -> int:
    return sum(
        1
        for request in simulator.simulator.requests
        if request.method == "PUT" and session_id in request.path
    )


@pytest.mark.parametrize("first_written", [False, True], ids=["pending-from-the-start", "dropped"])
def test_a_part_that_never_goes_back_in_is_written_back_a_few_times_then_a_conflict(
    till, simulator, cashier, first_written
):
    session, record = _tills_open_shift(till, simulator)
    _pay_out(record, cashier)  # the till holds the shift: the movement waits to go in
    closed = till.close_session(session)
    if first_written:
        shifts_refresh()  # written back into the till's close
        till.queue(STATION_A1, "stale", closed, ticks=1)
        till.send_queued(STATION_A1, all_now=True)  # and dropped by the till's copy
    add_faults(
        simulator, {"action": "overwritten", "method": "PUT", "path_contains": session["id"]}
    )
    simulator.simulator.reset_log()

    for _pass in range(MOST_RESTORES + 3):  # every write-back is saved over at once
        shifts_refresh()

    assert _puts(simulator, session["id"]) <= MOST_RESTORES + 1
    conflict = ShiftConflict.objects.get(session_id=session["id"])
    assert conflict.what == ShiftConflict.DROPPED and conflict.entry.kind == LedgerEntry.MOVEMENT
    record.refresh_from_db()
    assert record.in_conflict and record.unsynced == 0
