"""The dashboard's ledger: what it wrote to each shift in Final POS, and every read checked
against it.

Final POS has no conditional write, and the tills rewrite whole records: a till's close
replaces the report, an edit it queued offline may carry a copy from before ours. So every
read of a shift (the index saves each one) is compared with what we wrote:

- a part of our report that is gone while the fields we wrote still stand (a till replaced
  the report) goes back to *pending*: the figures keep counting it, the pages say "recorded
  here, not in Final POS yet", and the refresh writes it back merged with what the till wrote
  (``services/ledger_write_back.py``);
- a field we wrote that now holds something else (our close erased, a re-close over ours, a
  correction reverted) makes the shift a *conflict*: both versions kept for a manager
  (``services/conflicts.py``). Nothing is adopted without a word.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.report import ClosingReport, parse
from sessions_app.finalpos.records import Session
from sessions_app.models import AuditEntry, LedgerEntry, ShiftConflict
from sessions_app.roles import User, display_name
from sessions_app.services.ledger_match import (
    close_fields,
    fields_stand,
    part_carried,
    time_to_wire_or_none,
)
from sessions_app.services.numbering import is_own_number

# A part a till keeps dropping (or saves over as soon as it is back) is written back this many
# times, then left to a manager.
MOST_RESTORES = 3

# What each kind of write leaves expected of the record: a later write of ours of one of the
# kinds listed replaces it.
_SUPERSEDED_BY = {
    LedgerEntry.CLOSE: {LedgerEntry.CORRECTION, LedgerEntry.REOPEN, LedgerEntry.CLOSE},
    LedgerEntry.CORRECTION: {LedgerEntry.CORRECTION, LedgerEntry.REOPEN, LedgerEntry.CLOSE},
    LedgerEntry.APPROVAL: {LedgerEntry.APPROVAL, LedgerEntry.REOPEN},
    LedgerEntry.REOPEN: {LedgerEntry.REOPEN},
}
LIVE = (LedgerEntry.PENDING, LedgerEntry.WRITTEN, LedgerEntry.CONFLICT)


# --- What a write records ---------------------------------------------------------------------


def ledger_record(
    *,
    session_id: str,
    kind: str,
    key: str,
    by_user: User | None,
    fields: dict[str, Any] | None = None,
    part: dict[str, Any] | None = None,
    report: ClosingReport | None = None,
    state: str = LedgerEntry.WRITTEN,
    version: datetime | None = None,
) -> LedgerEntry:
    """Records a write of ours (``WRITTEN``: Final POS answered with it), one kept here until
    it can be written (``PENDING``), or one sent whose answer was lost (``UNKNOWN``: the next
    read settles it). The earlier entries a written one replaces stop being checked.
    ``version``: Final POS's updatedAt in its answer, so a later refusal for a page shown
    before can say the change was this one (services/shift_checks.refuse_if_changed)."""
    now = timezone.now()
    recorded = {
        "recorded_at": now,
        "recorded_by": display_name(by_user) if by_user is not None else AuditEntry.SYSTEM_ACTOR,
        "recorded_by_user": by_user if getattr(by_user, "pk", None) else None,
        "fields": fields or {},
        "part": part,
        "report": report.to_document() if report is not None and report.is_ours else None,
        "state": state,
        "written_at": now if state == LedgerEntry.WRITTEN else None,
        "written_version": version,
        "lost_at": None,
    }
    entry = LedgerEntry(session_id=session_id, kind=kind, key=key[:64], **recorded)
    LedgerEntry.objects.bulk_create(  # one upsert; the entry's other columns are kept
        [entry],
        update_conflicts=True,
        unique_fields=["session_id", "kind", "key"],
        update_fields=list(recorded),
    )
    if state == LedgerEntry.WRITTEN:
        _supersede(entry)
    return entry


@dataclass(frozen=True)
class LedgerWrite:
    """One write of ours to a shift, as the ledger will keep it: recorded as written once Final
    POS answered, or as unknown when its answer was lost (with the fields it sent)."""

    session_id: str
    kind: str
    key: str
    by_user: User | None
    part: dict[str, Any] | None = None
    report: ClosingReport | None = None

    def written(
        self, fields: dict[str, Any] | None = None, *, version: datetime | None = None
    ) -> LedgerEntry:
        return self._record(fields, LedgerEntry.WRITTEN, version=version)

    def unknown(self, fields: dict[str, Any] | None = None) -> LedgerEntry:
        return self._record(fields, LedgerEntry.UNKNOWN)

    def _record(
        self, fields: dict[str, Any] | None, state: str, *, version: datetime | None = None
    ) -> LedgerEntry:
        return ledger_record(
            session_id=self.session_id,
            kind=self.kind,
            key=self.key,
            by_user=self.by_user,
            fields=fields,
            part=self.part,
            report=self.report,
            state=state,
            version=version,
        )


def _supersede(entry: LedgerEntry) -> None:
    """The earlier writes this one replaces stop being checked; so do the conflicts a new
    close, correction or reopening settles."""
    replaced = [older for older, newer in _SUPERSEDED_BY.items() if entry.kind in newer]
    LedgerEntry.objects.filter(
        session_id=entry.session_id,
        kind__in=replaced,
        state__in=LIVE,
        recorded_at__lt=entry.recorded_at,
    ).exclude(pk=entry.pk).update(state=LedgerEntry.SUPERSEDED)
    if entry.kind == LedgerEntry.CORRECTION and entry.fields:
        # A correction never withdraws an approval: the approval now stands on its figures,
        # and one that waited on a conflict this correction settles is checked again.
        approvals = LedgerEntry.objects.filter(
            session_id=entry.session_id,
            kind=LedgerEntry.APPROVAL,
            state__in=LIVE,
            recorded_at__lt=entry.recorded_at,
        )
        approvals.filter(state=LedgerEntry.CONFLICT).update(
            state=LedgerEntry.WRITTEN, lost_at=None, restores=0
        )
        approvals.update(fields=entry.fields)
    if entry.kind in (LedgerEntry.CORRECTION, LedgerEntry.REOPEN, LedgerEntry.CLOSE):
        ShiftConflict.objects.filter(session_id=entry.session_id, resolved_at__isnull=True).exclude(
            entry=entry
        ).update(resolved_at=timezone.now(), resolved_by=entry.recorded_by, resolution="replaced")


def ledger_movement_update(
    *, session_id: str, movement: CashMovement, state: str, by_user: User
) -> LedgerEntry:
    """A cash movement recorded here, or its new version after a change of ours (its
    approval), in the state the write leaves it."""
    return LedgerEntry.objects.update_or_create(
        session_id=session_id,
        kind=LedgerEntry.MOVEMENT,
        key=movement.id,
        defaults={
            "part": movement.to_document(),
            "state": state,
            "recorded_at": timezone.now(),
            "recorded_by": display_name(by_user),
            "recorded_by_user": by_user if getattr(by_user, "pk", None) else None,
            "lost_at": None,
            **({"written_at": timezone.now()} if state == LedgerEntry.WRITTEN else {}),
        },
    )[0]


# --- What the ledger says about a shift -----------------------------------------------------


def opened_here(*, session_id: str, session_number: str) -> bool:
    """The dashboard opened (or reopened, or took over) this shift: no till holds it, so the
    dashboard may write to it while it is open."""
    return is_own_number(session_number) or (
        LedgerEntry.objects.filter(
            session_id=session_id,
            kind__in=(LedgerEntry.OPEN, LedgerEntry.TAKEOVER, LedgerEntry.REOPEN),
        )
        .exclude(state=LedgerEntry.SUPERSEDED)
        .exists()
    )


# --- Every read checked against the ledger ----------------------------------------------------


@dataclass(frozen=True)
class LedgerState:
    unsynced: int
    in_conflict: bool


def ledger_check(shift: Session, *, outlet_id: str) -> LedgerState:
    """Compares a read of the shift with what the dashboard wrote to it. Runs inside the
    index's transaction (shift_index_save), for every read."""
    report = parse(shift.closing_report_data)
    ours = report if report is not None and report.is_ours else None
    entries = list(
        LedgerEntry.objects.filter(
            session_id=shift.id, state__in=(*LIVE, LedgerEntry.UNKNOWN)
        ).select_for_update()
    )
    if all(_read_agrees(entry, shift, ours) for entry in entries):  # most reads
        states = [entry.state for entry in entries]
    else:
        states = _ledger_settle(shift, ours, outlet_id=outlet_id)
    open_conflict = ShiftConflict.objects.filter(
        session_id=shift.id, resolved_at__isnull=True
    ).exists()
    return LedgerState(
        unsynced=min(states.count(LedgerEntry.PENDING), 32767), in_conflict=open_conflict
    )


def _read_agrees(entry: LedgerEntry, shift: Session, ours: ClosingReport | None) -> bool:
    """The read leaves this entry as it is: a write still standing, a part still pending (not
    back in the record), a conflict (a manager's)."""
    if entry.state == LedgerEntry.WRITTEN:
        return fields_stand(entry, shift) and part_carried(entry, ours)
    if entry.state == LedgerEntry.PENDING:
        return (
            fields_stand(entry, shift)
            and not part_carried(entry, ours)
            and entry.restores < MOST_RESTORES
        )
    return entry.state == LedgerEntry.CONFLICT


def _ledger_settle(shift: Session, ours: ClosingReport | None, *, outlet_id: str) -> list[str]:
    """Moves the entries this read changes (written ones gone or dropped, lost answers settled,
    pending ones back in the record); returns the states of those still live."""
    now = timezone.now()
    # Lost answers first: one that landed replaces what it was written over, which is then
    # not checked against it.
    for entry in LedgerEntry.objects.filter(session_id=shift.id, state=LedgerEntry.UNKNOWN):
        _settle_unknown(entry, shift, ours, now=now)
    written = LedgerEntry.objects.filter(session_id=shift.id, state=LedgerEntry.WRITTEN)
    figures_disputed = False
    # Approvals last: one whose figures a close or correction of ours lost waits with them.
    for entry in sorted(written.select_for_update(), key=lambda e: e.kind == LedgerEntry.APPROVAL):
        if entry.kind == LedgerEntry.APPROVAL and figures_disputed:
            continue  # _conflict has made it wait
        if not fields_stand(entry, shift):
            _conflict(entry, shift, outlet_id=outlet_id, now=now)
            figures_disputed |= entry.kind in (LedgerEntry.CLOSE, LedgerEntry.CORRECTION)
        elif not part_carried(entry, ours):
            if entry.restores >= MOST_RESTORES:
                _conflict(entry, shift, outlet_id=outlet_id, now=now, dropped=True)
                figures_disputed |= entry.kind in (LedgerEntry.CLOSE, LedgerEntry.CORRECTION)
            else:
                entry.state, entry.lost_at = LedgerEntry.PENDING, now
                entry.save(update_fields=["state", "lost_at"])
    pending = LedgerEntry.objects.filter(session_id=shift.id, state=LedgerEntry.PENDING)
    for entry in sorted(pending, key=lambda e: e.kind == LedgerEntry.APPROVAL):
        if entry.kind == LedgerEntry.APPROVAL and figures_disputed:
            continue
        if not fields_stand(entry, shift):  # a part waiting to go back, its figures written over
            _conflict(entry, shift, outlet_id=outlet_id, now=now)
            figures_disputed |= entry.kind in (LedgerEntry.CLOSE, LedgerEntry.CORRECTION)
        elif part_carried(entry, ours):
            entry.state = LedgerEntry.WRITTEN  # a write-back whose answer was lost landed
            entry.written_at = now
            entry.save(update_fields=["state", "written_at"])
        elif entry.restores >= MOST_RESTORES:  # written back that often, saved over each time
            _conflict(entry, shift, outlet_id=outlet_id, now=now, dropped=True)
            figures_disputed |= entry.kind in (LedgerEntry.CLOSE, LedgerEntry.CORRECTION)
    return list(
        LedgerEntry.objects.filter(session_id=shift.id, state__in=LIVE).values_list(
            "state", flat=True
        )
    )


def _settle_unknown(
    entry: LedgerEntry, shift: Session, ours: ClosingReport | None, *, now: datetime
) -> None:
    """A write whose answer was lost: found in this read, it was saved; still missing once
    any write would have landed, it was not. Its audit row says so from then on."""
    if fields_stand(entry, shift) and part_carried(entry, ours):
        entry.state, entry.written_at = LedgerEntry.WRITTEN, now
        entry.save(update_fields=["state", "written_at"])
        _supersede(entry)
        outcome = AuditEntry.LANDED
    elif now - entry.recorded_at > settings.FINALPOS_SETTLED_AFTER:
        entry.state = LedgerEntry.NOT_LANDED
        entry.save(update_fields=["state"])
        outcome = AuditEntry.NOT_LANDED
    else:
        return  # it may still be on its way
    if entry.audit_id is not None:
        AuditEntry.objects.filter(pk=entry.audit_id, outcome=AuditEntry.UNKNOWN).update(
            outcome=outcome, accepted=outcome == AuditEntry.LANDED, settled_at=now
        )


def _conflict(
    entry: LedgerEntry, shift: Session, *, outlet_id: str, now: datetime, dropped: bool = False
) -> None:
    entry.state, entry.lost_at = LedgerEntry.CONFLICT, now
    entry.save(update_fields=["state", "lost_at"])
    theirs = close_fields(shift)
    ShiftConflict.objects.create(
        session_id=shift.id,
        outlet_id=outlet_id or "",
        entry=entry,
        what=_what(entry, shift, dropped=dropped),
        detected_at=now,
        ours=entry.fields or {"part": entry.part},
        theirs={key: theirs[key] for key in (entry.fields or theirs)},
        theirs_record={**shift.wire, "updatedAt": time_to_wire_or_none(shift.updated_at)},
        theirs_updated_at=shift.updated_at,
    )
    # What this write stood on goes with it: an approval of figures now in dispute waits too.
    if entry.kind in (LedgerEntry.CLOSE, LedgerEntry.CORRECTION):
        LedgerEntry.objects.filter(
            session_id=shift.id, kind=LedgerEntry.APPROVAL, state__in=LIVE
        ).update(state=LedgerEntry.CONFLICT)


def _what(entry: LedgerEntry, shift: Session, *, dropped: bool) -> str:
    if dropped:
        return ShiftConflict.DROPPED
    if entry.kind == LedgerEntry.REOPEN:
        return ShiftConflict.REOPEN_UNDONE
    if entry.kind == LedgerEntry.CORRECTION:
        return ShiftConflict.REVERTED
    return ShiftConflict.CLOSE_ERASED if shift.is_open else ShiftConflict.RECLOSED


def pending_entries(session_id: str) -> Iterable[LedgerEntry]:
    return LedgerEntry.objects.filter(session_id=session_id, state=LedgerEntry.PENDING)


def entries_to_write_back() -> Q:
    """The index rows whose shift has something of ours to write back."""
    return Q(unsynced__gt=0, deleted_at__isnull=True)
