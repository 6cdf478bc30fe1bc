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

from sessions_app import closing, closing_report
from sessions_app.cash import cash_drop_plan
from sessions_app.closing_report import (
    REVIEW_APPROVED,
    REVIEW_REQUIRED,
    ClosingReport,
    Correction,
    CorrectionSide,
    Review,
)
from sessions_app.finalpos import FinalPOSClient, get_client
from sessions_app.finalpos.records import Session
from sessions_app.models import SessionRecord
from sessions_app.policy import outlet_policy, shift_money
from sessions_app.roles import User, display_name
from sessions_app.services.audit import audited_shift_write
from sessions_app.services.errors import ShiftNotCorrectable, ShiftNotReviewable
from sessions_app.services.index import sales_expected, session_index_save
from sessions_app.services.queued import review_alert_enqueue
from sessions_app.services.settle import settled
from sessions_app.services.shift_checks import (
    ShiftWriteResult,
    closed_shift_to_fix,
    read_current,
    refuse_if_changed,
    to_the_millisecond,
    with_report,
)

logger = logging.getLogger(__name__)


def _report_of_closed_shift(
    current: Session, record: SessionRecord, client: FinalPOSClient
) -> ClosingReport | None:
    """The dashboard's report of a closed shift; for a shift a till closed, one worked out from
    its sales (the till's own report kept inside it)."""
    report = closing_report.parse(current.closing_report_data)
    if report is not None and report.is_ours:
        return report
    money = shift_money(record)
    from_sales = sales_expected(
        session_id=current.id,
        opening_amount=current.opening_amount,
        client=client,
        money=money,
    )
    if from_sales is None:
        return None
    reconciliation = closing.reconcile(
        counted=current.closing_amounts,
        expected=from_sales.expected,
        policy=outlet_policy(record.outlet_id).variance,
        currency=money.currency,
    )
    return ClosingReport().set(
        currency=money.currency.code,
        expected_available=True,
        methods=reconciliation.method_figures(),
        variance_reason="",
        review=Review(required=reconciliation.review_required),
        corrections=[],
        foreign=report.foreign if report is not None else None,
    )


def _report_without_sales(current: Session, record: SessionRecord) -> ClosingReport:
    """A report to hold a correction when the shift's sales cannot be read; a till's own
    report is kept inside it."""
    report = ClosingReport().set(currency=shift_money(record).currency.code)
    earlier = closing_report.parse(current.closing_report_data)
    if earlier is not None and earlier.foreign is not None:
        report.set(foreign=earlier.foreign)
    return report


def session_approve(
    *,
    record: SessionRecord,
    approved_by_user: User,
    comment: str,
    seen_updated_at: datetime | None,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """A manager signs off a shift that needed review; written into the closing report."""
    client = client or get_client()
    summary = _("Approved %(number)s: %(comment)s") % {
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
        report = _report_of_closed_shift(current, record, client) if not current.is_open else None
        if report is None or report.review_state != REVIEW_REQUIRED:
            session_index_save(current)
            if report is not None and report.review_state == REVIEW_APPROVED:
                raise ShiftNotReviewable(
                    _("Already approved by %(manager)s.") % {"manager": report.review.approved_by}
                )
            raise ShiftNotReviewable(_("This shift does not need a manager's approval."))
        refuse_if_changed(current, seen_updated_at)
        review = replace(
            report.review,
            approved_by=display_name(approved_by_user),
            approved_at=to_the_millisecond(timezone.now()),
            comment=comment.strip(),
        )
        report.set(review=review)
        data = replace(current.to_input(), closing_report_data=report.to_json())
        saved = session_index_save(
            settled(
                audit,
                write=lambda: client.session_update(record.id, data),
                landed=lambda: with_report(
                    client,
                    record,
                    lambda found: (
                        found.review.approved_at == review.approved_at
                        and found.review.approved_by == review.approved_by
                    ),
                ),
            )
        )
        logger.info("Shift %s approved by %s", record.id, display_name(approved_by_user))
        audit.shift_written(saved)
    return ShiftWriteResult(record=saved)


def session_correct(
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
    summary = _("Corrected %(number)s: %(reason)s") % {
        "number": record.session_number,
        "reason": reason,
    }
    with audited_shift_write(
        actor=corrected_by_user,
        action="correct",
        record=record,
        outlet_id=record.outlet_id,
        summary=summary,
    ) as audit:
        current = closed_shift_to_fix(
            record,
            client,
            reason=reason,
            seen_updated_at=seen_updated_at,
            if_no_reason=_("Say why the shift is being corrected."),
            if_open=_("This shift is still open: close it instead of correcting it."),
        )
        methods = closing.payment_methods()
        others = closing.other_tenders(current.closing_amounts)  # kept as they are
        before_amounts = others | {
            m.key: current.closing_amounts.get(m.key, Decimal(0)) for m in methods
        }
        after_amounts = others | {m.key: counted.get(m.key, Decimal(0)) for m in methods}
        before_note = current.closing_note or ""
        if after_amounts == before_amounts and closing_note == before_note:
            raise ShiftNotCorrectable(
                _("Nothing was changed: the amounts and the note are as they were.")
            )
        report = _report_of_closed_shift(current, record, client) or _report_without_sales(
            current, record
        )
        reconciliation = closing.reconcile(
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
        saved = session_index_save(
            settled(
                audit,
                write=lambda: client.session_update(record.id, data),
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
            )
        )
        logger.info("Shift %s corrected by %s", record.id, correction.by)
        audit.shift_written(saved)
    if saved.needs_review and not record.needs_review:
        review_alert_enqueue(saved)
    return ShiftWriteResult(record=saved)


def _apply_correction(
    report: ClosingReport,
    reconciliation: closing.Reconciliation,
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
    review = replace(
        report.review, required=report.review.required or reconciliation.review_required
    )
    report.set(review=review, corrections=[*report.corrections, correction])
