"""A manager's review of a closed shift: approve it, or correct its count.

Each is one whole-record PUT after re-reading the shift, and a correction keeps what it
replaces: the original count stays in ``corrections``.
"""

import logging
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions_app.cash import cash_drop_plan
from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.parts import REVIEW_APPROVED, REVIEW_REQUIRED, Correction, CorrectionSide
from sessions_app.closing.report import ClosingReport, parse
from sessions_app.closing.sales import other_tenders, payment_methods
from sessions_app.closing.values import time_text
from sessions_app.closing.variance import Reconciliation, reconcile
from sessions_app.finalpos import FinalPOSClient, get_client
from sessions_app.finalpos.records import Session
from sessions_app.models import LedgerEntry, SessionRecord
from sessions_app.policy import outlet_policy, shift_money
from sessions_app.roles import User, display_name
from sessions_app.selectors.ledger import live_approval, movements_with_ours
from sessions_app.services.audit import audited_shift_write
from sessions_app.services.errors import (
    ShiftNotCorrectable,
    ShiftNotReviewable,
    VarianceReasonRequired,
)
from sessions_app.services.index import shift_index_save
from sessions_app.services.ledger import LedgerWrite, ledger_movement_update
from sessions_app.services.ledger_match import close_fields
from sessions_app.services.queued import review_alert_enqueue
from sessions_app.services.settle.updates import settled
from sessions_app.services.shift_checks import (
    ShiftWriteResult,
    audited_fix,
    guarded_update,
    read_current,
    refuse_if_changed,
    to_the_millisecond,
    with_report,
)
from sessions_app.services.shift_record import shift_write_record
from sessions_app.services.till_closes import report_of_closed_shift

logger = logging.getLogger(__name__)


def _report_without_sales(current: Session, record: SessionRecord) -> ClosingReport:
    """A report to hold a correction when the shift's sales cannot be read; a till's own
    report is kept inside it."""
    report = ClosingReport().set(currency=shift_money(record).currency.code)
    earlier = parse(current.closing_report_data)
    if earlier is not None and earlier.foreign is not None:
        report.set(foreign=earlier.foreign)
    return report


def shift_approve(
    *,
    record: SessionRecord,
    approved_by_user: User,
    comment: str,
    seen_updated_at: datetime | None,
    reason: str = "",
    with_movements: bool = False,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """A manager signs off a shift that needed review; written into the closing report. A
    shift with no reason for its difference yet (a till's close) gets the manager's. The
    approval covers the whole shift: refused while a cash movement waits for approval, unless
    ``with_movements`` approves those too, in the same write."""
    client = client or get_client()
    summary = _("Approve %(number)s: %(comment)s") % {
        "number": record.session_number,
        "comment": comment,
    }
    with audited_shift_write(
        actor=approved_by_user,
        action="approve",
        record=record,
        outlet_id=record.outlet_id,
        summary=summary,
    ) as audit:
        current = read_current(record, client)
        report = (
            report_of_closed_shift(current, record=record, client=client)
            if not current.is_open
            else None
        )
        if report is None or report.review_state != REVIEW_REQUIRED:
            shift_index_save(current)
            if report is not None and report.review_state == REVIEW_APPROVED:
                raise ShiftNotReviewable(
                    _("Already approved by %(manager)s.") % {"manager": report.review.approved_by}
                )
            raise ShiftNotReviewable(_("This shift does not need a manager's approval."))
        refuse_if_changed(current, seen_updated_at)
        _with_a_reason(report, reason.strip(), outlet_id=record.outlet_id)
        approved_movements = _movements_approved(
            report, record, approved_by_user, with_movements=with_movements
        )
        review = replace(
            report.review,
            approved_by=display_name(approved_by_user),
            approved_at=to_the_millisecond(timezone.now()),
            comment=comment.strip(),
        )
        report.set(review=review)
        data = replace(current.to_input(), closing_report_data=report.to_json())
        ours = LedgerWrite(
            session_id=record.id,
            kind=LedgerEntry.APPROVAL,
            key=time_text(review.approved_at) or "",
            by_user=approved_by_user,
            part=review.to_document(),
            report=report,
        )
        updated = settled(
            audit,
            write=lambda: guarded_update(client, current, data),
            landed=lambda: with_report(
                client,
                record,
                lambda found: (
                    found.review.approved_at == review.approved_at
                    and found.review.approved_by == review.approved_by
                ),
            ),
            unknown=lambda: ours.unknown(close_fields(data)),
        )
        for movement in approved_movements:
            ledger_movement_update(
                session_id=record.id,
                movement=movement,
                state=LedgerEntry.WRITTEN,
                by_user=approved_by_user,
            )
        saved = shift_write_record(updated, ours=ours, audit=audit, fields=close_fields(updated))
        logger.info("Shift %s approved by %s", record.id, display_name(approved_by_user))
    return ShiftWriteResult(record=saved)


def _movements_approved(
    report: ClosingReport, record: SessionRecord, by_user: User, *, with_movements: bool
) -> list[CashMovement]:
    """The cash movements still waiting, approved by the same manager when the approval is to
    cover them (the report then carries them approved); refused otherwise."""
    movements = movements_with_ours(report, record.id)
    waiting = [movement for movement in movements if movement.awaiting_approval]
    if not waiting:
        return []
    if not with_movements:
        raise ShiftNotReviewable(
            ngettext(
                "A cash movement on this shift still waits for a manager's approval. Approve "
                "it first, or approve the shift with the cash moved.",
                "%(count)d cash movements on this shift still wait for a manager's approval. "
                "Approve them first, or approve the shift with the cash moved.",
                len(waiting),
            )
            % {"count": len(waiting)}
        )
    now = to_the_millisecond(timezone.now())
    for movement in waiting:
        movement.approved_by, movement.approved_at = display_name(by_user), now
    unreadable = [m for m in report.cash_movements if not isinstance(m, CashMovement)]
    report.set(cash_movements=[*movements, *unreadable])
    return waiting


def _with_a_reason(report: ClosingReport, reason: str, *, outlet_id: str) -> None:
    """The reason for the difference: the cashier's, or the approving manager's when the
    shift has none (the till took none) and the difference calls for one."""
    if report.variance_reason:
        return
    if reason:
        report.set(variance_reason=reason)
        return
    largest = max(
        (abs(line.variance) for line in report.methods.values() if line.variance is not None),
        default=Decimal(0),
    )
    threshold = outlet_policy(outlet_id).variance.reason_threshold
    if largest > threshold:
        raise VarianceReasonRequired(
            _(
                "This shift has no reason for its difference yet: give one (what you found) "
                "to approve it."
            )
        )


def shift_correct(
    *,
    record: SessionRecord,
    corrected_by_user: User,
    counted: dict[str, Decimal],
    closing_note: str,
    reason: str,
    seen_updated_at: datetime | None,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """A manager corrects the counted amounts or the note of a closed shift (one whole-record
    PUT). The figures replaced are kept in the report's ``corrections`` with who, when, why."""
    client = client or get_client()
    reason = reason.strip()
    summary = _("Correct %(number)s: %(reason)s") % {
        "number": record.session_number,
        "reason": reason,
    }
    with audited_fix(
        record=record,
        fixed_by_user=corrected_by_user,
        action="correct",
        summary=summary,
        reason=reason,
        seen_updated_at=seen_updated_at,
        client=client,
        if_no_reason=_("Say why the shift is being corrected."),
        if_open=_("This shift is still open: close it instead of correcting it."),
    ) as (audit, current):
        methods = payment_methods()
        others = other_tenders(current.closing_amounts)  # kept as they are
        before_amounts = others | {
            m.key: current.closing_amounts.get(m.key, Decimal(0)) for m in methods
        }
        after_amounts = others | {m.key: counted.get(m.key, Decimal(0)) for m in methods}
        before_note = current.closing_note or ""
        report = report_of_closed_shift(
            current, record=record, client=client
        ) or _report_without_sales(current, record)
        closed_without_expected = not (
            parse(current.closing_report_data) or report
        ).expected_available
        worked_out = closed_without_expected and report.expected_available
        if after_amounts == before_amounts and closing_note == before_note and not worked_out:
            raise ShiftNotCorrectable(
                _("Nothing was changed: the amounts and the note are as they were.")
            )
        reconciliation = reconcile(
            counted=after_amounts,
            expected=report.expected_amounts(),
            policy=outlet_policy(record.outlet_id).variance,
            currency=shift_money(record).currency,
        )
        cash_changed = after_amounts["cash"] != before_amounts["cash"]
        correction = Correction(
            at=to_the_millisecond(timezone.now()),
            by=display_name(corrected_by_user),
            reason=reason,
            before=CorrectionSide(
                closing_amounts=dict(before_amounts),
                closing_note=before_note,
                variances={key: line.variance for key, line in report.methods.items()},
                cash_count=report.cash_count if cash_changed else None,
            ),
            after=CorrectionSide(
                closing_amounts=dict(after_amounts),
                closing_note=closing_note,
                variances=dict(reconciliation.variances or {}),
            ),
        )
        approval = live_approval(record.id, in_conflict_too=True)
        if approval is not None and not report.review.approved_by:
            report.set(review=approval)  # one a till dropped, or waiting on the figures fixed
        _apply_correction(
            report,
            reconciliation,
            correction,
            cash_changed=cash_changed,
            outlet_id=record.outlet_id,
        )
        data = replace(
            current.to_input(),
            closing_amount=after_amounts["cash"],
            closing_amounts=after_amounts,
            closing_note=closing_note,
            closing_report_data=report.to_json(),
        )
        ours = LedgerWrite(
            session_id=record.id,
            kind=LedgerEntry.CORRECTION,
            key=time_text(correction.at) or "",
            by_user=corrected_by_user,
            report=report,
        )
        updated = settled(
            audit,
            write=lambda: guarded_update(client, current, data),
            landed=lambda: with_report(
                client,
                record,
                lambda found: any(
                    isinstance(entry, Correction)
                    and entry.at == correction.at
                    and entry.by == correction.by
                    for entry in found.corrections
                ),
            ),
            unknown=lambda: ours.unknown(close_fields(data)),
        )
        saved = shift_write_record(updated, ours=ours, audit=audit, fields=close_fields(updated))
        logger.info("Shift %s corrected by %s", record.id, correction.by)
    if saved.needs_review and not record.needs_review:
        review_alert_enqueue(saved)
    return ShiftWriteResult(record=saved)


def _apply_correction(
    report: ClosingReport,
    reconciliation: Reconciliation,
    correction: Correction,
    *,
    cash_changed: bool,
    outlet_id: str,
) -> None:
    """New figures, and the correction appended to ``corrections`` (which holds what was
    there before, so the original count survives). A correction can make a shift need
    review; it never withdraws an earlier approval."""
    report.set(
        expected_available=reconciliation.expected_available,
        methods=reconciliation.method_figures(),
    )
    if "varianceTotal" in report.present:  # a version 1 report: its net total is meaningless
        report.present.discard("varianceTotal")
    if cash_changed:
        # The denomination count no longer adds up to the cash figure; it stays in the
        # correction's "before".
        drop = cash_drop_plan(
            counted_cash=correction.after.closing_amounts["cash"] or Decimal(0),
            target_float=outlet_policy(outlet_id).target_float,
        )
        report.set(cash_count=None, cash_drop=drop)
        if report.cash_drawer is not None:  # the drawer's count and difference follow it
            counted_cash = correction.after.closing_amounts["cash"]
            report.set(cash_drawer=replace(report.cash_drawer, counted=counted_cash))
    review = replace(
        report.review, required=report.review.required or reconciliation.review_required
    )
    report.set(review=review, corrections=[*report.corrections, correction])
