"""Settling a write whose answer was lost: Final POS may have made it, so the record is read
again and the write looked for, before anyone is told anything."""

import time
from collections.abc import Callable

from sessions_app.finalpos import FinalPOSError, FinalPOSNotSaved, FinalPOSOutcomeUnknown
from sessions_app.models import AuditEntry
from sessions_app.services.audit import AuditedWrite

RECHECK_AFTER = (0.5, 1.0)  # seconds between the looks at Final POS after a lost answer


def settled[Result](
    audit: AuditedWrite,
    *,
    write: Callable[[], Result],
    landed: Callable[[], Result | None],
) -> Result:
    """Runs the write. When its answer is lost, ``landed`` reads Final POS again and returns
    what the write produced if it is there (the write happened), or None (it did not). When
    that read fails too, the outcome stays unknown and is reported as such."""
    try:
        return write()
    except FinalPOSOutcomeUnknown as lost:
        audit.outcome = AuditEntry.UNKNOWN
        try:
            found = landed()
            for pause in RECHECK_AFTER:  # a write may still be on its way when its answer is lost
                if found is not None:
                    break
                time.sleep(pause)
                found = landed()
        except FinalPOSError:
            raise lost from None
        if found is None:
            audit.outcome = AuditEntry.NOT_LANDED
            raise FinalPOSNotSaved() from lost
        audit.outcome = AuditEntry.LANDED
        audit.summary_suffix = audit.summary_suffix or "answer lost, then found saved"
        return found
