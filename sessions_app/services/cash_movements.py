"""Cash put into or taken out of a drawer during a shift: pay-ins, pay-outs and safe drops.

Each is written to the open session in Final POS (inside the dashboard's report, one
whole-record PUT after a fresh read), so it is kept with the shift and changes what the drawer
should hold at close. A movement above the outlet's approval limit recorded by a cashier waits for
a manager's approval.
"""

import logging
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app import closing_report
from sessions_app.closing_report import CashMovement, ClosingReport
from sessions_app.finalpos import FinalPOSClient, get_client
from sessions_app.finalpos.records import Session
from sessions_app.formatting import money
from sessions_app.models import SessionRecord
from sessions_app.policy import outlet_policy
from sessions_app.roles import User, display_name, is_manager
from sessions_app.services.audit import audited_shift_write
from sessions_app.services.errors import MovementNotFound, ShiftNotOpen
from sessions_app.services.index import session_index_save
from sessions_app.services.settle import settled
from sessions_app.services.shift_checks import ShiftWriteResult, read_current

logger = logging.getLogger(__name__)

KIND_NAMES = {
    "pay_in": gettext_lazy("pay-in"),
    "pay_out": gettext_lazy("pay-out"),
    "drop": gettext_lazy("safe drop"),
}


def open_shift_report(current: Session, *, currency: str) -> ClosingReport:
    """The dashboard's report on an open shift, started when there is none (a till's own
    report is kept inside it)."""
    report = closing_report.parse(current.closing_report_data)
    if report is not None and report.is_ours:
        return report
    started = ClosingReport().set(currency=currency, methods={}, cash_movements=[])
    if report is not None:
        started.set(foreign=report.foreign)
    return started


def _movements(report: ClosingReport) -> list[CashMovement]:
    return [m for m in report.cash_movements if isinstance(m, CashMovement)]


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
    already on the shift (a second press, or a write whose answer was lost) is not written
    twice."""
    client = client or get_client()
    summary = _("Recorded a %(kind)s of %(amount)s on %(number)s: %(reason)s") % {
        "kind": KIND_NAMES[kind],
        "amount": money(amount),
        "number": record.session_number,
        "reason": reason,
    }
    manager = is_manager(recorded_by_user)
    above_limit = amount > outlet_policy(record.outlet_id).movement_approval_limit
    now = timezone.now()
    movement = CashMovement(
        id=movement_id,
        kind=kind,
        amount=amount,
        reason=reason,
        note=note.strip(),
        by=display_name(recorded_by_user),
        at=now,
        approval_required=above_limit,
        approved_by=display_name(recorded_by_user) if manager and above_limit else None,
        approved_at=now if manager and above_limit else None,
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
            session_index_save(current)
            raise ShiftNotOpen(
                _("This shift is closed: cash can no longer be moved in or out of it.")
            )
        report = open_shift_report(current, currency=record.currency or settings.CURRENCY)
        if any(existing.id == movement_id for existing in _movements(report)):
            audit.nothing_written = True
            return ShiftWriteResult(record=session_index_save(current), already_done=True)
        report.set(cash_movements=[*report.cash_movements, movement])
        data = replace(current.to_input(), closing_report_data=report.to_json())
        saved = session_index_save(
            settled(
                audit,
                write=lambda: client.session_update(record.id, data),
                landed=lambda: _with_movement(
                    client, record, lambda found: found.id == movement_id
                ),
            )
        )
        logger.info("Cash %s of %s recorded on %s", kind, amount, record.id)
        audit.shift_written(saved)
    return ShiftWriteResult(record=saved)


def cash_movement_approve(
    *,
    record: SessionRecord,
    movement_id: str,
    approved_by_user: User,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """A manager approves a movement that was above the limit."""
    client = client or get_client()
    with audited_shift_write(
        actor=approved_by_user,
        action="movement",
        record=record,
        outlet_id=record.outlet_id,
        summary=_("Approved a cash movement on %(number)s") % {"number": record.session_number},
    ) as audit:
        current = read_current(record, client)
        report = open_shift_report(current, currency=record.currency or settings.CURRENCY)
        movements = report.cash_movements
        index = next(
            (
                position
                for position, movement in enumerate(movements)
                if isinstance(movement, CashMovement) and movement.id == movement_id
            ),
            None,
        )
        if index is None:
            raise MovementNotFound(_("That cash movement is not on this shift."))
        movement = movements[index]
        assert isinstance(movement, CashMovement)
        if not movement.awaiting_approval:
            audit.nothing_written = True
            return ShiftWriteResult(record=session_index_save(current), already_done=True)
        approved = replace(
            movement,
            approved_by=display_name(approved_by_user),
            approved_at=timezone.now().replace(microsecond=0),
        )
        report.set(cash_movements=[*movements[:index], approved, *movements[index + 1 :]])
        data = replace(current.to_input(), closing_report_data=report.to_json())
        saved = session_index_save(
            settled(
                audit,
                write=lambda: client.session_update(record.id, data),
                landed=lambda: _with_movement(
                    client,
                    record,
                    lambda found: (
                        found.id == movement_id and found.approved_at == approved.approved_at
                    ),
                ),
            )
        )
        audit.shift_written(saved)
    return ShiftWriteResult(record=saved)


def _with_movement(
    client: FinalPOSClient, record: SessionRecord, holds: Callable[[CashMovement], bool]
) -> Session | None:
    """The shift as Final POS has it now, if one of its movements shows what a write did."""
    current = client.session_get(record.id)
    report = closing_report.parse(current.closing_report_data)
    if report is not None and report.is_ours and any(holds(m) for m in _movements(report)):
        return current
    return None
