"""Settling an open whose answer was lost: Final POS lists no sessions, so the till is held
(``pending_open_hold``) and the shift looked for on evidence (``pending_open_check``): its
sales, the till's status, or a manager's word after looking at the till
(``not_created_confirmed``)."""

import contextlib
import logging
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.dates import time_of_day
from sessions_app.finalpos import (
    FinalPOSClient,
    FinalPOSError,
    FinalPOSOutcomeUnknown,
    get_client,
)
from sessions_app.finalpos.records import SessionInput, StationStatus
from sessions_app.models import PendingOpen, SessionRecord, Station
from sessions_app.roles import User, is_manager
from sessions_app.services.catalog import till_cache_save
from sessions_app.services.discovery import shifts_discover

logger = logging.getLogger(__name__)


def pending_open_hold(
    till: Station, data: SessionInput, opened_by_user: User, lost: FinalPOSOutcomeUnknown
) -> PendingOpen:
    held, _created = PendingOpen.objects.update_or_create(
        station_id=till.id,
        defaults={
            "session_number": data.session_number,
            "opened_by": data.opened_by,
            "opened_by_user": opened_by_user,
            "opening_amount": data.opening_amount,
            "attempted_at": data.open_time,
            "error": lost.stored_message,
        },
    )
    logger.warning(
        "Open of %s on %s: answer lost; the till is held until it is settled",
        data.session_number,
        till.id,
    )
    return held


def not_created_confirmed(pending: PendingOpen, *, user: User, typed_number: str) -> bool:
    """A till held by an open whose answer was lost opens again only on a manager's word that
    it was not created: the held shift's number typed again (the page asks for it once the
    manager has ticked that they looked at the till)."""
    return is_manager(user) and typed_number == pending.session_number


def pending_open_message(pending: PendingOpen, till: Station) -> str:
    return _(
        "Opening %(number)s on %(till)s may have reached Final POS: its answer was lost "
        "(%(when)s, %(who)s). The till is held until that is settled, so it is never opened "
        "twice: the dashboard finds the shift as soon as the till records a sale on it, or a "
        "manager adds it by its id, or a manager who has looked at the till confirms it was "
        "not created."
    ) % {
        "number": pending.session_number,
        "till": till.name,
        "when": time_of_day(pending.attempted_at),
        "who": pending.opened_by,
    }


@dataclass(frozen=True)
class OpenCheck:
    """What a look at Final POS found about an open whose answer was lost."""

    found: SessionRecord | None  # the shift, now indexed: the open did land
    till_in_use: bool  # the till reports itself in use: the shift probably exists


def pending_open_check(*, till: Station, client: FinalPOSClient | None = None) -> OpenCheck:
    """Looks for the shift of an open whose answer was lost: a pass of discovery (it finds
    the shift once the till records a sale on it) and the till's own status. Reads only:
    nothing is ever created by a check."""
    client = client or get_client()
    pending = PendingOpen.objects.filter(station_id=till.id).first()
    if pending is None:
        return OpenCheck(found=None, till_in_use=False)
    with contextlib.suppress(FinalPOSError):  # the till's status below still tells something
        shifts_discover(client=client)
    found = SessionRecord.objects.filter(
        station_id=till.id, session_number=pending.session_number, deleted_at__isnull=True
    ).first()
    in_use = False
    try:
        current = client.station_get(till.id)
    except FinalPOSError:
        in_use = StationStatus.from_wire(till.status) == StationStatus.IN_USE
    else:
        till_cache_save(current, fetched_at=timezone.now())
        in_use = current.status == StationStatus.IN_USE
    return OpenCheck(found=found, till_in_use=in_use)
