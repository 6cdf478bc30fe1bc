"""Writing back what the dashboard recorded on a shift and Final POS does not carry: cash moved
while a till held the shift open, or a part of ours a till's whole-record write dropped.

A safe moment is when no till holds the shift: it is closed, or it was opened (reopened, taken
over) here. The shift is read right before the PUT, what the till wrote is kept (its fields
untouched, its report whole inside ours), and the shift is read again right after: the index
checks that read against the ledger like every other.
"""

import logging
from dataclasses import replace

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.report import ClosingReport, parse
from sessions_app.finalpos import FinalPOSClient, get_client
from sessions_app.finalpos.records import Session
from sessions_app.models import LedgerEntry, SessionRecord
from sessions_app.policy import shift_money
from sessions_app.selectors.ledger import ledger_movements, live_approval
from sessions_app.services.audit import AuditedWrite, audited_shift_write
from sessions_app.services.index import shift_index_save
from sessions_app.services.ledger import opened_here
from sessions_app.services.settle.updates import settled
from sessions_app.services.shift_checks import guarded_update, read_current
from sessions_app.services.till_closes import till_close_report

logger = logging.getLogger(__name__)

WRITER = _("the dashboard's refresh")


def ledger_write_back(
    *, record: SessionRecord, client: FinalPOSClient | None = None
) -> SessionRecord:
    """Writes back, merged with what Final POS has now, everything of ours it does not carry,
    when it is safe to. Returns the shift as indexed after (unchanged when nothing was due or
    a till still holds it)."""
    client = client or get_client()
    if not LedgerEntry.objects.filter(session_id=record.id, state=LedgerEntry.PENDING).exists():
        return record
    summary = _("Write back to Final POS what was recorded here on %(number)s") % {
        "number": record.session_number
    }
    with audited_shift_write(
        actor=None,
        action="write_back",
        record=record,
        outlet_id=record.outlet_id,
        summary=summary,
        holder=str(WRITER),
    ) as audit:
        current = read_current(record, client)
        saved = write_back_now(record, current, audit=audit, client=client)
        if saved is None:
            audit.nothing_written = True
            return shift_index_save(current)
        audit.shift_written(saved)
    return saved


def write_back_now(
    record: SessionRecord, current: Session, *, audit: AuditedWrite, client: FinalPOSClient
) -> SessionRecord | None:
    """The write-back itself, for a caller holding the shift's write lock with ``current``
    just read. None when nothing was written: nothing pending, a till holds the shift, or a
    till's close whose sales cannot be read yet (the next pass tries again)."""
    pending = list(LedgerEntry.objects.filter(session_id=record.id, state=LedgerEntry.PENDING))
    if not pending or (current.is_open and not _ours_to_write(current)):
        return None
    merged = merged_report(current, record=record, client=client)
    if merged is None:
        return None
    data = replace(current.to_input(), closing_report_data=merged.to_json())
    settled(
        audit,
        write=lambda: guarded_update(client, current, data),
        landed=lambda: _carrying(client, record.id, pending),
    )
    LedgerEntry.objects.filter(pk__in=[entry.pk for entry in pending]).exclude(lost_at=None).update(
        restores=F("restores") + 1
    )
    # Read again, not the PUT's answer: a till that wrote a moment after us shows now.
    saved = shift_index_save(client.session_get(record.id))
    # What that read shows gone was dropped as soon as it was back: the next write-back of it
    # is a restore, counted towards MOST_RESTORES.
    LedgerEntry.objects.filter(
        pk__in=[entry.pk for entry in pending], state=LedgerEntry.PENDING, lost_at=None
    ).update(lost_at=timezone.now())
    logger.info("Wrote back %d entries to shift %s", len(pending), record.id)
    return saved


def _ours_to_write(current: Session) -> bool:
    return opened_here(session_id=current.id, session_number=current.session_number)


def merged_report(
    current: Session,
    *,
    record: SessionRecord,
    client: FinalPOSClient,
    approvals_in_conflict: bool = False,
) -> ClosingReport | None:
    """The report Final POS should carry: ours (Final POS's copy, or the last one we wrote, or
    one worked out for a till's close), with every part of ours the ledger holds, and the
    report a till wrote kept whole inside it."""
    found = parse(current.closing_report_data)
    if found is not None and found.is_ours:
        report = found
    else:
        started = _last_written(current.id) or _started(current, record, client)
        if started is None:
            return None
        report = started
        if found is not None and found.foreign is not None:  # a till's report, kept whole
            report.set(foreign=found.foreign)
    movements = {m.id: m for m in report.cash_movements if isinstance(m, CashMovement)}
    for movement in ledger_movements(current.id):
        movements[movement.id] = movement
    report.set(cash_movements=[*sorted(movements.values(), key=_when)])
    approval = live_approval(current.id, in_conflict_too=approvals_in_conflict)
    if approval is not None and not report.review.approved_by:
        report.set(review=approval)
    return report


def _when(movement: CashMovement) -> str:
    return movement.at.isoformat() if movement.at else ""


def _last_written(session_id: str) -> ClosingReport | None:
    """The last whole report of ours sent for the shift (by a close, approval, correction or
    reopening still standing)."""
    entry = (
        LedgerEntry.objects.filter(
            session_id=session_id,
            report__isnull=False,
            state__in=(LedgerEntry.WRITTEN, LedgerEntry.PENDING),
        )
        .order_by("-recorded_at", "-id")
        .first()
    )
    if entry is None:
        return None
    return ClosingReport.from_document(entry.report)


def _started(
    current: Session, record: SessionRecord, client: FinalPOSClient
) -> ClosingReport | None:
    if current.is_open:  # an open shift of ours: its report starts with what was moved
        currency = shift_money(record).currency.code
        return ClosingReport().set(currency=currency, methods={}, cash_movements=[])
    return till_close_report(current, record=record, client=client)


def _carrying(
    client: FinalPOSClient, session_id: str, entries: list[LedgerEntry]
) -> Session | None:
    """The shift as Final POS has it now, if it carries every movement written back."""
    current = client.session_get(session_id)
    report = parse(current.closing_report_data)
    if report is None or not report.is_ours:
        return None
    ids = {m.id for m in report.cash_movements if isinstance(m, CashMovement)}
    wanted = {entry.key for entry in entries if entry.kind == LedgerEntry.MOVEMENT}
    approved = all(
        report.review.approved_by for entry in entries if entry.kind == LedgerEntry.APPROVAL
    )
    return current if wanted <= ids and approved else None
