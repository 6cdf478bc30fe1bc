"""Settling an update whose answer was lost: the record is read again, and the write is
reported as landed, not landed, or (when that read fails too) unknown."""

import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.finalpos import (
    FinalPOSError,
    FinalPOSNotSaved,
    FinalPOSNotSeenYet,
    FinalPOSOutcomeUnknown,
)
from sessions_app.models import AuditEntry
from sessions_app.services.audit import AuditedWrite

RECHECK_AFTER = (0.5, 1.0)  # seconds between the looks at Final POS after a lost answer
sleep = time.sleep  # the pause before each look; the tests wait for the simulator instead


def settled[Result](
    audit: AuditedWrite,
    *,
    write: Callable[[], Result],
    landed: Callable[[], Result | None],
    unknown: Callable[[], object] = lambda: None,
) -> Result:
    """Runs the write. When its answer is lost, ``landed`` reads Final POS again and returns
    what the write produced if it is there (the write happened), or None (it did not). When
    that read fails too, the outcome stays unknown: ``unknown`` records what was sent (the
    ledger's entry, which the next read of the shift settles) and it is reported as such. So
    is a write whose answer never came (a timeout, a dropped connection) not found before
    FINALPOS_SETTLED_AFTER has passed since it was sent: Final POS may still be working on it,
    as the ledger knows. An answer that did come (an error, an unreadable one) ends the
    write's handling there, so a read after it settles it."""
    sent_at = timezone.now()
    try:
        return write()
    except FinalPOSOutcomeUnknown as lost:
        audit.outcome = AuditEntry.UNKNOWN
        try:
            found = landed()
            for pause in RECHECK_AFTER:  # a write may still be on its way when its answer is lost
                if found is not None:
                    break
                sleep(pause)
                found = landed()
        except FinalPOSError:
            unknown()
            raise lost from None
        unanswered = lost.status is None
        if (
            found is None
            and unanswered
            and timezone.now() - sent_at <= settings.FINALPOS_SETTLED_AFTER
        ):
            unknown()
            raise FinalPOSNotSeenYet() from lost
        if found is None:
            audit.outcome = AuditEntry.NOT_LANDED
            raise FinalPOSNotSaved() from lost
        audit.outcome = AuditEntry.LANDED
        audit.summary_suffix = audit.summary_suffix or _("answer lost, then found saved")
        return found
