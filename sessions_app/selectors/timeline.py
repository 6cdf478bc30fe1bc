"""A shift's history on its report page: the timeline of everything that happened to it, the
corrections, and every earlier close a reopening undid, each as it stood (the cashier's own
count first, the corrections after it). Nothing is dropped when a shift is reopened: each
earlier close keeps its recount, corrections and approval inside the reopening's record."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.parts import Correction
from sessions_app.closing.report import ClosingReport
from sessions_app.closing.sales import payment_methods, tender_name
from sessions_app.closing.values import RawEntry
from sessions_app.closing.variance import MethodLine, shift_result
from sessions_app.formatting import MOVEMENT_NAMES, money
from sessions_app.models import SessionRecord
from sessions_app.movement_reasons import reason_label


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime | None
    text: str


@dataclass(frozen=True)
class CorrectionLine:
    name: str
    before: Decimal | None
    after: Decimal | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class CorrectionShown:
    """One manager's correction as the report page shows it: what was there, what is now."""

    at: datetime | None
    by: str
    reason: str
    lines: list[CorrectionLine]
    note_before: str
    note_after: str

    @property
    def note_changed(self) -> bool:
        return self.note_before != self.note_after

    @property
    def changed_lines(self) -> list[CorrectionLine]:
        """The tenders the correction changed, for a page that lists only those: filtered
        here, so a separator between them never follows an unchanged one left out."""
        return [line for line in self.lines if line.changed]


@dataclass(frozen=True)
class EarlierClose:
    """A close a manager undid by reopening the shift: the cashier's own count against what
    was expected, the corrections made to it, and who approved it, as it stood."""

    closed_by: str
    close_time: datetime | None
    reopened_by: str
    reopened_at: datetime | None
    reason: str
    lines: list[MethodLine]
    result: str
    corrections: list[CorrectionShown]
    approved_by: str | None


def tender_names(*amounts: dict) -> list[tuple[str, str]]:
    """The configured tenders in their order, then any other that appears, by its key."""
    names = [(method.key, method.name) for method in payment_methods()]
    configured = {key for key, _name in names}
    others = sorted({key for side in amounts for key in side if key not in configured})
    return names + [(key, tender_name(key)) for key in others]


def correction_shown(correction: Correction) -> CorrectionShown:
    return CorrectionShown(
        at=correction.at,
        by=correction.by or _("a manager"),
        reason=correction.reason,
        lines=[
            CorrectionLine(
                name=name,
                before=correction.before.closing_amounts.get(key),
                after=correction.after.closing_amounts.get(key),
            )
            for key, name in tender_names(
                correction.before.closing_amounts, correction.after.closing_amounts
            )
        ],
        note_before=correction.before.closing_note,
        note_after=correction.after.closing_note,
    )


def earlier_closes(report: ClosingReport) -> list[EarlierClose]:
    found = []
    for reopening in report.reopenings:
        if isinstance(reopening, RawEntry) or reopening.previous_close is None:
            continue
        previous = reopening.previous_close
        old = previous.report or ClosingReport()
        corrections = [c for c in old.corrections if isinstance(c, Correction)]
        # The cashier's own count: what the first correction found, else what stood.
        own = corrections[0].before if corrections else None
        counted_by_cashier = own.closing_amounts if own else previous.closing_amounts
        variances_by_cashier = (own.variances or {}) if own else {}
        lines = []
        for method in payment_methods():
            figures = old.methods.get(method.key)
            counted = counted_by_cashier.get(method.key)
            variance = (
                variances_by_cashier.get(method.key)
                if own is not None
                else (figures.variance if figures else None)
            )
            lines.append(
                MethodLine(
                    key=method.key,
                    name=method.name,
                    expected=figures.expected if figures else None,
                    counted=counted if counted is not None else Decimal(0),
                    variance=variance,
                )
            )
        variances = {line.key: line.variance for line in lines if line.variance is not None}
        found.append(
            EarlierClose(
                closed_by=previous.closed_by,
                close_time=previous.close_time,
                reopened_by=reopening.by,
                reopened_at=reopening.at,
                reason=reopening.reason,
                lines=lines,
                result=shift_result(variances) if variances else "",
                corrections=[correction_shown(c) for c in corrections],
                approved_by=old.review.approved_by,
            )
        )
    return found


def _close_events(report: ClosingReport | None) -> list[TimelineEvent]:
    """What happened to one close after it was made: a recount, corrections, an approval."""
    if report is None:
        return []
    events = []
    if report.blind_count is not None and report.blind_count.recounted:
        events.append(
            TimelineEvent(report.blind_count.recounted_at, _("Recounted after seeing expected"))
        )
    for correction in report.corrections:
        if isinstance(correction, Correction):
            events.append(
                TimelineEvent(
                    correction.at,
                    _("Corrected by %(who)s: %(reason)s")
                    % {"who": correction.by or _("a manager"), "reason": correction.reason},
                )
            )
    if report.review.approved_by:
        events.append(
            TimelineEvent(
                report.review.approved_at,
                _("Approved by %(who)s") % {"who": report.review.approved_by},
            )
        )
    return events


def _movement_events(movements: list[CashMovement]) -> list[TimelineEvent]:
    events = []
    for movement in movements:
        events.append(
            TimelineEvent(
                movement.at,
                _("%(kind)s of %(amount)s by %(who)s: %(reason)s")
                % {
                    "kind": MOVEMENT_NAMES.get(movement.kind, movement.kind),
                    "amount": money(movement.amount),
                    "who": movement.by,
                    "reason": reason_label(movement.reason),
                },
            )
        )
        if movement.approval_required and movement.approved_by:
            events.append(
                TimelineEvent(
                    movement.approved_at,
                    _("%(kind)s approved by %(who)s")
                    % {
                        "kind": MOVEMENT_NAMES.get(movement.kind, movement.kind),
                        "who": movement.approved_by,
                    },
                )
            )
    return events


def timeline(
    record: SessionRecord, report: ClosingReport, movements: list[CashMovement]
) -> list[TimelineEvent]:
    """Every open, close, movement, recount, correction, approval and reopening, in order,
    with who did it: the closes a reopening undid keep theirs."""
    events = [TimelineEvent(record.open_time, _("Opened by %(who)s") % {"who": record.opened_by})]
    events += _movement_events(movements)
    for reopening in report.reopenings:
        if isinstance(reopening, RawEntry):
            continue
        earlier = reopening.previous_close
        if earlier is not None and earlier.close_time:
            events.append(
                TimelineEvent(
                    earlier.close_time,
                    _("Closed by %(who)s") % {"who": earlier.closed_by or _("someone")},
                )
            )
        events += _close_events(earlier.report if earlier is not None else None)
        events.append(
            TimelineEvent(
                reopening.at,
                _("Reopened by %(who)s: %(reason)s")
                % {"who": reopening.by or _("a manager"), "reason": reopening.reason},
            )
        )
    if record.close_time:
        events.append(
            TimelineEvent(record.close_time, _("Closed by %(who)s") % {"who": record.closed_by})
        )
        events += _close_events(report if report.is_ours else None)
    if record.deleted_at:
        events.append(TimelineEvent(record.deleted_at, _("Deleted")))
    events.sort(key=lambda event: event.at or record.open_time)
    return events
