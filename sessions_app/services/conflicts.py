"""A manager settles a conflict: what the dashboard wrote to a shift was written over in Final
POS (services/ledger.py found it). Two choices, both audited: keep what Final POS has now, or
apply ours again (one whole-record PUT, read right before and right after, that keeps every
field and report the till wrote and puts back only what was ours)."""

import logging
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.closing.report import ClosingReport, parse
from sessions_app.closing.sales import other_tenders
from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client
from sessions_app.finalpos.records import Session, SessionInput
from sessions_app.finalpos.wire import time_from_wire
from sessions_app.models import AuditEntry, LedgerEntry, SessionRecord, ShiftConflict
from sessions_app.roles import User, display_name
from sessions_app.selectors.ledger import CONFLICT_WORDS
from sessions_app.services.audit import audit_write, audited_shift_write
from sessions_app.services.errors import ShiftChanged, ShiftNotReviewable
from sessions_app.services.index import shift_index_save, shift_refresh
from sessions_app.services.ledger_match import fields_stand
from sessions_app.services.ledger_write_back import merged_report
from sessions_app.services.settle.updates import settled
from sessions_app.services.shift_checks import ShiftWriteResult, guarded_update, read_current

logger = logging.getLogger(__name__)


def _open_conflict(conflict_id: int, record: SessionRecord) -> ShiftConflict:
    conflict = (
        ShiftConflict.objects.select_related("entry")
        .filter(pk=conflict_id, session_id=record.id)
        .first()
    )
    if conflict is None or conflict.resolved_at is not None:
        raise ShiftNotReviewable(_("This conflict was already settled."))
    return conflict


def conflict_keep_theirs(
    *, record: SessionRecord, conflict_id: int, by_user: User, client: FinalPOSClient | None = None
) -> SessionRecord:
    """Final POS's version stands; ours stays in the ledger and the audit, overruled. What
    stood on ours (an approval of the figures now replaced) goes with it."""
    conflict = _open_conflict(conflict_id, record)
    now = timezone.now()
    with transaction.atomic():
        LedgerEntry.objects.filter(pk=conflict.entry_id).update(state=LedgerEntry.OVERRULED)
        LedgerEntry.objects.filter(session_id=record.id, state=LedgerEntry.CONFLICT).update(
            state=LedgerEntry.OVERRULED
        )
        _resolve(conflict, by_user, ShiftConflict.KEPT_THEIRS, now)
        SessionRecord.objects.filter(pk=record.pk).update(in_conflict=_still_in_conflict(record))
    audit_write(
        actor=by_user,
        action="conflict",
        object_type="session",
        object_id=record.id,
        outlet_id=record.outlet_id,
        summary=_("Kept what Final POS has for %(number)s: %(what)s")
        % {
            "number": record.session_number,
            "what": CONFLICT_WORDS.get(conflict.what, conflict.what),
        },
        before=conflict.ours,
        after=conflict.theirs,
        outcome=AuditEntry.LOCAL,  # the dashboard's own record: nothing sent
    )
    try:  # the figures of the version kept (a till's close is reviewed like ours)
        return shift_refresh(record, client=client)
    except FinalPOSError:
        record.refresh_from_db()
        return record


def conflict_apply_ours(
    *, record: SessionRecord, conflict_id: int, by_user: User, client: FinalPOSClient | None = None
) -> ShiftWriteResult:
    """Writes ours again over what Final POS has now, keeping whatever else the till wrote:
    its other fields, its other tenders, its report (inside ours). Refused when Final POS has
    changed again since the conflict was found: the person looks at both versions again."""
    client = client or get_client()
    conflict = _open_conflict(conflict_id, record)
    entry = conflict.entry
    with audited_shift_write(
        actor=by_user,
        action="conflict",
        record=record,
        outlet_id=record.outlet_id,
        summary=_("Apply the dashboard's version of %(number)s again: %(what)s")
        % {
            "number": record.session_number,
            "what": CONFLICT_WORDS.get(conflict.what, conflict.what),
        },
    ) as audit:
        current = read_current(record, client)
        if current.updated_at != conflict.theirs_updated_at:
            shift_index_save(current)
            raise ShiftChanged(
                _(
                    "Final POS has changed this shift again since the conflict was found. The "
                    "page now shows the latest version of both; choose again."
                )
            )
        data = _ours_over(current, entry)
        standing = [entry.pk, *_stood_on(record, entry)]
        report = merged_report(
            replace(current, closing_report_data=data.closing_report_data),
            record=record,
            client=client,
            approvals_in_conflict=True,
        )
        if report is not None:
            data = replace(data, closing_report_data=report.to_json())
        settled(
            audit,
            write=lambda: guarded_update(client, current, data),
            landed=lambda: _standing(client, record.id, entry),
        )
        with transaction.atomic():  # checked as written from here on
            LedgerEntry.objects.filter(pk__in=standing).update(
                state=LedgerEntry.WRITTEN, restores=0, lost_at=None
            )
            _resolve(conflict, by_user, ShiftConflict.APPLIED_OURS, timezone.now())
        saved = shift_index_save(client.session_get(record.id))  # verified by a fresh read
        audit.shift_written(saved)
    logger.info("Conflict %s on %s: ours applied again", conflict.pk, record.id)
    return ShiftWriteResult(record=saved)


def _ours_over(current: Session, entry: LedgerEntry) -> SessionInput:
    """The record as Final POS has it, with the fields of ours in dispute put back."""
    data = current.to_input()
    ours_report = ClosingReport.from_document(entry.report) if entry.report else None
    till_report = parse(current.closing_report_data)
    if ours_report is not None and till_report is not None and not till_report.is_ours:
        ours_report.set(foreign=till_report.foreign)
    if ours_report is not None:
        data = replace(data, closing_report_data=ours_report.to_json())
    if entry.kind == LedgerEntry.REOPEN:
        return replace(
            data,
            closed_by=None,
            close_time=None,
            closing_amount=None,
            closing_amounts={},
            closing_note=None,
        )
    fields = entry.fields or {}
    if not fields:
        return data
    amounts = {key: Decimal(value) for key, value in (fields.get("closingAmounts") or {}).items()}
    return replace(
        data,
        close_time=_time(fields.get("closeTime")),
        closed_by=fields.get("closedBy") or current.closed_by,
        closing_amounts=other_tenders(current.closing_amounts) | amounts,
        closing_amount=amounts.get("cash", current.closing_amount),
        closing_note=fields.get("closingNote", ""),
    )


def _conflict_words(conflict: ShiftConflict) -> str:
    return str(CONFLICT_WORDS.get(conflict.what, conflict.what))


def _stood_on(record: SessionRecord, entry: LedgerEntry) -> list[int]:
    """The entries that went into conflict with this one (an approval of its figures)."""
    return list(
        LedgerEntry.objects.filter(session_id=record.id, state=LedgerEntry.CONFLICT)
        .exclude(pk=entry.pk)
        .values_list("pk", flat=True)
    )


def _time(text: str | None) -> datetime | None:
    return None if text is None else time_from_wire(text, name="closeTime")


def _standing(client: FinalPOSClient, session_id: str, entry: LedgerEntry) -> Session | None:
    current = client.session_get(session_id)
    return current if fields_stand(entry, current) else None


def _resolve(conflict: ShiftConflict, by_user: User, resolution: str, at: datetime) -> None:
    ShiftConflict.objects.filter(pk=conflict.pk).update(
        resolved_at=at, resolved_by=display_name(by_user), resolution=resolution
    )


def _still_in_conflict(record: SessionRecord) -> bool:
    return ShiftConflict.objects.filter(session_id=record.id, resolved_at__isnull=True).exists()
