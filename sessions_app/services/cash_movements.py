"""Cash put into or taken out of a drawer during a shift: pay-ins, pay-outs and safe drops.

Each is kept in the dashboard's ledger first, so it counts in what the drawer should hold
whatever happens upstream. On a shift the dashboard holds (opened, reopened or taken over
here) it is then written to Final POS at once, inside the dashboard's report (one whole-record
PUT after a fresh read). On a shift a till holds open it is not: the till rewrites its record
whole, so the movement waits here and is written once the till has closed the shift
(services/ledger_write_back.py). A cashier's movement above the outlet's approval limit waits
for a manager's approval.
"""

import logging
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app.closing.drawer import DROP, PAY_IN, CashMovement
from sessions_app.closing.report import parse
from sessions_app.finalpos import FinalPOSClient, get_client
from sessions_app.finalpos.records import Session
from sessions_app.formatting import money
from sessions_app.models import AuditEntry, LedgerEntry, SessionRecord
from sessions_app.movement_reasons import reason_label
from sessions_app.policy import outlet_policy
from sessions_app.roles import User, display_name, is_manager
from sessions_app.selectors.ledger import ledger_movements, movements_with_ours
from sessions_app.services.audit import AuditedWrite, audited_shift_write
from sessions_app.services.errors import MoreThanTheDrawerHolds, MovementNotFound, ShiftNotOpen
from sessions_app.services.index import shift_index_save
from sessions_app.services.ledger import ledger_movement_update, opened_here
from sessions_app.services.ledger_write_back import write_back_now
from sessions_app.services.shift_checks import ShiftWriteResult, read_current
from sessions_app.services.shift_close import shift_expected_now

logger = logging.getLogger(__name__)

KIND_NAMES = {
    "pay_in": gettext_lazy("pay-in"),
    "pay_out": gettext_lazy("pay-out"),
    "drop": gettext_lazy("safe drop"),
}
KEPT_HERE = gettext_lazy("kept here until the till closes the shift, then written to Final POS")


def cash_movement_record(
    *,
    record: SessionRecord,
    recorded_by_user: User,
    movement_id: str,
    kind: str,
    amount: Decimal,
    reason: str,
    note: str = "",
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Records cash moved in or out of an open shift. Safe to repeat: a movement whose id is
    already recorded (a second press, or a write whose answer was lost) is not recorded
    twice."""
    client = client or get_client()
    summary = _("Record a %(kind)s of %(amount)s on %(number)s: %(reason)s") % {
        "kind": KIND_NAMES[kind],
        "amount": money(amount),
        "number": record.session_number,
        "reason": reason_label(reason),
    }
    manager = is_manager(recorded_by_user)
    now = timezone.now()
    movement = CashMovement(
        id=movement_id,
        kind=kind,
        amount=amount,
        reason=reason,
        note=note.strip(),
        by=display_name(recorded_by_user),
        at=now,
    )
    with audited_shift_write(
        actor=recorded_by_user,
        action="movement",
        record=record,
        outlet_id=record.outlet_id,
        summary=summary,
    ) as audit:
        current = read_current(record, client)
        if not current.is_open:
            shift_index_save(current)
            raise ShiftNotOpen(
                _("This shift is closed: cash can no longer be moved in or out of it.")
            )
        if any(existing.id == movement_id for existing in ledger_movements(record.id)):
            audit.nothing_written = True
            return ShiftWriteResult(record=shift_index_save(current), already_done=True)
        if kind != PAY_IN:
            _refuse_more_than_the_drawer_holds(record, kind=kind, amount=amount, client=client)
        above_limit = needs_approval(
            kind=kind,
            amount=amount,
            earlier=_movements_of(current, record),
            limit=outlet_policy(record.outlet_id).movement_approval_limit,
        )
        movement.approval_required = above_limit
        if manager and above_limit:
            movement.approved_by, movement.approved_at = movement.by, now
        ledger_movement_update(
            session_id=record.id,
            movement=movement,
            state=LedgerEntry.PENDING,
            by_user=recorded_by_user,
        )
        saved = _write_now_if_ours(record, current, audit, client)
        logger.info("Cash %s of %s recorded on %s", kind, amount, record.id)
    return ShiftWriteResult(record=saved)


def _refuse_more_than_the_drawer_holds(
    record: SessionRecord, *, kind: str, amount: Decimal, client: FinalPOSClient
) -> None:
    """Cash taken out beyond what the drawer should hold is a typo, or cash that came in
    unrecorded: refused, saying which. Not checked when the sales cannot be read."""
    expected = shift_expected_now(record, client=client)
    if expected is None or amount <= expected.get("cash", Decimal(0)):
        return
    raise MoreThanTheDrawerHolds(
        _(
            "The drawer should hold %(expected)s in cash now, less than this %(kind)s of "
            "%(amount)s. Check the amount; if cash came in that was not recorded, record it "
            "as a pay-in first."
        )
        % {
            "expected": money(expected.get("cash", Decimal(0))),
            "kind": KIND_NAMES[kind],
            "amount": money(amount),
        }
    )


def needs_approval(
    *, kind: str, amount: Decimal, earlier: list[CashMovement], limit: Decimal
) -> bool:
    """A pay-in or pay-out needs a manager once the shift's running total of that kind goes
    above the outlet's limit, so splitting one into several does not get round it. A safe
    drop never does: cash goes from the drawer to the safe, nothing leaves the store."""
    if kind == DROP:
        return False
    so_far = sum((m.amount for m in earlier if m.kind == kind), Decimal(0))
    return so_far + amount > limit


def cash_movement_approve(
    *,
    record: SessionRecord,
    movement_id: str,
    approved_by_user: User,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """A manager approves a movement that was above the limit (on an open shift, or on one a
    till has closed since, so its review can be finished)."""
    client = client or get_client()
    with audited_shift_write(
        actor=approved_by_user,
        action="movement",
        record=record,
        outlet_id=record.outlet_id,
        summary=_("Approve a cash movement on %(number)s") % {"number": record.session_number},
    ) as audit:
        current = read_current(record, client)
        movement = next((m for m in _movements_of(current, record) if m.id == movement_id), None)
        if movement is None:
            raise MovementNotFound(_("That cash movement is not on this shift."))
        if not movement.awaiting_approval:
            audit.nothing_written = True
            return ShiftWriteResult(record=shift_index_save(current), already_done=True)
        movement.approved_by = display_name(approved_by_user)
        movement.approved_at = timezone.now().replace(microsecond=0)
        ledger_movement_update(
            session_id=record.id,
            movement=movement,
            state=LedgerEntry.PENDING,
            by_user=approved_by_user,
        )
        saved = _write_now_if_ours(record, current, audit, client)
    return ShiftWriteResult(record=saved)


def _movements_of(current: Session, record: SessionRecord) -> list[CashMovement]:
    return movements_with_ours(parse(current.closing_report_data), record.id)


def _write_now_if_ours(
    record: SessionRecord, current: Session, audit: AuditedWrite, client: FinalPOSClient
) -> SessionRecord:
    """Writes what the ledger now holds when no till holds the shift; otherwise it waits."""
    held_by_till = current.is_open and not opened_here(
        session_id=record.id, session_number=current.session_number
    )
    saved = None if held_by_till else write_back_now(record, current, audit=audit, client=client)
    if saved is None:
        audit.outcome = AuditEntry.KEPT
        audit.summary_suffix = str(KEPT_HERE)
        saved = shift_index_save(current)
    audit.shift_written(saved)
    return saved
