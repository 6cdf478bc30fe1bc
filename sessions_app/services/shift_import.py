"""Shifts the dashboard did not open, added to the index by a manager by their id (the ones
with sales are also found by themselves: services.discovery)."""

import logging
from collections.abc import Collection

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app.finalpos import FinalPOSClient, FinalPOSError, FinalPOSNotFound, get_client
from sessions_app.models import SessionRecord, Station
from sessions_app.roles import User
from sessions_app.services.audit import audit_write, record_snapshot
from sessions_app.services.errors import ShiftNotAllowed
from sessions_app.services.index import shift_fetch

logger = logging.getLogger(__name__)

NOT_AT_YOUR_OUTLETS = gettext_lazy("Final POS has no shift with that id at your outlets.")


def shift_add_by_id(
    *,
    session_id: str,
    added_by_user: User,
    allowed_outlet_ids: Collection[str] | None = None,
    client: FinalPOSClient | None = None,
) -> SessionRecord:
    """Brings a shift opened on a Final POS till into the index, if it is on one of the
    manager's tills (allowed_outlet_ids None means every outlet)."""
    client = client or get_client()
    try:
        shift = client.session_get(session_id)
    except FinalPOSNotFound:
        raise ShiftNotAllowed(str(NOT_AT_YOUR_OUTLETS)) from None
    except FinalPOSError as error:
        audit_write(
            actor=added_by_user,
            action="import",
            object_type="session",
            object_id=session_id,
            summary=_("Add a shift by id"),
            error=error,
        )
        raise
    outlet_id = (
        Station.objects.filter(id=shift.station_id).values_list("outlet_id", flat=True).first()
    )
    if outlet_id is None:
        raise ShiftNotAllowed(
            _(
                "That shift is on a till the dashboard does not know yet. Refresh outlets and "
                "stations from Final POS, then try again."
            )
        )
    if allowed_outlet_ids is not None and outlet_id not in allowed_outlet_ids:
        # The same answer as for an id Final POS does not know: another store's shifts are
        # not this manager's to probe.
        raise ShiftNotAllowed(str(NOT_AT_YOUR_OUTLETS))
    record = shift_fetch(session_id=shift.id, client=client)
    audit_write(
        actor=added_by_user,
        action="import",
        object_type="session",
        object_id=record.id,
        outlet_id=outlet_id,
        summary=_("Add %(number)s to the history by id") % {"number": record.session_number},
        after=record_snapshot(record),
    )
    return record
