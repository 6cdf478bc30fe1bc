"""Shifts the dashboard did not open: added by a manager by id, or found through the sales
Final POS lists (transactions carry their session's id)."""

import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app import closing
from sessions_app.finalpos import FinalPOSClient, FinalPOSError, FinalPOSNotFound, get_client
from sessions_app.finalpos.records import Transaction
from sessions_app.models import SessionRecord, Station
from sessions_app.roles import User
from sessions_app.services.audit import audit_write, record_snapshot
from sessions_app.services.errors import ShiftNotAllowed
from sessions_app.services.index import session_fetch, session_index_save

logger = logging.getLogger(__name__)

NOT_AT_YOUR_OUTLETS = gettext_lazy("Final POS has no shift with that id at your outlets.")


def session_add_by_id(
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
        session = client.session_get(session_id)
    except FinalPOSNotFound:
        raise ShiftNotAllowed(str(NOT_AT_YOUR_OUTLETS)) from None
    except FinalPOSError as error:
        audit_write(
            actor=added_by_user,
            action="import",
            object_type="session",
            object_id=session_id,
            summary=_("Added a shift by id"),
            error=error,
        )
        raise
    outlet_id = (
        Station.objects.filter(id=session.station_id).values_list("outlet_id", flat=True).first()
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
    record = session_fetch(session_id=session.id, client=client)
    audit_write(
        actor=added_by_user,
        action="import",
        object_type="session",
        object_id=record.id,
        outlet_id=outlet_id,
        summary=_("Added %(number)s to the history by id") % {"number": record.session_number},
        after=record_snapshot(record),
    )
    return record


@dataclass(frozen=True)
class DiscoveryResult:
    found: int
    gone: int
    failed: int


def sessions_discover(*, client: FinalPOSClient | None = None) -> DiscoveryResult:
    """Indexes every session that has sales in Final POS and is not in the index yet.

    Final POS cannot list sessions, but every transaction names its session: the sales are
    read once, and each new session id among them is read by its id."""
    client = client or get_client()
    by_session: dict[str, list[Transaction]] = defaultdict(list)
    for transaction in client.transaction_list_all():
        if transaction.session_id:
            by_session[transaction.session_id].append(transaction)
    known = set(SessionRecord.objects.filter(id__in=list(by_session)).values_list("id", flat=True))
    found = gone = failed = 0
    for session_id, transactions in by_session.items():
        if session_id in known:
            continue
        try:
            session = client.session_get(session_id)
        except FinalPOSNotFound:
            gone += 1
            continue
        except FinalPOSError as error:
            logger.warning("Session %s not read: %s", session_id, error.message)
            failed += 1
            continue
        expected = closing.expected_amounts(transactions, opening_amount=session.opening_amount)
        try:
            session_index_save(session, expected_from_sales=None if session.is_open else expected)
        except IntegrityError:  # the index holds another open shift on that till
            logger.warning("Session %s not indexed: its till has another open shift", session_id)
            failed += 1
            continue
        found += 1
    return DiscoveryResult(found=found, gone=gone, failed=failed)
