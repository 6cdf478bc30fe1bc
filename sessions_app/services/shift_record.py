"""Recording a write Final POS answered: what the dashboard wrote goes in the ledger and Final
POS's answer in the index (checked against the ledger, the day's and month's totals moved), in
one transaction, and the audit row learns the shift as it now stands.

Every write to a shift (open, close, approval, correction, reopening) ends here once, while the
write's lock is still held (services/audit.audited_shift_write): a second writer, or a refresh,
reads the ledger and the index together or not at all."""

from typing import Any

from django.db import transaction

from sessions_app.finalpos.records import Session
from sessions_app.models import AuditEntry, SessionRecord, Station
from sessions_app.roles import User
from sessions_app.services.audit import AuditedWrite
from sessions_app.services.index import shift_index_created, shift_index_save
from sessions_app.services.ledger import LedgerWrite


def shift_write_record(
    written: Session,
    *,
    ours: LedgerWrite,
    audit: AuditedWrite,
    fields: dict[str, Any] | None = None,
    opened_by_user: User | None = None,
    station_status_pending: str | None = None,
    created_on: Station | None = None,
) -> SessionRecord:
    """Records ``written`` (Final POS's answer to our write): ``ours`` as written, with the
    record's ``fields`` it set; the index row, with the user who opened it and the status the
    till is being set to where the write says so. ``created_on``: the write created the
    session on this till, so it is indexed as new (services/index.shift_index_created)."""
    with transaction.atomic():
        # The version our write made, when Final POS answered with it: a write found saved
        # by a read after its answer was lost may have been written over since.
        answered = audit.outcome != AuditEntry.LANDED
        ours.written(fields, version=written.updated_at if answered else None)
        if created_on is not None and station_status_pending is not None:
            saved = shift_index_created(
                written,
                till=created_on,
                opened_by_user=opened_by_user,
                station_status_pending=station_status_pending,
            )
        else:
            saved = shift_index_save(
                written,
                opened_by_user=opened_by_user,
                station_status_pending=station_status_pending,
            )
    audit.shift_written(saved)
    return saved
