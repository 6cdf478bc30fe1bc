"""Settling a write whose answer was lost: Final POS may have made it, so it is looked for
before anyone is told anything. An update is settled at once by reading the record again
(``settled``); an open cannot be (Final POS lists no sessions), so the till is held and the
shift looked for on evidence (``pending_open_check``): its sales, the till's status, or a
manager's word after looking at the till."""

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from sessions_app.finalpos import (
    FinalPOSClient,
    FinalPOSError,
    FinalPOSNotSaved,
    FinalPOSOutcomeUnknown,
    get_client,
)
from sessions_app.finalpos.records import StationStatus
from sessions_app.models import AuditEntry, PendingOpen, SessionRecord, Station
from sessions_app.services.audit import AuditedWrite
from sessions_app.services.catalog import station_cache_save
from sessions_app.services.discovery import sessions_discover

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
    ledger's entry, which the next read of the shift settles) and it is reported as such."""
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
        if found is None:
            audit.outcome = AuditEntry.NOT_LANDED
            raise FinalPOSNotSaved() from lost
        audit.outcome = AuditEntry.LANDED
        audit.summary_suffix = audit.summary_suffix or "answer lost, then found saved"
        return found


@dataclass(frozen=True)
class OpenCheck:
    """What a look at Final POS found about an open whose answer was lost."""

    found: SessionRecord | None  # the shift, now indexed: the open did land
    till_in_use: bool  # the till reports itself in use: the shift probably exists


def pending_open_check(*, station: Station, client: FinalPOSClient | None = None) -> OpenCheck:
    """Looks for the shift of an open whose answer was lost: a pass of discovery (it finds
    the shift once the till records a sale on it) and the till's own status. Reads only:
    nothing is ever created by a check."""
    client = client or get_client()
    pending = PendingOpen.objects.filter(station_id=station.id).first()
    if pending is None:
        return OpenCheck(found=None, till_in_use=False)
    with contextlib.suppress(FinalPOSError):  # the till's status below still tells something
        sessions_discover(client=client)
    found = SessionRecord.objects.filter(
        station_id=station.id, session_number=pending.session_number, deleted_at__isnull=True
    ).first()
    in_use = False
    try:
        current = client.station_get(station.id)
    except FinalPOSError:
        in_use = StationStatus.from_wire(station.status) == StationStatus.IN_USE
    else:
        station_cache_save(current, fetched_at=timezone.now())
        in_use = current.status == StationStatus.IN_USE
    return OpenCheck(found=found, till_in_use=in_use)
