"""The till's status in Final POS (IN_USE while a shift is open, AVAILABLE after): written
after each open and close, best effort, and retried until it lands."""

import logging
from dataclasses import replace

from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client
from sessions_app.finalpos.records import StationStatus
from sessions_app.models import SessionRecord, Station

logger = logging.getLogger(__name__)


def till_status_push(record: SessionRecord, client: FinalPOSClient | None = None) -> str:
    """Writes the station status the shift calls for. Returns the error message, keeps it on
    the record and leaves the status pending for a retry."""
    desired = record.station_status_pending
    if not desired:
        return ""
    client = client or get_client()
    try:
        till = client.station_get(record.station_id)
        if till.raw_status != desired:
            till = client.station_update(
                record.station_id, replace(till.to_input(), status=StationStatus(desired))
            )
    except FinalPOSError as error:
        logger.warning("Station %s status not updated: %s", record.station_id, error.message)
        SessionRecord.objects.filter(pk=record.pk, station_status_pending=desired).update(
            station_status_error=error.stored_message
        )
        record.station_status_error = error.stored_message
        return error.message
    Station.objects.filter(id=till.id).update(
        status=till.raw_status, status_reported_at=till.updated_at
    )
    # Only the status this push wrote: a reopen meanwhile asks for another, still to write.
    SessionRecord.objects.filter(pk=record.pk, station_status_pending=desired).update(
        station_status_pending="", station_status_error=""
    )
    record.station_status_pending = record.station_status_error = ""
    return ""
