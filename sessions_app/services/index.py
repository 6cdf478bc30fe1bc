"""The session index: the dashboard's display copy of Final POS sessions.

Final POS has no endpoint that lists sessions, so this index is how history exists at all.
It is written only from Final POS's answers, here.
"""

import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone

from sessions_app.closing.drawer import SalesSummary
from sessions_app.closing.expected import expected_from
from sessions_app.closing.report import ClosingReport, parse
from sessions_app.closing.sales import DrawerMoney, sales_summary
from sessions_app.finalpos import (
    FinalPOSCircuitOpen,
    FinalPOSClient,
    FinalPOSError,
    FinalPOSNotFound,
    get_client,
)
from sessions_app.finalpos.records import Session
from sessions_app.models import SessionRecord, Station
from sessions_app.policy import drawer_money, outlet_policy
from sessions_app.roles import User
from sessions_app.selectors.ledger import movements_with_ours
from sessions_app.services.daily_totals import (
    counted_from,
    daily_totals_add,
    daily_totals_update,
    days_of,
)
from sessions_app.services.errors import ShiftBusy
from sessions_app.services.index_columns import SalesFigures, index_columns, index_figures
from sessions_app.services.ledger import ledger_check, opened_here
from sessions_app.services.locks import shift_write_lock
from sessions_app.services.numbering import session_number_note_used
from sessions_app.services.settle.landed import landed_opens_audit, landed_opens_clear

logger = logging.getLogger(__name__)

REFRESH_WAIT = 2.0  # seconds a refresh waits for someone writing to the shift


def _known_expected(indexed: dict[str, Any] | None) -> SalesFigures | None:
    if not indexed or not indexed["expected"]:
        return None
    return SalesFigures(
        expected={key: Decimal(amount) for key, amount in indexed["expected"].items()},
        rounding=indexed["rounding"] or Decimal(0),
    )


def _shift_currency(
    indexed: dict[str, Any] | None, report: ClosingReport | None, outlet_id: str | None
) -> str:
    """A shift's currency, fixed when it is first indexed and never reinterpreted: the one the
    index holds, else the one our report names, else the outlet's now."""
    if indexed and indexed["currency"]:
        return str(indexed["currency"])
    if report is not None and report.is_ours and report.currency:
        return report.currency.upper()
    return outlet_policy(outlet_id).currency.code


def _indexed(session_id: str, *, station_id: str) -> tuple[SessionRecord | None, str | None]:
    """The shift as the index holds it now (None when it is not indexed), its row locked until
    the transaction ends, so the totals compare before and after with nobody in between; and
    the outlet the catalog puts its till in now, read with it (None: a till it does not know)."""
    till_outlet = Station.objects.filter(id=station_id).order_by().values("outlet_id")[:1]
    rows = (
        SessionRecord.objects.select_for_update()
        .filter(id=session_id)
        .annotate(till_outlet_id=Subquery(till_outlet))
    )
    held = rows.first()
    if held is None and connection.vendor == "postgresql":
        _first_save_lock(session_id)
        held = rows.first()
    if held is not None:  # the annotation is not a column: not on the record handed back
        return held, held.__dict__.pop("till_outlet_id")
    return None, till_outlet.values_list("outlet_id", flat=True).first()


def _columns_of(record: SessionRecord) -> dict[str, Any]:
    fields = SessionRecord._meta.concrete_fields
    return {field.attname: getattr(record, field.attname) for field in fields}


def _first_save_lock(session_id: str) -> None:
    """No row to lock: two first saves of one shift at once (two refreshes finding it) would
    both add it to its day. The second waits here, then finds the first's row. SQLite
    writers begin one at a time (BEGIN IMMEDIATE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [session_id])


def shift_index_save(
    shift: Session,
    *,
    opened_by_user: User | None = None,
    station_status_pending: str | None = None,
    expected_from_sales: SalesFigures | None = None,
) -> SessionRecord:
    """Writes the display copy of a session from Final POS's answer (the only writer), with
    the ledger's check of the read and the day's totals, in one transaction.

    ``expected_from_sales`` gives the figures of a shift a till closed; without it, those
    worked out earlier are kept."""
    report = parse(shift.closing_report_data)
    with transaction.atomic(savepoint=False):  # within a write's, all of it or none
        held, till_outlet_id = _indexed(shift.id, station_id=shift.station_id)
        indexed = _columns_of(held) if held is not None else None  # as it was before
        if expected_from_sales is None and (report is None or not report.is_ours):
            expected_from_sales = _known_expected(indexed)
        # A till the catalog does not know yet keeps the outlet the index has.
        outlet_id = till_outlet_id or (indexed or {}).get("outlet_id")
        defaults = _columns(
            shift,
            report,
            indexed=indexed,
            outlet_id=outlet_id,
            expected_from_sales=expected_from_sales,
            opened_by_user=opened_by_user,
            station_status_pending=station_status_pending,
        )
        defaults["held_by_till"] = shift.is_open and not opened_here(
            session_id=shift.id, session_number=shift.session_number
        )
        ledger = ledger_check(shift, outlet_id=outlet_id or "")
        defaults["unsynced"], defaults["in_conflict"] = ledger.unsynced, ledger.in_conflict
        written = SessionRecord(id=shift.id, **defaults)
        SessionRecord.objects.bulk_create(  # one upsert: columns not written here are kept
            [written], update_conflicts=True, unique_fields=["id"], update_fields=list(defaults)
        )
        # The row as it is now, with no read: the locked row with what was just written over
        # it, or, first indexed, the row just inserted.
        record = held if held is not None else written
        for name, value in defaults.items():
            setattr(record, name, value)
        before = counted_from(indexed)
        if before is None:
            daily_totals_add(record.__dict__)
        elif counted_from(record.__dict__) != before:  # most refreshes change nothing counted
            daily_totals_update({before[:2], (record.outlet_id, record.business_date)})
        if indexed is None or indexed["session_number"] != shift.session_number:
            session_number_note_used(shift.session_number)  # noted with the row, once
        # Every save, not only the first: an open whose answer was lost is held after the
        # create timed out, by when a refresh may have indexed its shift already.
        landed = landed_opens_clear(
            station_id=shift.station_id, session_number=shift.session_number
        )
    landed_opens_audit(landed, record)
    return record


def shift_index_created(
    shift: Session, *, till: Station, opened_by_user: User | None, station_status_pending: str
) -> SessionRecord:
    """Indexes a session the dashboard has just created on ``till``: Final POS's answer to our
    create, inside the write's transaction, under the till's claim, with our open just written
    to the ledger. An id Final POS has just issued is in no index row, conflict or lost open,
    and the answer carries exactly what the ledger holds, so the reads a refresh needs to find
    all that (seven statements of an open) are not made: the row is inserted, and an id
    indexed already is refused rather than merged. Its number is the one just allocated. On
    PostgreSQL it takes the first save's lock all the same, so a save that finds the id
    meanwhile (discovery from a sale) waits for this row instead of adding the shift twice."""
    report = parse(shift.closing_report_data)
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":  # a save finding the id meanwhile waits for ours
            _first_save_lock(shift.id)
        defaults = _columns(
            shift,
            report,
            indexed=None,
            outlet_id=till.outlet_id,
            expected_from_sales=None,
            opened_by_user=opened_by_user,
            station_status_pending=station_status_pending,
        )
        record = SessionRecord(
            id=shift.id, **defaults, held_by_till=False, unsynced=0, in_conflict=False
        )
        SessionRecord.objects.bulk_create([record])
        daily_totals_add(record.__dict__)
    return record


def _columns(
    shift: Session,
    report: ClosingReport | None,
    *,
    indexed: dict[str, Any] | None,
    outlet_id: str | None,
    expected_from_sales: SalesFigures | None,
    opened_by_user: User | None,
    station_status_pending: str | None,
) -> dict[str, Any]:
    """The index row's columns from Final POS's answer, but for the ledger's."""
    policy = outlet_policy(outlet_id)
    money = drawer_money(outlet_id, _shift_currency(indexed, report, outlet_id))
    figures = index_figures(shift, report, expected_from_sales, policy, money)
    defaults = index_columns(shift, report, figures, policy, money)
    if outlet_id:
        defaults["outlet_id"] = outlet_id
    if opened_by_user is not None:
        defaults["opened_by_user"] = opened_by_user
    if expected_from_sales is not None and expected_from_sales.sales is not None:
        defaults["till_sales"] = expected_from_sales.sales.to_document()
    if station_status_pending is not None:
        defaults["station_status_pending"] = station_status_pending
        defaults["station_status_error"] = ""
    return defaults


def index_note_error(record: SessionRecord, error: FinalPOSError) -> None:
    SessionRecord.objects.filter(pk=record.pk).update(last_error=error.stored_message)


def index_note_missing(record: SessionRecord) -> bool:
    """Final POS answered "no such session". The first answer is noted; the shift is marked
    deleted only when it is still missing at a check SHIFT_GONE_AFTER later. Returns whether
    it is now marked deleted."""
    now = timezone.now()
    first_seen = (
        SessionRecord.objects.filter(pk=record.pk).values_list("missing_since", flat=True).first()
    )
    if first_seen is None:
        SessionRecord.objects.filter(pk=record.pk).update(missing_since=now)
        return False
    if now - first_seen < settings.SHIFT_GONE_AFTER:
        return False
    with transaction.atomic():
        SessionRecord.objects.filter(pk=record.pk, deleted_at__isnull=True).update(
            deleted_at=now, last_error="Final POS no longer has this shift."
        )
        daily_totals_update(days_of([record.pk]))
    return True


def sales_read(
    session_id: str, *, client: FinalPOSClient, money: DrawerMoney
) -> SalesSummary | None:
    """The shift's sales and refunds so far in the drawer's currency, with their cash rounding,
    or None when they cannot be read. An open circuit raises: nothing was called, and nothing
    else will work either."""
    try:
        transactions = client.transaction_list(session_id)
    except FinalPOSCircuitOpen:
        raise
    except FinalPOSError as error:
        logger.warning("Transactions of %s unreadable: %s", session_id, error.message)
        return None
    return sales_summary(transactions, money=money)


def sales_expected(
    *, session_id: str, opening_amount: Decimal, client: FinalPOSClient, money: DrawerMoney
) -> SalesFigures | None:
    """Expected amounts from the shift's sales, for a shift a till closed: its report is the
    till's, so the cash moved is what the dashboard recorded on it."""
    sales = sales_read(session_id, client=client, money=money)
    if sales is None:
        return None
    expected = expected_from(
        sales,
        opening_amount=opening_amount,
        movements=movements_with_ours(None, session_id),
        currency=money.currency,
    )
    return SalesFigures(expected=expected, rounding=sales.rounding, sales=sales)


def _expected_if_till_closed(
    record: SessionRecord | None, shift: Session, client: FinalPOSClient
) -> SalesFigures | None:
    """A shift a till closed gets its figures from its sales once, when it is first seen
    closed (or changed since)."""
    report = parse(shift.closing_report_data)
    if shift.is_open or (report is not None and report.is_ours):
        return None
    unchanged = (
        record is not None
        and record.expected
        and record.till_sales is not None  # a row indexed before the sales were kept gets them
        and record.upstream_updated_at == shift.updated_at
    )
    if unchanged:
        return None
    outlet_id = (
        Station.objects.filter(id=shift.station_id).values_list("outlet_id", flat=True).first()
    )
    return sales_expected(
        session_id=shift.id,
        opening_amount=shift.opening_amount,
        client=client,
        money=drawer_money(
            outlet_id or (record.outlet_id if record else None), record.currency if record else ""
        ),
    )


def shift_refresh(
    record: SessionRecord, *, client: FinalPOSClient | None = None, note_missing: bool = True
) -> SessionRecord:
    """Re-reads one shift from Final POS into the index. While someone is writing to the
    shift, their write refreshes it: this one returns the copy as it is. ``note_missing``
    False leaves a "no such session" answer to the caller (a pass that judges them all)."""
    client = client or get_client()
    try:
        with shift_write_lock(record.id, holder="refresh", wait=REFRESH_WAIT):
            try:
                shift = client.session_get(record.id)
            except FinalPOSNotFound:
                if note_missing:
                    index_note_missing(record)
                raise
            except FinalPOSError as error:
                index_note_error(record, error)
                raise
            expected = _expected_if_till_closed(record, shift, client)
            return shift_index_save(shift, expected_from_sales=expected)
    except ShiftBusy:
        record.refresh_from_db()
        return record


def shift_fetch(*, session_id: str, client: FinalPOSClient | None = None) -> SessionRecord:
    """Reads a session Final POS knows into the index by its id."""
    client = client or get_client()
    shift = client.session_get(session_id)
    record = SessionRecord.objects.filter(id=session_id).first()
    expected = _expected_if_till_closed(record, shift, client)
    return shift_index_save(shift, expected_from_sales=expected)
