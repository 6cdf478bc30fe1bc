"""What every write to a shift checks first, against Final POS as it is now: the shift still
exists, nobody changed it since it was shown, and no other shift is open on its till."""

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from sessions_app.closing.report import ClosingReport, parse
from sessions_app.dates import time_of_day, when
from sessions_app.finalpos import FinalPOSClient, FinalPOSNotFound
from sessions_app.finalpos.records import Session, SessionInput
from sessions_app.models import LedgerEntry, SessionRecord, Station
from sessions_app.roles import User
from sessions_app.selectors.ledger import WRITE_WORDS
from sessions_app.services.audit import AuditedWrite, audited_shift_write
from sessions_app.services.errors import (
    HeldByTill,
    ShiftChanged,
    ShiftNotCorrectable,
    TillBusy,
)
from sessions_app.services.index import index_note_missing, shift_index_save
from sessions_app.services.ledger import opened_here

REREAD_AFTER = 0.2  # seconds after a read past which a write reads the shift again first


@dataclass(frozen=True)
class ShiftWriteResult:
    record: SessionRecord
    station_status_error: str = ""
    already_done: bool = False


def read_current(record: SessionRecord, client: FinalPOSClient) -> Session:
    """The shift as Final POS has it now; one Final POS says is gone is noted as missing."""
    try:
        return client.session_get(record.id)
    except FinalPOSNotFound:
        index_note_missing(record)
        raise


def refuse_if_changed(current: Session, seen: datetime | None) -> None:
    """Refuses to write over a version the person did not see; the index gets the new one."""
    if seen is not None and current.updated_at is not None and current.updated_at != seen:
        shift_index_save(current)
        raise ShiftChanged(_changed_meanwhile(current))


def _changed_meanwhile(current: Session) -> str:
    """What changed the shift: when the version in Final POS now is one a write made here
    answered with (the ledger keeps it), that write and who made it, as another manager or
    another tab may have; else a change in Final POS."""
    ours = LedgerEntry.objects.filter(
        session_id=current.id, written_version=current.updated_at, written_at__isnull=False
    ).first()
    if ours is None or ours.written_at is None:  # None for mypy: the filter excludes it
        return _(
            "This shift was changed in Final POS while you were working on it. "
            "The page now shows the latest version; check it and submit again."
        )
    return _(
        "This shift was changed while you were working on it: %(what)s by %(who)s "
        "(%(when)s), made here. The page now shows the latest version; check it and "
        "submit again."
    ) % {
        "what": WRITE_WORDS.get(ours.kind, ours.kind),
        "who": ours.recorded_by,
        "when": when(ours.written_at),
    }


def guarded_update(client: FinalPOSClient, current: Session, data: SessionInput) -> Session:
    """The whole-record PUT of ``data``, built from ``current``. Final POS has no conditional
    write, so when more than a moment has passed since ``current`` was read (a slow read of
    the sales, say), the shift is read again right before the PUT: a till that wrote in between
    makes the write refuse rather than erase it."""
    if time.monotonic() - current.read_at > REREAD_AFTER:
        again = client.session_get(current.id)
        if again.updated_at != current.updated_at:
            shift_index_save(again)
            raise ShiftChanged(
                _(
                    "This shift was changed in Final POS while your change was being saved, "
                    "so nothing was written. The page now shows the latest version; check it "
                    "and submit again."
                )
            )
    return client.session_update(current.id, data)


def refuse_if_held_by_till(current: Session) -> None:
    """Never a whole-record write to a shift a till holds open: the till rewrites its record
    whole, so one of the two writes would erase the other."""
    if current.is_open and not opened_here(
        session_id=current.id, session_number=current.session_number
    ):
        raise HeldByTill(
            _(
                "This shift was opened on the till, and the till still has it open: close it "
                "on the till. Cash moved here is kept and added to it once the till has "
                "closed it. If the till is out of use, a manager can take the shift over."
            )
        )


def open_shift_on(
    till: Station, *, client: FinalPOSClient, indexed: Iterable[SessionRecord] | None = None
) -> Session | None:
    """The shift open on this till, if any. Final POS cannot list sessions, so each shift the
    index thinks is open here (``indexed``, when the caller has just read them) is re-read:
    one closed or deleted on the till no longer counts."""
    if indexed is None:
        indexed = SessionRecord.objects.filter(
            station_id=till.id, close_time__isnull=True, deleted_at__isnull=True
        )
    for record in indexed:
        try:
            current = client.session_get(record.id)
        except FinalPOSNotFound:
            index_note_missing(record)
            continue
        shift_index_save(current)
        if current.is_open:
            return current
    return None


def ensure_no_open_shift(
    till: Station,
    *,
    client: FinalPOSClient,
    reopening: bool = False,
    indexed: Iterable[SessionRecord] | None = None,
) -> None:
    current = open_shift_on(till, client=client, indexed=indexed)
    if current is not None:
        raise TillBusy(
            (
                _(
                    "%(till)s already has an open shift: %(number)s, opened by %(cashier)s "
                    "(%(time)s). Close it before reopening this one."
                )
                if reopening
                else _(
                    "%(till)s already has an open shift: %(number)s, opened by %(cashier)s "
                    "(%(time)s). Close it before opening a new one."
                )
            )
            % {
                "till": till.name,
                "number": current.session_number,
                "cashier": current.opened_by,
                "time": time_of_day(current.open_time),
            }
        )


def closed_shift_to_fix(
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
    current = read_current(record, client)
    if current.is_open:
        shift_index_save(current)
        raise ShiftNotCorrectable(if_open)
    refuse_if_changed(current, seen_updated_at)
    return current


@contextmanager
def audited_fix(
    *,
    record: SessionRecord,
    fixed_by_user: User,
    action: str,
    summary: str,
    reason: str,
    seen_updated_at: datetime | None,
    client: FinalPOSClient,
    if_no_reason: str,
    if_open: str,
) -> Iterator[tuple[AuditedWrite, Session]]:
    """A manager's fix of a closed shift (a correction, a reopening), audited with the shift's
    write lock held: yields the audit row and the shift as Final POS has it now, once
    closed_shift_to_fix has allowed the fix."""
    with audited_shift_write(
        actor=fixed_by_user,
        action=action,
        record=record,
        outlet_id=record.outlet_id,
        summary=summary,
    ) as audit:
        current = closed_shift_to_fix(
            record,
            client,
            reason=reason,
            seen_updated_at=seen_updated_at,
            if_no_reason=if_no_reason,
            if_open=if_open,
        )
        yield audit, current


def with_report(
    client: FinalPOSClient,
    record: SessionRecord,
    holds: Callable[[ClosingReport], bool],
    *,
    must_be_open: bool = False,
) -> Session | None:
    """The shift as Final POS has it now, if its report shows what a write put there."""
    current = client.session_get(record.id)
    report = parse(current.closing_report_data)
    if report is None or not report.is_ours or not holds(report):
        return None
    if must_be_open and not current.is_open:
        return None
    return current


def to_the_millisecond(moment: datetime) -> datetime:
    """Times are written with milliseconds; comparing one read back needs the same."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
