"""Operations that change state: call Final POS first, then update the local copy briefly.

No database transaction is ever held open across a network call.
"""

import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from sessions_app import closing, notifications
from sessions_app.cash import cash_drop_plan, target_float_for
from sessions_app.finalpos import (
    FinalPOSCircuitOpen,
    FinalPOSClient,
    FinalPOSError,
    FinalPOSNotFound,
    FinalPOSUnavailable,
    get_client,
    records,
)
from sessions_app.finalpos.records import Session, SessionInput, StationStatus, time_to_wire
from sessions_app.models import (
    AuditEntry,
    Outlet,
    OutletAssignment,
    SessionNumberSequence,
    SessionRecord,
    Station,
    StationClaim,
    SyncState,
)
from sessions_app.roles import display_name

logger = logging.getLogger(__name__)

CATALOG = "catalog"


@dataclass(frozen=True)
class CatalogRefreshResult:
    outlets: int
    stations: int


def catalog_refresh(*, client: FinalPOSClient | None = None) -> CatalogRefreshResult:
    """Re-reads every outlet and station from Final POS into the local cache."""
    client = client or get_client()
    attempted_at = timezone.now()
    try:
        outlets = client.outlet_list()
        stations = client.station_list()
    except FinalPOSError as error:
        SyncState.objects.update_or_create(
            name=CATALOG, defaults={"last_attempt_at": attempted_at, "last_error": error.message}
        )
        raise
    fetched_at = timezone.now()
    with transaction.atomic():
        for outlet in outlets:
            _outlet_cache_save(outlet, fetched_at=fetched_at)
        Outlet.objects.exclude(id__in=[outlet.id for outlet in outlets]).delete()
        for station in stations:
            _station_cache_save(station, fetched_at=fetched_at)
        Station.objects.exclude(id__in=[station.id for station in stations]).delete()
        SyncState.objects.update_or_create(
            name=CATALOG,
            defaults={
                "last_attempt_at": attempted_at,
                "last_success_at": fetched_at,
                "last_error": "",
            },
        )
    logger.info("Catalog refreshed: %d outlets, %d stations", len(outlets), len(stations))
    return CatalogRefreshResult(outlets=len(outlets), stations=len(stations))


def _outlet_cache_save(outlet: records.Outlet, *, fetched_at: datetime) -> Outlet:
    cached, _created = Outlet.objects.update_or_create(
        id=outlet.id,
        defaults={
            "name": outlet.name,
            "address": outlet.address,
            "address2": outlet.address2,
            "city": outlet.city,
            "state": outlet.state,
            "country": outlet.country,
            "post_code": outlet.post_code,
            "phone": outlet.phone,
            "alias": outlet.alias,
            "fetched_at": fetched_at,
        },
    )
    return cached


def _station_cache_save(station: records.Station, *, fetched_at: datetime) -> Station:
    cached, _created = Station.objects.update_or_create(
        id=station.id,
        defaults={
            "outlet_id": station.outlet_id,
            "name": station.name,
            "status": station.raw_status,
            "status_reported_at": station.updated_at,
            "fetched_at": fetched_at,
        },
    )
    return cached


# --- Shifts (Final POS sessions) ------------------------------------------------------------


class ShiftError(Exception):
    """A shift operation refused for a reason the person can act on; ``message`` says it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class StationBusy(ShiftError):
    """The till already has an open shift, or someone is opening one right now."""


class ShiftChanged(ShiftError):
    """Final POS has a newer version of the shift than the one the person was looking at."""


class ShiftAlreadyClosed(ShiftError):
    pass


class VarianceReasonRequired(ShiftError):
    pass


class ShiftNotReviewable(ShiftError):
    pass


CLAIM_TIMEOUT = timedelta(minutes=2)  # longer than any open can take with our timeouts
_SESSION_NUMBER = re.compile(r"S-(\d{4})-(\d+)")


def session_number_allocate(*, year: int) -> str:
    """The next S-<year>-<sequence> number; atomic across processes, never reused."""
    with transaction.atomic():
        SessionNumberSequence.objects.get_or_create(year=year)
        SessionNumberSequence.objects.filter(year=year).update(last=F("last") + 1)
        last = SessionNumberSequence.objects.get(year=year).last
    return f"S-{year}-{last:04d}"


def _session_number_note_used(session_number: str) -> None:
    """Keeps the sequence above every number seen, including ones made on a Final POS till."""
    match = _SESSION_NUMBER.fullmatch(session_number)
    if not match:
        return
    year, used = int(match[1]), int(match[2])
    SessionNumberSequence.objects.get_or_create(year=year, defaults={"last": used})
    SessionNumberSequence.objects.filter(year=year, last__lt=used).update(last=used)


def session_index_save(
    session: Session,
    *,
    opened_by_user: Any = None,
    station_status_pending: str | None = None,
) -> SessionRecord:
    """Writes the display copy of a session from Final POS's answer (the only writer)."""
    report = closing.report_load(session.closing_report_data)
    methods = (report or {}).get("methods") or {}
    expected = {
        key: str(amount)
        for key, line in methods.items()
        if isinstance(line, dict)
        and (amount := closing.report_amount(line.get("expected"))) is not None
    }
    if report is not None and "varianceTotal" in report:
        variance_total = closing.report_amount(report.get("varianceTotal"))
    else:
        variance_total = None
    outlet_id = (
        Station.objects.filter(id=session.station_id).values_list("outlet_id", flat=True).first()
    )
    defaults: dict[str, Any] = {
        "session_number": session.session_number,
        "station_id": session.station_id,
        "opened_by": session.opened_by,
        "open_time": session.open_time,
        "business_date": session.open_time.astimezone(ZoneInfo(settings.TIME_ZONE)).date(),
        "opening_amount": session.opening_amount,
        "opening_note": session.opening_note,
        "closed_by": session.closed_by or "",
        "close_time": session.close_time,
        "closing_amount": session.closing_amount,
        "closing_note": session.closing_note or "",
        "counted": {key: str(amount) for key, amount in session.closing_amounts.items()},
        "expected": expected,
        "variance_total": variance_total,
        "variance_abs": None if variance_total is None else abs(variance_total),
        "result": closing.variance_label(variance_total),
        "review_state": closing.review_state(report),
        "report": report,
        "upstream_updated_at": session.updated_at,
        "fetched_at": timezone.now(),
        "last_error": "",
        "deleted_at": None,
    }
    if outlet_id:
        defaults["outlet_id"] = outlet_id
    if opened_by_user is not None:
        defaults["opened_by_user"] = opened_by_user
    if station_status_pending is not None:
        defaults["station_status_pending"] = station_status_pending
        defaults["station_status_error"] = ""
    with transaction.atomic():
        record, _created = SessionRecord.objects.update_or_create(id=session.id, defaults=defaults)
        _session_number_note_used(session.session_number)
    return record


def _index_note_error(record: SessionRecord, error: FinalPOSError) -> None:
    SessionRecord.objects.filter(pk=record.pk).update(last_error=error.message)


def _index_mark_deleted(record: SessionRecord) -> None:
    SessionRecord.objects.filter(pk=record.pk).update(
        deleted_at=timezone.now(), last_error="Final POS no longer has this shift."
    )


@dataclass(frozen=True)
class ShiftWriteResult:
    record: SessionRecord
    station_status_error: str = ""
    already_done: bool = False


def _session_open(
    *,
    station: Station,
    opened_by_user: Any,
    opening_amount: Decimal,
    opening_note: str = "",
    cash_count: dict[Decimal, int] | None = None,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Opens a shift on a till: checks no shift is open there, creates the session in Final
    POS, indexes it, then marks the station IN_USE (best effort)."""
    client = client or get_client()
    opener = display_name(opened_by_user)
    now = timezone.now()
    StationClaim.objects.filter(station_id=station.id, claimed_at__lt=now - CLAIM_TIMEOUT).delete()
    try:
        with transaction.atomic():
            StationClaim.objects.create(station_id=station.id, claimed_at=now, claimed_by=opener)
    except IntegrityError:
        claim = StationClaim.objects.filter(station_id=station.id).first()
        who = claim.claimed_by if claim else _("Someone")
        raise StationBusy(
            _("%(who)s is opening a shift on %(till)s right now.")
            % {"who": who, "till": station.name}
        ) from None
    try:
        _ensure_no_open_shift(station, client=client)
        notes = [f"Opening count: {_count_text(cash_count)}"] if cash_count else []
        created = client.session_create(
            SessionInput(
                station_id=station.id,
                session_number=session_number_allocate(year=_business_zone_year(now)),
                opened_by=opener,
                open_time=now,
                opening_amount=opening_amount,
                notes=notes,
                closing_amounts={},
                opening_note=opening_note,
            )
        )
        try:
            record = session_index_save(
                created, opened_by_user=opened_by_user, station_status_pending=StationStatus.IN_USE
            )
        except IntegrityError:
            # Another shift on this till reached the index meanwhile (a refresh importing
            # one opened on the till itself): undo ours rather than leave two open shifts.
            _session_delete_quietly(created.id, client=client)
            raise StationBusy(
                _("%(till)s already has an open shift.") % {"till": station.name}
            ) from None
    finally:
        StationClaim.objects.filter(station_id=station.id).delete()
    logger.info("Shift %s opened on station %s by %s", created.id, station.id, opener)
    return ShiftWriteResult(record=record, station_status_error=station_status_push(record, client))


def _business_zone_year(moment: datetime) -> int:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).year


def _count_text(cash_count: dict[Decimal, int]) -> str:
    return ", ".join(f"{quantity} x {value}" for value, quantity in cash_count.items() if quantity)


def _open_shift_on(station: Station, *, client: FinalPOSClient) -> Session | None:
    """The shift open on this till, if any. Final POS cannot list sessions, so each shift the
    index thinks is open here is re-read: one closed or deleted on the till no longer counts."""
    for record in SessionRecord.objects.filter(
        station_id=station.id, close_time__isnull=True, deleted_at__isnull=True
    ):
        try:
            current = client.session_get(record.id)
        except FinalPOSNotFound:
            _index_mark_deleted(record)
            continue
        session_index_save(current)
        if current.is_open:
            return current
    return None


def _ensure_no_open_shift(station: Station, *, client: FinalPOSClient) -> None:
    current = _open_shift_on(station, client=client)
    if current is not None:
        raise StationBusy(
            _(
                "%(till)s already has an open shift (%(number)s), opened by %(cashier)s at "
                "%(time)s. Close it before opening a new one."
            )
            % {
                "till": station.name,
                "number": current.session_number,
                "cashier": current.opened_by,
                "time": time_format(timezone.localtime(current.open_time)),
            }
        )


def _session_delete_quietly(session_id: str, *, client: FinalPOSClient) -> None:
    try:
        client.session_delete(session_id)
    except FinalPOSError:
        logger.exception(
            "Could not delete duplicate session %s; delete it in Final POS", session_id
        )


def station_status_push(record: SessionRecord, client: FinalPOSClient | None = None) -> str:
    """Writes the station status the shift calls for (IN_USE or AVAILABLE). Best effort:
    returns the error message, keeps it on the record and leaves it pending for a retry."""
    desired = record.station_status_pending
    if not desired:
        return ""
    client = client or get_client()
    try:
        station = client.station_get(record.station_id)
        if station.raw_status != desired:
            station = client.station_update(
                record.station_id, replace(station.to_input(), status=StationStatus(desired))
            )
    except FinalPOSError as error:
        logger.warning("Station %s status not updated: %s", record.station_id, error.message)
        SessionRecord.objects.filter(pk=record.pk).update(station_status_error=error.message)
        record.station_status_error = error.message
        return error.message
    Station.objects.filter(id=station.id).update(
        status=station.raw_status, status_reported_at=station.updated_at
    )
    SessionRecord.objects.filter(pk=record.pk).update(
        station_status_pending="", station_status_error=""
    )
    record.station_status_pending = record.station_status_error = ""
    return ""


def session_refresh(
    record: SessionRecord, *, client: FinalPOSClient | None = None
) -> SessionRecord:
    """Re-reads one shift from Final POS into the index."""
    client = client or get_client()
    try:
        session = client.session_get(record.id)
    except FinalPOSNotFound:
        _index_mark_deleted(record)
        raise
    except FinalPOSError as error:
        _index_note_error(record, error)
        raise
    return session_index_save(session)


def _read_current(record: SessionRecord, client: FinalPOSClient) -> Session:
    try:
        return client.session_get(record.id)
    except FinalPOSNotFound:
        _index_mark_deleted(record)
        raise


def _refuse_if_changed(record: SessionRecord, current: Session, seen: datetime | None) -> None:
    if seen is not None and current.updated_at is not None and current.updated_at != seen:
        session_index_save(current)
        raise ShiftChanged(
            _(
                "This shift was changed in Final POS while you were working on it. "
                "The page now shows the latest version; check it and submit again."
            )
        )


def _session_close(
    *,
    record: SessionRecord,
    closed_by_user: Any,
    counted: dict[str, Decimal],
    closing_note: str = "",
    variance_reason: str = "",
    cash_count: dict[Decimal, int] | None = None,
    seen_updated_at: datetime | None,
    close_request_id: str,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Closes a shift with one whole-record PUT carrying the counts and the closing report.

    Safe to repeat: a close that already reached Final POS (same close_request_id) is
    recognized and indexed, not written twice."""
    client = client or get_client()
    current = _read_current(record, client)
    if not current.is_open:
        return _close_already_done(current, close_request_id)
    _refuse_if_changed(record, current, seen_updated_at)

    expected = _expected_or_none(record, current, client)
    reconciliation = closing.reconcile(counted=counted, expected=expected)
    if reconciliation.reason_required and not variance_reason.strip():
        raise VarianceReasonRequired(
            _("The count is off by more than %(threshold)s %(currency)s: give a reason.")
            % {"threshold": settings.VARIANCE_REASON_THRESHOLD, "currency": settings.CURRENCY}
        )
    counted_cash = counted.get("cash", Decimal(0))
    drop = cash_drop_plan(
        counted_cash=counted_cash,
        target_float=target_float_for(record.outlet_id),
        counts=cash_count,
    )
    report = closing.report_build(
        reconciliation=reconciliation,
        variance_reason=variance_reason.strip(),
        cash_count=cash_count,
        cash_drop=drop.to_report(),
        close_request_id=close_request_id,
    )
    earlier = closing.report_load(current.closing_report_data) or {}
    if earlier.get("reopenings"):
        report["reopenings"] = earlier["reopenings"]
    data = replace(
        current.to_input(),
        closed_by=display_name(closed_by_user),
        close_time=timezone.now(),
        closing_amount=counted_cash,
        closing_amounts={
            method.key: counted.get(method.key, Decimal(0)) for method in closing.payment_methods()
        },
        closing_note=closing_note,
        closing_report_data=closing.report_dump(report),
    )
    try:
        updated = client.session_update(record.id, data)
    except FinalPOSUnavailable:
        # The PUT may have landed before the answer was lost; look before saying it failed.
        updated = _landed_close(record, close_request_id, client)
        if updated is None:
            raise
    saved = session_index_save(updated, station_status_pending=StationStatus.AVAILABLE)
    logger.info("Shift %s closed by %s", record.id, data.closed_by)
    if saved.needs_review:
        notifications.review_alert_send(saved)
    return ShiftWriteResult(record=saved, station_status_error=station_status_push(saved, client))


def _close_already_done(current: Session, close_request_id: str) -> ShiftWriteResult:
    report = closing.report_load(current.closing_report_data) or {}
    if report.get("closeRequestId") == close_request_id:
        saved = session_index_save(current)
        return ShiftWriteResult(record=saved, already_done=True)
    session_index_save(current)
    raise ShiftAlreadyClosed(
        _("This shift was already closed by %(cashier)s at %(time)s.")
        % {
            "cashier": current.closed_by or _("someone"),
            "time": date_format(timezone.localtime(current.close_time), "SHORT_DATETIME_FORMAT"),
        }
    )


def _landed_close(record: SessionRecord, close_request_id: str, client: FinalPOSClient):
    try:
        current = client.session_get(record.id)
    except FinalPOSError:
        return None
    report = closing.report_load(current.closing_report_data) or {}
    if not current.is_open and report.get("closeRequestId") == close_request_id:
        return current
    return None


def _expected_or_none(
    record: SessionRecord, current: Session, client: FinalPOSClient
) -> dict[str, Decimal] | None:
    try:
        transactions = client.transaction_list(record.id)
    except FinalPOSCircuitOpen:
        raise
    except FinalPOSError as error:
        logger.warning("Transactions of %s unreadable; closing without expected: %s", record.id,
                       error.message)  # fmt: skip
        return None
    return closing.expected_amounts(transactions, opening_amount=current.opening_amount)


def session_expected(
    record: SessionRecord, *, client: FinalPOSClient | None = None
) -> dict[str, Decimal] | None:
    """Expected amounts for a shift now, or None when its transactions cannot be read."""
    client = client or get_client()
    try:
        transactions = client.transaction_list(record.id)
    except FinalPOSError:
        return None
    return closing.expected_amounts(transactions, opening_amount=record.opening_amount)


def _session_approve(
    *,
    record: SessionRecord,
    approved_by_user: Any,
    comment: str,
    seen_updated_at: datetime | None,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """A manager signs off a shift that needed review; written into the closing report."""
    client = client or get_client()
    current = _read_current(record, client)
    report = closing.report_load(current.closing_report_data)
    state = closing.review_state(report)
    if state == closing.REVIEW_APPROVED:
        session_index_save(current)
        raise ShiftNotReviewable(
            _("Already approved by %(manager)s.") % {"manager": report["review"].get("approvedBy")}
        )
    if state != closing.REVIEW_REQUIRED or report is None:
        session_index_save(current)
        raise ShiftNotReviewable(_("This shift does not need a manager's approval."))
    _refuse_if_changed(record, current, seen_updated_at)
    approved_at = timezone.now()
    report["review"] = {
        **report["review"],
        "approvedBy": display_name(approved_by_user),
        "approvedAt": time_to_wire(approved_at),
        "comment": comment.strip(),
    }
    data = replace(current.to_input(), closing_report_data=closing.report_dump(report))
    updated = client.session_update(record.id, data)
    logger.info("Shift %s approved by %s", record.id, display_name(approved_by_user))
    return ShiftWriteResult(record=session_index_save(updated))


class ShiftNotCorrectable(ShiftError):
    pass


def _closed_shift_to_fix(
    record: SessionRecord,
    client: FinalPOSClient,
    *,
    reason: str,
    seen_updated_at: datetime | None,
    if_no_reason: str,
    if_open: str,
) -> Session:
    """The shift as Final POS has it now, if a manager may fix it: a reason given, the shift
    closed, and no one else's change since the page was shown."""
    if not reason:
        raise ShiftNotCorrectable(if_no_reason)
    current = _read_current(record, client)
    if current.is_open:
        session_index_save(current)
        raise ShiftNotCorrectable(if_open)
    _refuse_if_changed(record, current, seen_updated_at)
    return current


def _session_correct(
    *,
    record: SessionRecord,
    corrected_by_user: Any,
    counted: dict[str, Decimal],
    closing_note: str,
    reason: str,
    seen_updated_at: datetime | None,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """A manager corrects the counted amounts or the note of a closed shift (one whole-record
    PUT). The figures replaced are kept in the report's ``corrections`` with who, when, why."""
    client = client or get_client()
    reason = reason.strip()
    current = _closed_shift_to_fix(
        record, client, reason=reason, seen_updated_at=seen_updated_at,
        if_no_reason=_("Say why the shift is being corrected."),
        if_open=_("This shift is still open: close it instead of correcting it."),
    )  # fmt: skip
    methods = closing.payment_methods()
    before_amounts = {m.key: current.closing_amounts.get(m.key, Decimal(0)) for m in methods}
    after_amounts = {m.key: counted.get(m.key, Decimal(0)) for m in methods}
    before_note = current.closing_note or ""
    if after_amounts == before_amounts and closing_note == before_note:
        raise ShiftNotCorrectable(
            _("Nothing was changed: the amounts and the note are as they were.")
        )

    report = closing.report_load(current.closing_report_data)
    expected = (
        closing.report_expected(report)
        if report is not None
        else _expected_or_none(record, current, client)
    )
    reconciliation = closing.reconcile(counted=after_amounts, expected=expected)
    cash_changed = after_amounts["cash"] != before_amounts["cash"]
    correction = {
        "at": time_to_wire(timezone.now()),
        "by": display_name(corrected_by_user),
        "reason": reason,
        "before": {
            "closingAmounts": {key: str(amount) for key, amount in before_amounts.items()},
            "closingNote": before_note,
            "varianceTotal": (report or {}).get("varianceTotal"),
            "cashCount": (report or {}).get("cashCount") if cash_changed else None,
        },
        "after": {
            "closingAmounts": {key: str(amount) for key, amount in after_amounts.items()},
            "closingNote": closing_note,
            "varianceTotal": closing.money_text(reconciliation.variance_total),
        },
    }
    drop = cash_drop_plan(
        counted_cash=after_amounts["cash"], target_float=target_float_for(record.outlet_id)
    )
    corrected = closing.report_correct(
        report,
        reconciliation=reconciliation,
        correction=correction,
        cash_drop=drop.to_report(),
        cash_changed=cash_changed,
    )
    data = replace(
        current.to_input(),
        closing_amount=after_amounts["cash"],
        closing_amounts=after_amounts,
        closing_note=closing_note,
        closing_report_data=closing.report_dump(corrected),
    )
    updated = client.session_update(record.id, data)
    logger.info("Shift %s corrected by %s", record.id, correction["by"])
    saved = session_index_save(updated)
    if saved.needs_review and not record.needs_review:
        notifications.review_alert_send(saved)
    return ShiftWriteResult(record=saved)


def _session_reopen(
    *,
    record: SessionRecord,
    reopened_by_user: Any,
    reason: str,
    seen_updated_at: datetime | None,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """Reopens a closed shift so it can be counted again; the close it undoes is kept in the
    report's ``reopenings``. Refused while another shift is open on the same till."""
    client = client or get_client()
    reason = reason.strip()
    current = _closed_shift_to_fix(
        record, client, reason=reason, seen_updated_at=seen_updated_at,
        if_no_reason=_("Say why the shift is being reopened."),
        if_open=_("This shift is already open."),
    )  # fmt: skip
    station = Station.objects.filter(id=current.station_id).first()
    if station is not None:
        _ensure_no_open_shift(station, client=client)
    earlier = closing.report_load(current.closing_report_data) or {}
    reopening = {
        "at": time_to_wire(timezone.now()),
        "by": display_name(reopened_by_user),
        "reason": reason,
        "previousClose": {
            "closedBy": current.closed_by,
            "closeTime": time_to_wire(current.close_time) if current.close_time else None,
            "closingAmounts": {k: str(v) for k, v in current.closing_amounts.items()},
            "closingNote": current.closing_note or "",
            "report": {key: value for key, value in earlier.items() if key != "reopenings"},
        },
    }
    data = replace(
        current.to_input(),
        closed_by=None,
        close_time=None,
        closing_amount=None,
        closing_amounts={},
        closing_note=None,
        closing_report_data=closing.report_dump(
            closing.report_reopened(earlier, reopening=reopening)
        ),
    )
    updated = client.session_update(record.id, data)
    try:
        saved = session_index_save(updated, station_status_pending=StationStatus.IN_USE)
    except IntegrityError:
        raise StationBusy(
            _(
                "Reopened in Final POS, but another shift was opened on this till meanwhile: "
                "close one of them."
            )
        ) from None
    logger.info("Shift %s reopened by %s", record.id, reopening["by"])
    return ShiftWriteResult(record=saved, station_status_error=station_status_push(saved, client))


def _session_delete(
    *, record: SessionRecord, client: FinalPOSClient | None = None
) -> ShiftWriteResult:
    """Deletes a shift in Final POS and leaves a tombstone in the index (the row stays, marked
    deleted, so history and the audit trail still explain it)."""
    client = client or get_client()
    with contextlib.suppress(FinalPOSNotFound):  # gone upstream already: write the tombstone
        client.session_delete(record.id)
    was_open = record.is_open
    SessionRecord.objects.filter(pk=record.pk).update(
        deleted_at=timezone.now(),
        last_error="",
        station_status_pending=StationStatus.AVAILABLE if was_open else "",
    )
    record.refresh_from_db()
    logger.info("Shift %s deleted", record.id)
    error = station_status_push(record, client) if was_open else ""
    return ShiftWriteResult(record=record, station_status_error=error)


def session_import(*, session_id: str, client: FinalPOSClient | None = None) -> SessionRecord:
    """Brings a session Final POS knows into the index by its id."""
    client = client or get_client()
    return session_index_save(client.session_get(session_id))


SESSIONS = "sessions"


@dataclass(frozen=True)
class SessionsRefreshResult:
    refreshed: int
    gone: int
    failed: int
    station_statuses_fixed: int


def sessions_refresh(
    *, recent: timedelta = timedelta(hours=48), client: FinalPOSClient | None = None
) -> SessionsRefreshResult:
    """Re-reads the open and recently closed shifts, and retries pending till statuses.

    Stops early when Final POS is down (the circuit opens) rather than failing every row."""
    client = client or get_client()
    attempted_at = timezone.now()
    records = SessionRecord.objects.filter(deleted_at__isnull=True).filter(
        models.Q(close_time__isnull=True) | models.Q(close_time__gte=attempted_at - recent)
    )
    refreshed = gone = failed = fixed = 0
    last_error = ""
    for record in records.iterator():
        try:
            session_refresh(record, client=client)
            refreshed += 1
        except FinalPOSNotFound:
            gone += 1
        except FinalPOSError as error:
            failed += 1
            last_error = error.message
            if isinstance(error, FinalPOSCircuitOpen):
                break
    for record in SessionRecord.objects.exclude(station_status_pending="").filter(
        deleted_at__isnull=True
    ):
        if not station_status_push(record, client):
            fixed += 1
    SyncState.objects.update_or_create(
        name=SESSIONS,
        defaults={"last_attempt_at": attempted_at, "last_error": last_error}
        | ({} if failed else {"last_success_at": timezone.now()}),
    )
    return SessionsRefreshResult(
        refreshed=refreshed, gone=gone, failed=failed, station_statuses_fixed=fixed
    )


# --- Audit trail ------------------------------------------------------------------------------


def record_snapshot(record: SessionRecord | None) -> dict[str, Any] | None:
    """The display fields of a shift worth comparing before and after a write."""
    if record is None:
        return None
    return {
        "session_number": record.session_number,
        "opening_amount": str(record.opening_amount),
        "close_time": record.close_time.isoformat() if record.close_time else None,
        "closed_by": record.closed_by,
        "closing_amount": None if record.closing_amount is None else str(record.closing_amount),
        "counted": record.counted,
        "closing_note": record.closing_note,
        "variance_total": None if record.variance_total is None else str(record.variance_total),
        "review_state": record.review_state,
        "deleted_at": record.deleted_at.isoformat() if record.deleted_at else None,
    }


def audit_write(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: str = "",
    outlet_id: str = "",
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
    error: FinalPOSError | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=display_name(actor) if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        outlet_id=outlet_id,
        summary=summary[:300],
        before=before,
        after=after,
        accepted=error is None,
        error=error.message if error else "",
    )


def _audited_shift_write(
    *,
    actor: Any,
    action: str,
    record: SessionRecord | None,
    outlet_id: str,
    summary: str,
    write: Callable[[], ShiftWriteResult],
) -> ShiftWriteResult:
    before = record_snapshot(record)
    try:
        result = write()
    except FinalPOSError as error:
        audit_write(
            actor=actor, action=action, object_type="session",
            object_id=record.id if record else "", outlet_id=outlet_id, summary=summary,
            before=before, error=error,
        )  # fmt: skip
        raise
    if not result.already_done:
        audit_write(
            actor=actor, action=action, object_type="session", object_id=result.record.id,
            outlet_id=result.record.outlet_id or outlet_id, summary=summary, before=before,
            after=record_snapshot(result.record),
        )  # fmt: skip
    return result


def session_open(*, station: Station, opened_by_user: Any, **kwargs: Any) -> ShiftWriteResult:
    """Opens a shift (see _session_open) and records the attempt in the audit trail."""
    return _audited_shift_write(
        actor=opened_by_user,
        action="open",
        record=None,
        outlet_id=station.outlet_id,
        summary=f"Opened a shift on {station.name} with a float of {kwargs.get('opening_amount')}",
        write=lambda: _session_open(station=station, opened_by_user=opened_by_user, **kwargs),
    )


def session_close(*, record: SessionRecord, closed_by_user: Any, **kwargs: Any):
    """Closes a shift (see _session_close) and records the attempt in the audit trail."""
    return _audited_shift_write(
        actor=closed_by_user,
        action="close",
        record=record,
        outlet_id=record.outlet_id,
        summary=f"Closed {record.session_number}",
        write=lambda: _session_close(record=record, closed_by_user=closed_by_user, **kwargs),
    )


def session_approve(*, record: SessionRecord, approved_by_user: Any, **kwargs: Any):
    """Approves a shift (see _session_approve) and records the attempt in the audit trail."""
    return _audited_shift_write(
        actor=approved_by_user,
        action="approve",
        record=record,
        outlet_id=record.outlet_id,
        summary=f"Approved {record.session_number}: {kwargs.get('comment', '')}",
        write=lambda: _session_approve(record=record, approved_by_user=approved_by_user, **kwargs),
    )


def session_correct(*, record: SessionRecord, corrected_by_user: Any, **kwargs: Any):
    """Corrects a closed shift (see _session_correct) and records it in the audit trail."""
    return _audited_shift_write(
        actor=corrected_by_user,
        action="correct",
        record=record,
        outlet_id=record.outlet_id,
        summary=f"Corrected {record.session_number}: {kwargs.get('reason', '')}",
        write=lambda: _session_correct(
            record=record, corrected_by_user=corrected_by_user, **kwargs
        ),
    )


def session_reopen(*, record: SessionRecord, reopened_by_user: Any, **kwargs: Any):
    """Reopens a closed shift (see _session_reopen) and records it in the audit trail."""
    return _audited_shift_write(
        actor=reopened_by_user,
        action="reopen",
        record=record,
        outlet_id=record.outlet_id,
        summary=f"Reopened {record.session_number}: {kwargs.get('reason', '')}",
        write=lambda: _session_reopen(record=record, reopened_by_user=reopened_by_user, **kwargs),
    )


def session_delete(*, record: SessionRecord, deleted_by_user: Any, reason: str):
    """Deletes a shift (see _session_delete) and records it, with the reason, in the audit
    trail."""
    return _audited_shift_write(
        actor=deleted_by_user,
        action="delete",
        record=record,
        outlet_id=record.outlet_id,
        summary=f"Deleted {record.session_number}: {reason.strip()}",
        write=lambda: _session_delete(record=record),
    )


class ShiftNotAllowed(ShiftError):
    pass


def session_add_by_id(*, session_id: str, added_by_user: Any, allowed_outlet_ids=None):
    """Brings a shift opened on a Final POS till into the index, if it is on one of the
    manager's tills (allowed_outlet_ids None means every outlet)."""
    client = get_client()
    try:
        session = client.session_get(session_id)
    except FinalPOSError as error:
        audit_write(actor=added_by_user, action="import", object_type="session",
                    object_id=session_id, summary="Added a shift by id", error=error)  # fmt: skip
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
        raise ShiftNotAllowed(_("That shift is at an outlet you do not manage."))
    record = session_index_save(session)
    audit_write(
        actor=added_by_user, action="import", object_type="session", object_id=record.id,
        outlet_id=outlet_id, summary=f"Added {record.session_number} to the history by id",
        after=record_snapshot(record),
    )  # fmt: skip
    return record


# --- Setup: outlets and stations ------------------------------------------------------------


class StationInUse(ShiftError):
    """A till with an open shift cannot be deleted."""


def _audited_setup_write(
    *,
    actor: Any,
    object_type: str,
    object_id: str,
    outlet_id: str,
    summary: str,
    before: dict | None,
    write: Callable[[], tuple[Any, dict]],
) -> Any:
    """Runs a setup write and logs it (with the values after it, or the error)."""
    try:
        result, after = write()
    except FinalPOSError as error:
        audit_write(actor=actor, action="setup", object_type=object_type, object_id=object_id,
                    outlet_id=outlet_id, summary=summary, before=before, error=error)  # fmt: skip
        raise
    audit_write(
        actor=actor, action="setup", object_type=object_type,
        object_id=object_id or getattr(result, "id", ""),
        outlet_id=outlet_id or getattr(result, "outlet_id", "") or getattr(result, "id", ""),
        summary=summary, before=before, after=after,
    )  # fmt: skip
    return result


def outlet_create(*, data: records.OutletInput, created_by_user: Any) -> Outlet:
    """Creates an outlet in Final POS and caches it; a manager who creates one works there."""

    def write() -> tuple[Outlet, dict]:
        created = get_client().outlet_create(data)
        cached = _outlet_cache_save(created, fetched_at=timezone.now())
        if not created_by_user.is_superuser:
            OutletAssignment.objects.get_or_create(user=created_by_user, outlet_id=created.id)
        return cached, created.to_input().to_wire()

    return _audited_setup_write(
        actor=created_by_user, object_type="outlet", object_id="", outlet_id="",
        summary=f"Created outlet {data.name}", before=None, write=write,
    )  # fmt: skip


def outlet_update(*, outlet: Outlet, changes: dict[str, str], updated_by_user: Any) -> Outlet:
    """Edits an outlet's details: reads it, changes the given fields, writes the whole record
    back (fields the dashboard does not edit go back as read)."""
    client = get_client()
    current = client.outlet_get(outlet.id)
    before = current.to_input().to_wire()

    def write() -> tuple[Outlet, dict]:
        updated = client.outlet_update(outlet.id, replace(current.to_input(), **changes))
        return _outlet_cache_save(updated, fetched_at=timezone.now()), updated.to_input().to_wire()

    return _audited_setup_write(
        actor=updated_by_user, object_type="outlet", object_id=outlet.id, outlet_id=outlet.id,
        summary=f"Edited outlet {changes.get('name', outlet.name)}", before=before, write=write,
    )  # fmt: skip


def station_create(*, outlet: Outlet, name: str, created_by_user: Any) -> Station:
    def write() -> tuple[Station, dict]:
        created = get_client().station_create(records.StationInput(name=name, outlet_id=outlet.id))
        return _station_cache_save(created, fetched_at=timezone.now()), {"name": created.name}

    return _audited_setup_write(
        actor=created_by_user, object_type="station", object_id="", outlet_id=outlet.id,
        summary=f"Added till {name} to {outlet.name}", before=None, write=write,
    )  # fmt: skip


def station_rename(*, station: Station, name: str, renamed_by_user: Any) -> Station:
    client = get_client()

    def write() -> tuple[Station, dict]:
        current = client.station_get(station.id)
        updated = client.station_update(station.id, replace(current.to_input(), name=name))
        return _station_cache_save(updated, fetched_at=timezone.now()), {"name": updated.name}

    return _audited_setup_write(
        actor=renamed_by_user, object_type="station", object_id=station.id,
        outlet_id=station.outlet_id, summary=f"Renamed till {station.name} to {name}",
        before={"name": station.name}, write=write,
    )  # fmt: skip


def station_delete(*, station: Station, deleted_by_user: Any) -> None:
    """Deletes a till in Final POS, unless a shift is open on it (checked upstream)."""
    client = get_client()
    open_shift = _open_shift_on(station, client=client)
    if open_shift is not None:
        raise StationInUse(
            _(
                "%(till)s has an open shift (%(number)s, opened by %(cashier)s). Close it "
                "before deleting the till."
            )
            % {
                "till": station.name,
                "number": open_shift.session_number,
                "cashier": open_shift.opened_by,
            }
        )

    def write() -> tuple[None, dict]:
        with contextlib.suppress(FinalPOSNotFound):  # already gone: drop it from the cache
            client.station_delete(station.id)
        Station.objects.filter(id=station.id).delete()
        return None, {"deleted": True}

    _audited_setup_write(
        actor=deleted_by_user, object_type="station", object_id=station.id,
        outlet_id=station.outlet_id, summary=f"Deleted till {station.name}",
        before={"name": station.name}, write=write,
    )  # fmt: skip
