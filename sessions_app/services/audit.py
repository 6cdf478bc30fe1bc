"""The audit trail: every write the dashboard attempts, who, when, before and after, and
whether Final POS accepted it."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sessions_app.finalpos import FinalPOSError
from sessions_app.models import AuditEntry, LedgerEntry, SessionRecord
from sessions_app.roles import User, display_name
from sessions_app.services.errors import ApplicationError
from sessions_app.services.locks import shift_write_lock


def record_snapshot(record: SessionRecord | None) -> dict[str, Any] | None:
    """The display fields of a shift worth comparing before and after a write."""
    if record is None:
        return None
    return {
        "session_number": record.session_number,
        "currency": record.currency,
        "opening_amount": str(record.opening_amount),
        "close_time": record.close_time.isoformat() if record.close_time else None,
        "closed_by": record.closed_by,
        "closing_amount": None if record.closing_amount is None else str(record.closing_amount),
        "counted": record.counted,
        "closing_note": record.closing_note,
        "cash_variance": None if record.cash_variance is None else str(record.cash_variance),
        "variances": record.variances,
        "result": record.result,
        "review_state": record.review_state,
        "variance_reason": record.variance_reason,
        "review_comment": record.review_comment,
        "deleted_at": record.deleted_at.isoformat() if record.deleted_at else None,
    }


def audit_write(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str = "",
    outlet_id: str = "",
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    error: FinalPOSError | None = None,
    outcome: str = "",
) -> AuditEntry:
    outcome = outcome or (AuditEntry.REFUSED if error else AuditEntry.ACCEPTED)
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=display_name(actor) if actor is not None else AuditEntry.SYSTEM_ACTOR,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outlet_id=outlet_id,
        summary=summary[:300],
        before=before,
        after=after,
        accepted=outcome in (AuditEntry.ACCEPTED, AuditEntry.LANDED),
        outcome=outcome,
        error=error.message if error else "",
    )


@dataclass
class AuditedWrite:
    """What the audit row of a write will say; the write fills in what it learns."""

    object_id: str
    outlet_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None = None
    nothing_written: bool = False  # the write turned out to be done already: no row
    summary_suffix: str = ""  # what the write learned that the summary should say
    outcome: str = ""  # set when the answer was lost: unknown, landed or not_landed

    def shift_written(self, record: SessionRecord) -> None:
        self.object_id = record.id
        self.outlet_id = record.outlet_id or self.outlet_id
        self.after = record_snapshot(record)


@contextmanager
def audited(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    summary: str,
    object_id: str = "",
    outlet_id: str = "",
    before: dict[str, Any] | None = None,
) -> Iterator[AuditedWrite]:
    """Records the write done inside the block: accepted when the block ends normally, refused
    (with Final POS's error) when it raises a FinalPOSError."""
    write = AuditedWrite(object_id=object_id, outlet_id=outlet_id, before=before)
    try:
        yield write
    except FinalPOSError as error:
        row = audit_write(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=write.object_id,
            outlet_id=write.outlet_id,
            summary=summary,
            before=write.before,
            error=error,
            outcome=write.outcome,
        )
        if row.outcome == AuditEntry.UNKNOWN:  # settled with what was sent, by a later read
            LedgerEntry.objects.filter(
                session_id=write.object_id, state=LedgerEntry.UNKNOWN, audit__isnull=True
            ).update(audit=row)
        raise
    except ApplicationError as refusal:
        if write.outcome == AuditEntry.UNKNOWN:  # e.g. an open held as "may have reached"
            audit_write(
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=write.object_id,
                outlet_id=write.outlet_id,
                summary=f"{summary}; {refusal.message}"[:300],
                before=write.before,
                outcome=write.outcome,
            )
        raise
    if not write.nothing_written:
        audit_write(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=write.object_id,
            outlet_id=write.outlet_id,
            summary=f"{summary}; {write.summary_suffix}" if write.summary_suffix else summary,
            before=write.before,
            after=write.after,
            outcome=write.outcome,
        )


@contextmanager
def audited_shift_write(
    *,
    actor: User | None,
    action: str,
    record: SessionRecord | None,
    outlet_id: str,
    summary: str,
    holder: str = "",
) -> Iterator[AuditedWrite]:
    """A write to one shift, audited, with the shift's write lock held throughout: a second
    writer waits for this one, then reads what it wrote. ``actor`` None is the dashboard
    itself (the refresh writing back what a till dropped), named by ``holder``."""
    with audited(
        actor=actor,
        action=action,
        object_type="session",
        summary=summary,
        object_id=record.id if record else "",
        outlet_id=outlet_id,
        before=record_snapshot(record),
    ) as write:
        if record is None:
            yield write
        else:
            name = holder or (display_name(actor) if actor is not None else AuditEntry.SYSTEM_ACTOR)
            with shift_write_lock(record.id, holder=name, holder_user=actor):
                yield write
