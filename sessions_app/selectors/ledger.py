"""What the dashboard wrote to a shift and Final POS does not carry (yet), and the conflicts a
manager has to settle, as the shift page shows them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.parts import Review
from sessions_app.closing.report import ClosingReport, from_index
from sessions_app.closing.sales import payment_methods
from sessions_app.closing.values import UnreadablePart
from sessions_app.dates import short_datetime
from sessions_app.formatting import money
from sessions_app.models import LedgerEntry, SessionRecord, ShiftConflict
from sessions_app.policy import outlet_policy

CONFLICT_WORDS = {
    ShiftConflict.CLOSE_ERASED: gettext_lazy(
        "the close written here is gone: Final POS has the shift open"
    ),
    ShiftConflict.RECLOSED: gettext_lazy("the shift was closed again over the close written here"),
    ShiftConflict.REVERTED: gettext_lazy("the correction written here was written over"),
    ShiftConflict.REOPEN_UNDONE: gettext_lazy("the reopening written here was undone"),
    ShiftConflict.DROPPED: gettext_lazy("what was written here keeps being dropped"),
}
WRITE_WORDS = {
    LedgerEntry.OPEN: gettext_lazy("opening"),
    LedgerEntry.TAKEOVER: gettext_lazy("takeover"),
    LedgerEntry.CLOSE: gettext_lazy("close"),
    LedgerEntry.APPROVAL: gettext_lazy("approval"),
    LedgerEntry.CORRECTION: gettext_lazy("correction"),
    LedgerEntry.REOPEN: gettext_lazy("reopening"),
    LedgerEntry.MOVEMENT: gettext_lazy("cash movement"),
}
KIND_WORDS = {
    LedgerEntry.MOVEMENT: "cash movement",
    LedgerEntry.CLOSE: "close",
    LedgerEntry.APPROVAL: "approval",
    LedgerEntry.CORRECTION: "correction",
    LedgerEntry.REOPEN: "reopening",
}


@dataclass(frozen=True)
class NotYetWritten:
    kind: str
    by: str
    at: datetime
    lost: bool  # it was in Final POS once, and a till's write dropped it


@dataclass(frozen=True)
class ConflictLine:
    label: str
    ours: str
    theirs: str

    @property
    def differs(self) -> bool:
        return self.ours != self.theirs


@dataclass(frozen=True)
class ConflictShown:
    id: int
    what: str
    detected_at: datetime
    ours_by: str
    ours_at: datetime
    theirs_by: str
    theirs_at: datetime | None
    lines: list[ConflictLine]


def ledger_movements(session_id: str) -> list[CashMovement]:
    """Every cash movement the dashboard recorded on the shift, written or not (a manager
    never kept a version without it: movements are never overruled)."""
    return ledger_movements_of([session_id]).get(session_id, [])


def ledger_movements_of(session_ids: Iterable[str]) -> dict[str, list[CashMovement]]:
    """The cash movements recorded on each of the shifts, read in one query, so a page of
    shifts costs the same whatever its length. A shift with none has no key."""
    found: dict[str, list[CashMovement]] = {}
    for session_id, part in LedgerEntry.objects.filter(
        session_id__in=list(session_ids), kind=LedgerEntry.MOVEMENT
    ).values_list("session_id", "part"):
        try:
            found.setdefault(session_id, []).append(CashMovement.from_document(part))
        except (UnreadablePart, TypeError, ValueError):
            continue
    now = timezone.now()
    return {
        session_id: sorted(movements, key=lambda movement: movement.at or now)
        for session_id, movements in found.items()
    }


def movements_with_ours(
    report: ClosingReport | None,
    session_id: str,
    *,
    recorded: list[CashMovement] | None = None,
) -> list[CashMovement]:
    """The shift's movements as Final POS has them, with ours that it does not carry (yet):
    the figures always count what was recorded here. Our version wins for one of ours.
    `recorded` is the shift's entry of `ledger_movements_of`, when a page read them for
    all its shifts at once; else they are read here."""
    found: dict[str, CashMovement] = {}
    if report is not None and report.is_ours:
        for movement in report.cash_movements:
            if isinstance(movement, CashMovement):
                found[movement.id] = movement
    for movement in ledger_movements(session_id) if recorded is None else recorded:
        found[movement.id] = movement
    return list(found.values())


@dataclass(frozen=True)
class MovementsAboveLimit:
    """A movement waiting for a manager: what its kind now comes to on the shift, against the
    outlet's limit."""

    kind: str
    total: Decimal
    limit: Decimal


def movements_above_limit(*, record: SessionRecord, movement_id: str) -> MovementsAboveLimit | None:
    """When this movement waits for a manager's approval: the running total of its kind (pay-ins
    or pay-outs) on the shift, which is what went above the limit; else None."""
    movements = movements_with_ours(from_index(record.report), record.id)
    movement = next((m for m in movements if m.id == movement_id), None)
    if movement is None or not movement.awaiting_approval:
        return None
    return MovementsAboveLimit(
        kind=movement.kind,
        total=sum((m.amount for m in movements if m.kind == movement.kind), Decimal(0)),
        limit=outlet_policy(record.outlet_id).movement_approval_limit,
    )


def kept_here_only(report: ClosingReport | None, movements: list[CashMovement]) -> frozenset[str]:
    """The movements Final POS's report does not carry (yet): recorded here only."""
    carried = (
        {m.id for m in report.cash_movements if isinstance(m, CashMovement)}
        if report is not None and report.is_ours
        else set()
    )
    return frozenset(movement.id for movement in movements if movement.id not in carried)


def shift_not_yet_written(*, record: SessionRecord) -> list[NotYetWritten]:
    """What was recorded here for the shift and is not in Final POS yet."""
    if not record.unsynced:
        return []
    return [
        NotYetWritten(
            kind=_(KIND_WORDS.get(entry.kind, entry.kind)),
            by=entry.recorded_by,
            at=entry.recorded_at,
            lost=entry.lost_at is not None,
        )
        for entry in LedgerEntry.objects.filter(session_id=record.id, state=LedgerEntry.PENDING)
    ]


def shift_conflicts(*, record: SessionRecord) -> list[ConflictShown]:
    """The shift's conflicts still to settle, each with both versions side by side."""
    if not record.in_conflict:
        return []
    shown = []
    for conflict in ShiftConflict.objects.filter(
        session_id=record.id, resolved_at__isnull=True
    ).select_related("entry"):
        theirs_record = conflict.theirs_record or {}
        shown.append(
            ConflictShown(
                id=conflict.pk,
                what=str(CONFLICT_WORDS.get(conflict.what, conflict.what)),
                detected_at=conflict.detected_at,
                ours_by=conflict.entry.recorded_by,
                ours_at=conflict.entry.recorded_at,
                theirs_by=str(
                    theirs_record.get("closedBy") or theirs_record.get("openedBy") or _("a till")
                ),
                theirs_at=conflict.theirs_updated_at,
                lines=_lines(conflict.ours or {}, conflict.theirs or {}),
            )
        )
    return shown


def _lines(ours: dict[str, Any], theirs: dict[str, Any]) -> list[ConflictLine]:
    lines = [
        ConflictLine(_("Closed at"), _time(ours.get("closeTime")), _time(theirs.get("closeTime"))),
        ConflictLine(_("Closed by"), _text(ours.get("closedBy")), _text(theirs.get("closedBy"))),
    ]
    our_amounts = ours.get("closingAmounts") or {}
    their_amounts = theirs.get("closingAmounts") or {}
    for method in payment_methods():
        lines.append(
            ConflictLine(
                method.name,
                _amount(our_amounts.get(method.key)),
                _amount(their_amounts.get(method.key)),
            )
        )
    lines.append(
        ConflictLine(
            _("Closing note"), _text(ours.get("closingNote")), _text(theirs.get("closingNote"))
        )
    )
    return [line for line in lines if line.ours or line.theirs]


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—" if value is None else ""
    return str(value)


def _amount(value: Any) -> str:
    if value in (None, ""):
        return "—"
    try:
        return money(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def _time(value: Any) -> str:
    if not value:
        return _("not closed")
    try:
        return short_datetime(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        return str(value)


def latest_unsettled_write(*, record: SessionRecord) -> LedgerEntry | None:
    """The last write to the shift whose answer was lost and that no read has settled yet."""
    return (
        LedgerEntry.objects.filter(session_id=record.id, state=LedgerEntry.UNKNOWN)
        .order_by("-recorded_at")
        .first()
    )


def live_approval(session_id: str, *, in_conflict_too: bool) -> Review | None:
    """The approval of ours that stands on the shift, to carry into a report we write."""
    states = [LedgerEntry.WRITTEN, LedgerEntry.PENDING]
    if in_conflict_too:  # applying ours again puts back the approval that stood on it
        states.append(LedgerEntry.CONFLICT)
    entry = (
        LedgerEntry.objects.filter(
            session_id=session_id, kind=LedgerEntry.APPROVAL, state__in=states
        )
        .order_by("-recorded_at")
        .first()
    )
    return Review.from_document(entry.part) if entry is not None and entry.part else None
