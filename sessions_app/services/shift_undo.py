"""Undoing a close or a whole shift: a manager reopens a closed shift to count it again (the
close it undoes is kept in the report's ``reopenings``), or deletes a shift (the index keeps
its last copy)."""

import contextlib
import logging
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.closing.report import ClosingReport, PreviousClose, Reopening, parse
from sessions_app.closing.values import time_text
from sessions_app.finalpos import FinalPOSClient, FinalPOSNotFound, get_client
from sessions_app.finalpos.records import Session, StationStatus
from sessions_app.models import LedgerEntry, SessionRecord, ShiftConflict, Station
from sessions_app.roles import User, display_name
from sessions_app.services.audit import AuditedWrite, audited_shift_write
from sessions_app.services.blind_count import blind_count_forget
from sessions_app.services.daily_totals import daily_totals_update, days_of
from sessions_app.services.ledger import LedgerWrite
from sessions_app.services.locks import till_claim
from sessions_app.services.queued import till_status_enqueue
from sessions_app.services.settle.updates import settled
from sessions_app.services.shift_checks import (
    ShiftWriteResult,
    audited_fix,
    ensure_no_open_shift,
    guarded_update,
    to_the_millisecond,
    with_report,
)
from sessions_app.services.shift_record import shift_write_record
from sessions_app.services.till_closes import till_close_report

logger = logging.getLogger(__name__)


def shift_reopen(
    *,
    record: SessionRecord,
    reopened_by_user: User,
    reason: str,
    seen_updated_at: datetime | None,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Reopens a closed shift so it can be counted again; the close it undoes is kept in the
    report's ``reopenings``. Refused while another shift is open on the same till."""
    client = client or get_client()
    reason = reason.strip()
    summary = _("Reopen %(number)s: %(reason)s") % {
        "number": record.session_number,
        "reason": reason,
    }
    with audited_fix(
        record=record,
        fixed_by_user=reopened_by_user,
        action="reopen",
        summary=summary,
        reason=reason,
        seen_updated_at=seen_updated_at,
        client=client,
        if_no_reason=_("Say why the shift is being reopened."),
        if_open=_("This shift is already open."),
    ) as (audit, current):
        # The till's claim, as an open takes it: no shift can be opened on it meanwhile.
        till = Station.objects.filter(id=current.station_id).first()
        claim = (
            till_claim(till, claimed_by=display_name(reopened_by_user))
            if till is not None
            else nullcontext()
        )
        with claim:
            if till is not None:
                ensure_no_open_shift(till, client=client, reopening=True)
            updated, ours = _reopen(record, current, reopened_by_user, reason, audit, client)
            saved = shift_write_record(
                updated, ours=ours, audit=audit, station_status_pending=StationStatus.IN_USE
            )
        blind_count_forget(record)
        logger.info("Shift %s reopened by %s", record.id, display_name(reopened_by_user))
    return ShiftWriteResult(record=saved, station_status_error=till_status_enqueue(saved))


def _reopen(
    record: SessionRecord,
    current: Session,
    reopened_by_user: User,
    reason: str,
    audit: AuditedWrite,
    client: FinalPOSClient,
) -> tuple[Session, LedgerWrite]:
    """The reopening PUT: close fields cleared, the close it undoes kept in ``reopenings``."""
    earlier = parse(current.closing_report_data)
    ours = earlier if earlier is not None and earlier.is_ours else None
    # A till's close is kept with the figures the dashboard worked out for it (expected and
    # differences from its sales), as a close made here is: None when they cannot be read.
    kept = ours.without_reopenings() if ours is not None else None
    if ours is None and current.close_time is not None:
        # The till's own report stays once, at the top (below), not again in the kept close.
        kept = till_close_report(current, record=record, client=client, with_till_report=False)
    reopening = Reopening(
        at=to_the_millisecond(timezone.now()),
        by=display_name(reopened_by_user),
        reason=reason,
        previous_close=PreviousClose(
            closed_by=current.closed_by or "",
            close_time=current.close_time,
            closing_amounts=dict(current.closing_amounts),
            closing_note=current.closing_note or "",
            report=kept,
        ),
    )
    reopened = ClosingReport().set(
        currency=record.currency or settings.CURRENCY,
        methods={},
        reopenings=[*(ours.reopenings if ours is not None else []), reopening],
    )
    if ours is not None:  # the cash moved and the handover still belong to the shift
        reopened.set(cash_movements=ours.cash_movements)
        if ours.handover is not None:
            reopened.set(handover=ours.handover)
    if earlier is not None and earlier.foreign is not None:
        reopened.set(foreign=earlier.foreign)
    data = replace(
        current.to_input(),
        closed_by=None,
        close_time=None,
        closing_amount=None,
        closing_amounts={},
        closing_note=None,
        closing_report_data=reopened.to_json(),
    )
    write = LedgerWrite(
        session_id=record.id,
        kind=LedgerEntry.REOPEN,
        key=time_text(reopening.at) or "",
        by_user=reopened_by_user,
        report=reopened,
    )
    updated = settled(
        audit,
        write=lambda: guarded_update(client, current, data),
        landed=lambda: with_report(
            client,
            record,
            lambda found: any(
                isinstance(entry, Reopening) and entry.at == reopening.at
                for entry in found.reopenings
            ),
            must_be_open=True,
        ),
        unknown=write.unknown,
    )
    return updated, write


def shift_delete(
    *,
    record: SessionRecord,
    deleted_by_user: User,
    reason: str,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Deletes a shift in Final POS and leaves a tombstone in the index (the row stays, marked
    deleted, so history and the audit trail still explain it)."""
    client = client or get_client()
    summary = _("Delete %(number)s: %(reason)s") % {
        "number": record.session_number,
        "reason": reason.strip(),
    }
    with audited_shift_write(
        actor=deleted_by_user,
        action="delete",
        record=record,
        outlet_id=record.outlet_id,
        summary=summary,
    ) as audit:
        with contextlib.suppress(FinalPOSNotFound):  # gone upstream already: the tombstone
            settled(
                audit,
                write=lambda: client.session_delete(record.id),
                landed=lambda: _gone(client, record.id),
            )
        was_open = record.is_open
        with transaction.atomic():
            SessionRecord.objects.filter(pk=record.pk).update(
                deleted_at=timezone.now(),
                last_error="",
                station_status_pending=StationStatus.AVAILABLE if was_open else "",
                station_status_error="",
            )
            daily_totals_update(days_of([record.pk]))
            LedgerEntry.objects.filter(
                session_id=record.id, state__in=(LedgerEntry.PENDING, LedgerEntry.CONFLICT)
            ).update(state=LedgerEntry.SUPERSEDED)
            ShiftConflict.objects.filter(session_id=record.id, resolved_at__isnull=True).update(
                resolved_at=timezone.now(), resolution="deleted"
            )
        record.refresh_from_db()
        logger.info("Shift %s deleted", record.id)
        audit.shift_written(record)
    return ShiftWriteResult(record=record, station_status_error=till_status_enqueue(record))


def _gone(client: FinalPOSClient, session_id: str) -> bool | None:
    """True when Final POS no longer has the shift; None when it still does."""
    try:
        client.session_get(session_id)
    except FinalPOSNotFound:
        return True
    return None
