"""Whether a read of a shift still holds a write of ours: the record's fields it set, and the
part of our report it added (services/ledger.py checks every read with these)."""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.parts import Correction
from sessions_app.closing.report import ClosingReport, Reopening
from sessions_app.closing.sales import payment_methods
from sessions_app.finalpos.records import Session, SessionInput
from sessions_app.finalpos.wire import time_to_wire
from sessions_app.models import LedgerEntry


def close_fields(shift: Session | SessionInput) -> dict[str, Any]:
    """The fields a close or a correction sets, as the ledger keeps them (from Final POS's
    answer, or from what was sent when the answer was lost)."""
    configured = {method.key for method in payment_methods()}
    return {
        "closeTime": time_to_wire(shift.close_time) if shift.close_time else None,
        "closedBy": shift.closed_by or "",
        "closingAmounts": {
            key: str(amount) for key, amount in shift.closing_amounts.items() if key in configured
        },
        "closingNote": shift.closing_note or "",
    }


def fields_stand(entry: LedgerEntry, shift: Session) -> bool:
    """The record's fields this write set hold what it wrote (a later close of a reopened
    shift is a new close, not an undo of the reopening)."""
    if entry.kind == LedgerEntry.REOPEN:
        return shift.close_time is None or shift.close_time > entry.recorded_at
    if not entry.fields:
        return True
    now = close_fields(shift)
    return (
        _same_time(entry.fields.get("closeTime"), now["closeTime"])
        and (entry.kind != LedgerEntry.CLOSE or entry.fields.get("closedBy") == now["closedBy"])
        and _same_amounts(entry.fields.get("closingAmounts") or {}, now["closingAmounts"])
        and (entry.fields.get("closingNote") or "") == now["closingNote"]
    )


def _same_time(ours: str | None, theirs: str | None) -> bool:
    if ours is None or theirs is None:
        return ours == theirs
    return _instant(ours) == _instant(theirs)


def _instant(text: str) -> datetime | str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _same_amounts(ours: dict[str, str], theirs: dict[str, str]) -> bool:
    keys = set(ours) | set(theirs)
    return all(_amount(ours.get(key)) == _amount(theirs.get(key)) for key in keys)


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(-1)


def part_carried(entry: LedgerEntry, ours: ClosingReport | None) -> bool:
    """Final POS's report still holds what this write added to it."""
    part = entry.part or {}
    if entry.kind in (LedgerEntry.OPEN, LedgerEntry.TAKEOVER):
        return True
    if ours is None:
        return False
    if entry.kind == LedgerEntry.MOVEMENT:
        return any(
            isinstance(movement, CashMovement)
            and movement.id == entry.key
            and movement.approved_by == (part.get("approval") or {}).get("approvedBy")
            for movement in ours.cash_movements
        )
    if entry.kind == LedgerEntry.CLOSE:
        return ours.close_request_id == entry.key
    if entry.kind == LedgerEntry.APPROVAL:
        return _same_time(time_to_wire_or_none(ours.review.approved_at), part.get("approvedAt"))
    if entry.kind == LedgerEntry.CORRECTION:
        return any(
            isinstance(correction, Correction)
            and _same_time(time_to_wire_or_none(correction.at), entry.key)
            for correction in ours.corrections
        )
    if entry.kind == LedgerEntry.REOPEN:
        return any(
            isinstance(reopening, Reopening)
            and _same_time(time_to_wire_or_none(reopening.at), entry.key)
            for reopening in ours.reopenings
        )
    return True


def time_to_wire_or_none(moment: datetime | None) -> str | None:
    return time_to_wire(moment) if moment is not None else None
