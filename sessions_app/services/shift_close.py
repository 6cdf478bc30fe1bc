"""Closing a shift: the count against what the sales make expected, one whole-record PUT with
the closing report, and a close that is never written twice."""

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app.closing.drawer import BlindCount, CashMovement, SalesSummary
from sessions_app.closing.expected import expected_from
from sessions_app.closing.figures import CloseFigures, close_figures
from sessions_app.closing.parts import FIRST_COUNT, Review
from sessions_app.closing.report import ClosingReport, from_index, parse
from sessions_app.closing.sales import DrawerMoney, other_tenders, payment_methods
from sessions_app.closing.variance import reconcile
from sessions_app.dates import short_datetime
from sessions_app.finalpos import (
    FinalPOSCircuitOpen,
    FinalPOSClient,
    FinalPOSError,
    get_client,
)
from sessions_app.finalpos.records import Session, StationStatus
from sessions_app.formatting import money
from sessions_app.models import LedgerEntry, SessionRecord
from sessions_app.policy import outlet_policy, shift_money
from sessions_app.roles import User, display_name
from sessions_app.selectors.ledger import movements_with_ours
from sessions_app.services.audit import audited_shift_write
from sessions_app.services.blind_count import (
    blind_count_forget,
    blind_count_trace,
    recount_summary,
)
from sessions_app.services.errors import ShiftAlreadyClosed, VarianceReasonRequired
from sessions_app.services.index import sales_read, shift_index_save
from sessions_app.services.ledger import LedgerWrite
from sessions_app.services.ledger_match import close_fields
from sessions_app.services.queued import review_alert_enqueue, till_status_enqueue
from sessions_app.services.settle.updates import settled
from sessions_app.services.shift_checks import (
    ShiftWriteResult,
    guarded_update,
    read_current,
    refuse_if_changed,
    refuse_if_held_by_till,
)
from sessions_app.services.shift_record import shift_write_record

logger = logging.getLogger(__name__)
FIRST_COUNT_REASON_DUE = gettext_lazy(
    "The first count, made before expected was shown, was off by more than the review limit: "
    "give a reason for the manager."
)


def shift_close_preview(
    *,
    record: SessionRecord,
    counted: dict[str, Decimal],
    cash_count: dict[Decimal, int] | None,
    client: FinalPOSClient | None = None,
) -> CloseFigures:
    """The review step before a close: the same figures the close will write (the cash moved
    during the shift as the index last saw it)."""
    client = client or get_client()
    try:
        sales = sales_read(record.id, client=client, money=shift_money(record))
    except FinalPOSCircuitOpen:
        sales = None
    figures = _figures(
        record,
        counted=counted,
        sales=sales,
        movements=movements_with_ours(from_index(record.report), record.id),
        cash_count=cash_count,
    )
    trace = blind_count_trace(record=record, counted=counted)
    if _first_count_needs_review(trace, figures, record):
        figures = replace(figures, review_forced=True)
    return figures


def shift_expected_now(
    record: SessionRecord, *, client: FinalPOSClient | None = None
) -> dict[str, Decimal] | None:
    """Expected amounts for a shift now (shown to managers while counting), or None."""
    money = shift_money(record)
    try:
        sales = sales_read(record.id, client=client or get_client(), money=money)
    except FinalPOSError:
        return None
    if sales is None:
        return None
    return expected_from(
        sales,
        opening_amount=record.opening_amount,
        movements=movements_with_ours(from_index(record.report), record.id),
        currency=money.currency,
    )


def _figures(
    record: SessionRecord,
    *,
    counted: dict[str, Decimal],
    sales: SalesSummary | None,
    movements: list[CashMovement],
    cash_count: dict[Decimal, int] | None,
) -> CloseFigures:
    policy = outlet_policy(record.outlet_id)
    return close_figures(
        counted=counted,
        sales=sales,
        opening_amount=record.opening_amount,
        movements=movements,
        cash_count=cash_count,
        target_float=policy.target_float,
        policy=policy.variance,
        currency=shift_money(record).currency,
    )


def shift_close(
    *,
    record: SessionRecord,
    closed_by_user: User,
    counted: dict[str, Decimal],
    closing_note: str = "",
    variance_reason: str = "",
    cash_count: dict[Decimal, int] | None = None,
    seen_updated_at: datetime | None,
    close_request_id: str,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Closes a shift with one whole-record PUT carrying the counts and the closing report.

    Safe to repeat: a close that already reached Final POS (same close_request_id) is
    recognized and indexed, not written twice."""
    client = client or get_client()
    summary = _("Close %(number)s") % {"number": record.session_number}
    with audited_shift_write(
        actor=closed_by_user,
        action="close",
        record=record,
        outlet_id=record.outlet_id,
        summary=summary,
    ) as audit:
        beside = ThreadPoolExecutor(max_workers=1)  # two reads, one round trip
        drawer = shift_money(record)  # read here: the thread reads Final POS only
        sales_later = beside.submit(_sales_read_in_thread, record.id, drawer, client)
        try:
            current = read_current(record, client)
            sales = sales_later.result()
        finally:
            beside.shutdown(wait=False, cancel_futures=True)  # a failed read waits for nothing
        if not current.is_open:
            result = _close_already_done(current, close_request_id)
            audit.nothing_written = True
            return result
        refuse_if_held_by_till(current)
        refuse_if_changed(current, seen_updated_at)

        earlier = parse(current.closing_report_data)
        movements = movements_with_ours(earlier, record.id)
        figures = _figures(
            record,
            counted=counted,
            sales=sales,
            movements=movements,
            cash_count=cash_count,
        )
        if figures.reconciliation.missing_reason(variance_reason):
            raise VarianceReasonRequired(
                _("A difference is larger than %(threshold)s: give a reason.")
                % {"threshold": money(figures.reconciliation.policy.reason_threshold)}
            )
        trace = blind_count_trace(record=record, counted=counted)
        if trace is not None and trace.recounted:
            audit.summary_suffix = recount_summary(trace, counted)
        if _first_count_needs_review(trace, figures, record):
            figures = replace(figures, review_forced=True)
            if not variance_reason.strip():
                raise VarianceReasonRequired(str(FIRST_COUNT_REASON_DUE))
        report = _report(
            earlier,
            figures,
            movements=movements,
            variance_reason=variance_reason.strip(),
            cash_count=cash_count,
            close_request_id=close_request_id,
            blind_count=trace,
        )
        data = replace(
            current.to_input(),
            closed_by=display_name(closed_by_user),
            close_time=timezone.now(),
            closing_amount=counted.get("cash", Decimal(0)),
            closing_amounts=other_tenders(current.closing_amounts)
            | {method.key: counted.get(method.key, Decimal(0)) for method in payment_methods()},
            closing_note=closing_note,
            closing_report_data=report.to_json(),
        )
        ours = LedgerWrite(
            session_id=record.id,
            kind=LedgerEntry.CLOSE,
            key=close_request_id,
            by_user=closed_by_user,
            report=report,
        )
        updated = settled(
            audit,
            write=lambda: guarded_update(client, current, data),
            landed=lambda: _landed_close(record, close_request_id, client),
            unknown=lambda: ours.unknown(close_fields(data)),
        )
        saved = shift_write_record(
            updated,
            ours=ours,
            audit=audit,
            fields=close_fields(updated),
            station_status_pending=StationStatus.AVAILABLE,
        )
        if trace is not None:  # no reveal was read: none to forget (a reopening forgets too)
            blind_count_forget(record)
        logger.info("Shift %s closed by %s", record.id, data.closed_by)
    if saved.needs_review:
        review_alert_enqueue(saved)
    return ShiftWriteResult(record=saved, station_status_error=till_status_enqueue(saved))


def _first_count_needs_review(
    trace: BlindCount | None, figures: CloseFigures, record: SessionRecord
) -> bool:
    """A blind count a manager would have reviewed against what was expected when it was
    checked: neither a recount after seeing expected nor cash moved since spares it the
    review, and a review due for something else (cash moved above its limit) still says so,
    and asks the reason."""
    if trace is None:
        return False
    reconciliation = figures.reconciliation
    expected = trace.expected_at_reveal
    if expected is None:  # a count revealed before expected_shown was kept
        if not trace.recounted or not reconciliation.expected_available:
            return False
        expected = {line.key: line.expected for line in reconciliation.lines}
    blind = reconcile(
        counted={key: amount or Decimal(0) for key, amount in trace.first_count.items()},
        expected={key: amount or Decimal(0) for key, amount in expected.items()},
        policy=reconciliation.policy,
        currency=shift_money(record).currency,
    )
    return blind.review_required


def _sales_read_in_thread(
    session_id: str, money: DrawerMoney, client: FinalPOSClient
) -> SalesSummary | None:
    try:
        return sales_read(session_id, client=client, money=money)
    finally:
        connections.close_all()  # the shared cache may have opened one in this thread


def _report(
    earlier: ClosingReport | None,
    figures: CloseFigures,
    *,
    movements: list[CashMovement],
    variance_reason: str,
    cash_count: dict[Decimal, int] | None,
    close_request_id: str,
    blind_count: BlindCount | None,
) -> ClosingReport:
    """The closing report. What the open shift's report already held (cash moved, the
    handover, a reopened shift's earlier closes, a till's own report) carries over."""
    reconciliation = figures.reconciliation
    report = ClosingReport().set(
        currency=figures.currency,
        expected_available=reconciliation.expected_available,
        methods=reconciliation.method_figures(),
        variance_reason=variance_reason,
        cash_count=cash_count or None,
        cash_movements=list(movements),
        sales=figures.sales,
        cash_drawer=figures.cash_drawer,
        cash_drop=figures.cash_drop,
        review=Review(
            required=figures.review_required,
            cause=FIRST_COUNT if figures.review_forced else "",
        ),
        corrections=[],
        close_request_id=close_request_id,
    )
    if blind_count is not None:
        report.set(blind_count=blind_count)
    if earlier is not None and earlier.is_ours:
        unreadable = [m for m in earlier.cash_movements if not isinstance(m, CashMovement)]
        report.set(cash_movements=[*movements, *unreadable])
        for part in ("handover", "reopenings"):
            if getattr(earlier, part):
                report.set(**{part: getattr(earlier, part)})
    if earlier is not None and earlier.foreign is not None:
        report.set(foreign=earlier.foreign)
    return report


def _close_already_done(current: Session, close_request_id: str) -> ShiftWriteResult:
    saved = shift_index_save(current)
    if _closed_by_request(current, close_request_id):
        return ShiftWriteResult(record=saved, already_done=True)
    raise ShiftAlreadyClosed(
        _("This shift was already closed by %(cashier)s (%(time)s).")
        % {
            "cashier": current.closed_by or _("someone"),
            "time": short_datetime(current.close_time) if current.close_time else "",
        }
    )


def _closed_by_request(shift: Session, close_request_id: str) -> bool:
    report = parse(shift.closing_report_data)
    return (
        not shift.is_open
        and report is not None
        and report.is_ours
        and report.close_request_id == close_request_id
    )


def _landed_close(
    record: SessionRecord, close_request_id: str, client: FinalPOSClient
) -> Session | None:
    current = client.session_get(record.id)
    return current if _closed_by_request(current, close_request_id) else None
