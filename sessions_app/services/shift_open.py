"""Opening a shift on a till: one session created in Final POS, indexed, the till marked in use."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.closing_report import ClosingReport, Handover
from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client
from sessions_app.finalpos.records import SessionInput, StationStatus
from sessions_app.formatting import money
from sessions_app.models import Station, StationClaim
from sessions_app.roles import User, display_name
from sessions_app.selectors.handover import left_in_drawer
from sessions_app.services.audit import audited_shift_write
from sessions_app.services.errors import StationBusy
from sessions_app.services.index import session_index_save
from sessions_app.services.numbering import business_year, session_number_allocate
from sessions_app.services.shift_checks import ShiftWriteResult, ensure_no_open_shift
from sessions_app.services.station_status import station_status_push

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=2)  # longer than any open can take with our timeouts


def session_open(
    *,
    station: Station,
    opened_by_user: User,
    opening_amount: Decimal,
    opening_note: str = "",
    cash_count: dict[Decimal, int] | None = None,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Opens a shift on a till: checks no shift is open there, creates the session in Final
    POS, indexes it, then marks the station IN_USE (best effort)."""
    client = client or get_client()
    summary = _("Opened a shift on %(till)s with a float of %(float)s") % {
        "till": station.name,
        "float": money(opening_amount),
    }
    with audited_shift_write(
        actor=opened_by_user,
        action="open",
        record=None,
        outlet_id=station.outlet_id,
        summary=summary,
    ) as audit:
        opener = display_name(opened_by_user)
        with _station_claim(station, claimed_by=opener):
            ensure_no_open_shift(station, client=client)
            now = timezone.now()
            notes = [f"Opening count: {_count_text(cash_count)}"] if cash_count else []
            created = client.session_create(
                SessionInput(
                    station_id=station.id,
                    session_number=session_number_allocate(year=business_year(now)),
                    opened_by=opener,
                    open_time=now,
                    opening_amount=opening_amount,
                    notes=notes,
                    closing_amounts={},
                    opening_note=opening_note,
                    closing_report_data=_handover_report(station, opening_amount),
                )
            )
            try:
                record = session_index_save(
                    created,
                    opened_by_user=opened_by_user,
                    station_status_pending=StationStatus.IN_USE,
                )
            except IntegrityError:
                # Another shift on this till reached the index meanwhile (a refresh importing
                # one opened on the till itself): undo ours rather than leave two open shifts.
                _session_delete_quietly(created.id, client=client)
                raise StationBusy(
                    _("%(till)s already has an open shift.") % {"till": station.name}
                ) from None
        logger.info("Shift %s opened on station %s by %s", created.id, station.id, opener)
        audit.shift_written(record)
    return ShiftWriteResult(record=record, station_status_error=station_status_push(record, client))


@contextmanager
def _station_claim(station: Station, *, claimed_by: str) -> Iterator[None]:
    """Held while a shift is opened, so two people opening the same till at once get one
    shift: the claim's primary key lets only one exist per station."""
    now = timezone.now()
    claims = StationClaim.objects.filter(station_id=station.id)
    claims.filter(claimed_at__lt=now - CLAIM_TIMEOUT).delete()
    try:
        with transaction.atomic():
            StationClaim.objects.create(
                station_id=station.id, claimed_at=now, claimed_by=claimed_by
            )
    except IntegrityError:
        claim = claims.first()
        raise StationBusy(
            _("%(who)s is opening a shift on %(till)s right now.")
            % {"who": claim.claimed_by if claim else _("Someone"), "till": station.name}
        ) from None
    try:
        yield
    finally:
        claims.delete()


def _handover_report(station: Station, opening_amount: Decimal) -> str | None:
    """The float the last shift on this till left, against this one's, in a report the close
    builds on; None when the last shift said nothing about it."""
    left = left_in_drawer([station.id]).get(station.id)
    if left is None:
        return None
    handover = Handover(
        expected_float=left.amount,
        opened_with=opening_amount,
        from_session_id=left.session_id,
        from_session_number=left.session_number,
    )
    report = ClosingReport().set(
        currency=settings.CURRENCY, methods={}, cash_movements=[], handover=handover
    )
    return report.to_json()


def _count_text(cash_count: dict[Decimal, int]) -> str:
    return ", ".join(f"{quantity} x {value}" for value, quantity in cash_count.items() if quantity)


def _session_delete_quietly(session_id: str, *, client: FinalPOSClient) -> None:
    try:
        client.session_delete(session_id)
    except FinalPOSError:
        logger.exception(
            "Could not delete duplicate session %s; delete it in Final POS", session_id
        )
