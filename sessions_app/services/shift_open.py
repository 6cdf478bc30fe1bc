"""Opening a shift on a till: one session created in Final POS, indexed, the till marked in use."""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.closing.drawer import Handover
from sessions_app.closing.report import ClosingReport
from sessions_app.finalpos import (
    FinalPOSClient,
    FinalPOSError,
    FinalPOSOutcomeUnknown,
    get_client,
)
from sessions_app.finalpos.records import SessionInput, StationStatus
from sessions_app.formatting import money
from sessions_app.models import AuditEntry, LedgerEntry, PendingOpen, SessionRecord, Station
from sessions_app.policy import outlet_policy
from sessions_app.roles import User, display_name
from sessions_app.selectors.handover import (
    LeftInDrawer,
    left_in_drawer_after_check,
    till_before_open,
)
from sessions_app.services.audit import audited_shift_write
from sessions_app.services.catalog import till_cache_save
from sessions_app.services.daily_totals import daily_totals_update, days_of
from sessions_app.services.errors import OpenOutcomeUnknown, TillBusy, TillReportsInUse
from sessions_app.services.ledger import LedgerWrite
from sessions_app.services.locks import till_claim
from sessions_app.services.numbering import business_year, session_number_allocate
from sessions_app.services.queued import till_status_enqueue
from sessions_app.services.settle.opens import (
    not_created_confirmed,
    pending_open_hold,
    pending_open_message,
)
from sessions_app.services.shift_checks import ShiftWriteResult, ensure_no_open_shift
from sessions_app.services.shift_record import shift_write_record

logger = logging.getLogger(__name__)


def shift_open(
    *,
    till: Station,
    opened_by_user: User,
    opening_amount: Decimal,
    opening_note: str = "",
    cash_count: dict[Decimal, int] | None = None,
    not_created_number: str = "",
    in_use_confirmed: bool = False,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Opens a shift on a till: checks no shift is open there, creates the session in Final
    POS, indexes it, then marks the station IN_USE (best effort).

    A create whose answer was lost cannot be looked up (Final POS has no session list), so the
    till is held as "opening may have reached Final POS" (PendingOpen) rather than opened
    again blindly; it is settled on evidence (services/settle/opens.py). ``not_created_number``,
    the held open's number a manager typed after finding no shift on the till, opens it again
    with that session number, so a duplicate would be recognisable (and repairable). A till
    that reports itself in use with no shift known is opened only with ``in_use_confirmed``."""
    client = client or get_client()
    summary = _("Open a shift on %(till)s with a float of %(float)s") % {
        "till": till.name,
        "float": money(opening_amount),
    }
    with audited_shift_write(
        actor=opened_by_user,
        action="open",
        record=None,
        outlet_id=till.outlet_id,
        summary=summary,
    ) as audit:
        opener = display_name(opened_by_user)
        with till_claim(till, claimed_by=opener):
            pending = PendingOpen.objects.filter(station_id=till.id).first()
            if pending is not None and not not_created_confirmed(
                pending, user=opened_by_user, typed_number=not_created_number
            ):
                raise OpenOutcomeUnknown(pending_open_message(pending, till))
            if pending is not None:
                audit.summary_suffix = _(
                    "%(manager)s checked the till: %(number)s, whose answer was lost, was not "
                    "created"
                ) % {"manager": opener, "number": pending.session_number}
            before = till_before_open(till.id)
            ensure_no_open_shift(till, client=client, indexed=before.indexed_open)
            left = left_in_drawer_after_check(till.id, before)
            if not in_use_confirmed:
                _refuse_if_the_till_reports_in_use(till, client)
            now = timezone.now()
            number = (
                pending.session_number
                if pending is not None
                else session_number_allocate(year=business_year(now, outlet_id=till.outlet_id))
            )
            notes = [f"Opening count: {_count_text(cash_count)}"] if cash_count else []
            data = SessionInput(
                station_id=till.id,
                session_number=number,
                opened_by=opener,
                open_time=now,
                opening_amount=opening_amount,
                notes=notes,
                closing_amounts={},
                opening_note=opening_note,
                closing_report_data=_handover_report(till, opening_amount, left),
            )
            try:
                created = client.session_create(data)
            except FinalPOSOutcomeUnknown as lost:
                audit.outcome = AuditEntry.UNKNOWN
                held = pending_open_hold(till, data, opened_by_user, lost)
                raise OpenOutcomeUnknown(pending_open_message(held, till)) from lost
            if pending is not None:  # settled: the index must not take ours for its landing
                pending.delete()
            record = shift_write_record(
                created,
                ours=LedgerWrite(
                    session_id=created.id,
                    kind=LedgerEntry.OPEN,
                    key=created.session_number,
                    by_user=opened_by_user,
                ),
                audit=audit,
                opened_by_user=opened_by_user,
                station_status_pending=StationStatus.IN_USE,
                created_on=till,
            )
            _undo_if_the_till_opened_one_meanwhile(till, record, client)
        logger.info("Shift %s opened on station %s by %s", created.id, till.id, opener)
    return ShiftWriteResult(record=record, station_status_error=till_status_enqueue(record))


def _refuse_if_the_till_reports_in_use(till: Station, client: FinalPOSClient) -> None:
    """A till reporting IN_USE with no open shift known may have opened one that has no sales
    yet: Final POS lists no sessions, so nothing can find it. A cached IN_USE is read again
    (the till may be free by now), so only a status Final POS still reports refuses; a cached
    AVAILABLE is trusted, as the refresh reads every till each pass, and a cashier's open
    waits for one round trip, not two. One the dashboard itself left behind does not count."""
    if StationStatus.from_wire(till.status) != StationStatus.IN_USE:
        return
    try:
        current = client.station_get(till.id)
    except FinalPOSError:
        status = StationStatus.from_wire(till.status)
    else:
        till_cache_save(current, fetched_at=timezone.now())
        status = current.status
    if status != StationStatus.IN_USE or _left_in_use_by_us(till):
        return
    raise TillReportsInUse(
        _(
            "%(till)s tells Final POS it is in use, but the dashboard has not seen a shift "
            "open on it. The till may have opened one that has no sales yet. Check the till: "
            "if a shift is open there, close it on the till first. If not, confirm below and "
            "open the shift here."
        )
        % {"till": till.name}
    )


def _left_in_use_by_us(till: Station) -> bool:
    """The in-use status is the dashboard's own, left behind: the till's last shift was closed
    here and setting it back to available failed, or it was opened here and Final POS no
    longer has it (deleted on the till or in the back office)."""
    last = (
        SessionRecord.objects.filter(station_id=till.id)
        .order_by("-open_time")
        .only("close_time", "station_status_pending", "deleted_at", "missing_since", "held_by_till")
        .first()
    )
    if last is None:
        return False
    if last.deleted_at is not None or last.missing_since is not None:
        return not last.held_by_till
    return last.close_time is not None and last.station_status_pending == StationStatus.AVAILABLE


def _undo_if_the_till_opened_one_meanwhile(
    till: Station, record: SessionRecord, client: FinalPOSClient
) -> None:
    """Another shift on this till reached the index while ours was created (a refresh found
    one the till opened itself): ours is deleted again rather than leave two open shifts."""
    other = (
        SessionRecord.objects.filter(
            station_id=till.id,
            close_time__isnull=True,
            deleted_at__isnull=True,
            missing_since__isnull=True,  # gone from Final POS: never in the way
        )
        .exclude(id=record.id)
        .first()
    )
    if other is None:
        return
    _shift_delete_quietly(record.id, client=client)
    with transaction.atomic():
        SessionRecord.objects.filter(id=record.id).update(deleted_at=timezone.now())
        daily_totals_update(days_of([record.id]))
    raise TillBusy(
        _("%(till)s already has an open shift: %(number)s, opened by %(cashier)s.")
        % {"till": till.name, "number": other.session_number, "cashier": other.opened_by}
    )


def _handover_report(
    till: Station, opening_amount: Decimal, left: LeftInDrawer | None
) -> str | None:
    """The float the last shift on this till left, against this one's, in a report the close
    builds on; None when the last shift said nothing about it."""
    if left is None:
        return None
    handover = Handover(
        expected_float=left.amount,
        opened_with=opening_amount,
        from_session_id=left.session_id,
        from_session_number=left.session_number,
    )
    report = ClosingReport().set(
        currency=outlet_policy(till.outlet_id).currency.code,
        methods={},
        cash_movements=[],
        handover=handover,
    )
    return report.to_json()


def _count_text(cash_count: dict[Decimal, int]) -> str:
    return ", ".join(f"{quantity} x {value}" for value, quantity in cash_count.items() if quantity)


def _shift_delete_quietly(session_id: str, *, client: FinalPOSClient) -> None:
    try:
        client.session_delete(session_id)
    except FinalPOSError:
        logger.exception(
            "Could not delete duplicate session %s; delete it in Final POS", session_id
        )
