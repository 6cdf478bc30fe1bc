"""The shift report page (the Z report), from the index row alone."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from sessions_app import closing, closing_report
from sessions_app.closing_report import CashDrop, ClosingReport, Correction, RawEntry, Review
from sessions_app.models import Outlet, SessionRecord, Station


@dataclass(frozen=True)
class CountLine:
    denomination: Decimal
    quantity: int

    @property
    def subtotal(self) -> Decimal:
        return self.denomination * self.quantity


def count_lines(counts: dict[Decimal, int] | None) -> list[CountLine]:
    return sorted(
        (CountLine(value, quantity) for value, quantity in (counts or {}).items() if quantity),
        key=lambda line: line.denomination,
        reverse=True,
    )


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


def _correction_shown(correction: Correction) -> CorrectionShown:
    return CorrectionShown(
        at=correction.at,
        by=correction.by or _("a manager"),
        reason=correction.reason,
        lines=[
            CorrectionLine(
                name=method.name,
                before=correction.before.closing_amounts.get(method.key),
                after=correction.after.closing_amounts.get(method.key),
            )
            for method in closing.payment_methods()
        ],
        note_before=correction.before.closing_note,
        note_after=correction.after.closing_note,
    )


@dataclass(frozen=True)
class ShiftReport:
    record: SessionRecord
    outlet_name: str
    station_name: str
    lines: list[closing.MethodLine]
    expected_available: bool
    variance_total: Decimal | None
    variance_reason: str
    cash_count: list[CountLine]
    cash_drop: CashDrop | None
    review: Review
    corrections: list[CorrectionShown]
    timeline: list[TimelineEvent] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    till_report: str | None = None

    @property
    def duration(self) -> timedelta | None:
        if self.record.close_time is None:
            return None
        return self.record.close_time - self.record.open_time

    @property
    def leave_counts(self) -> list[CountLine]:
        return count_lines(self.cash_drop.leave_counts if self.cash_drop else None)

    @property
    def bank_counts(self) -> list[CountLine]:
        return count_lines(self.cash_drop.bank_counts if self.cash_drop else None)


def _method_lines(record: SessionRecord, report: ClosingReport) -> list[closing.MethodLine]:
    lines = []
    for method in closing.payment_methods():
        figures = report.methods.get(method.key) if report.is_ours else None
        counted = closing_report.amount_or_none(record.counted.get(method.key))
        if counted is None and figures is not None:
            counted = figures.counted
        expected = (
            figures.expected
            if figures is not None
            else closing_report.amount_or_none(record.expected.get(method.key))
        )
        variance = figures.variance if figures is not None else None
        if variance is None and expected is not None and counted is not None:
            variance = counted - expected
        lines.append(
            closing.MethodLine(
                key=method.key,
                name=method.name,
                expected=expected,
                counted=counted if counted is not None else Decimal(0),
                variance=variance,
            )
        )
    return lines


def _timeline(record: SessionRecord, report: ClosingReport) -> list[TimelineEvent]:
    events = [TimelineEvent(record.open_time, _("Opened by %(who)s") % {"who": record.opened_by})]
    if record.close_time:
        events.append(
            TimelineEvent(record.close_time, _("Closed by %(who)s") % {"who": record.closed_by})
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
        events.append(
            TimelineEvent(
                reopening.at,
                _("Reopened by %(who)s: %(reason)s")
                % {"who": reopening.by or _("a manager"), "reason": reopening.reason},
            )
        )
    if report.review.approved_by:
        events.append(
            TimelineEvent(
                report.review.approved_at,
                _("Approved by %(who)s") % {"who": report.review.approved_by},
            )
        )
    if record.deleted_at:
        events.append(TimelineEvent(record.deleted_at, _("Deleted")))
    events.sort(key=lambda event: event.at or record.open_time)
    return events


def _unreadable(report: ClosingReport) -> list[str]:
    parts = sorted(report.unreadable)
    for name, entries in (("corrections", report.corrections), ("reopenings", report.reopenings)):
        if any(isinstance(entry, RawEntry) for entry in entries):
            parts.append(name)
    return parts


def shift_report(record: SessionRecord) -> ShiftReport:
    """Everything the report page shows, from the index row alone."""
    report = closing_report.from_index(record.report) or ClosingReport()
    outlet_name = Outlet.objects.filter(id=record.outlet_id).values_list("name", flat=True).first()
    station_name = (
        Station.objects.filter(id=record.station_id).values_list("name", flat=True).first()
    )
    return ShiftReport(
        record=record,
        outlet_name=outlet_name or record.outlet_id or _("Unknown outlet"),
        station_name=station_name or record.station_id,
        lines=_method_lines(record, report),
        expected_available=(
            report.expected_available
            if report.is_ours and "expectedAvailable" in report.present
            else bool(record.expected)
        ),
        variance_total=record.variance_total,
        variance_reason=report.variance_reason,
        cash_count=count_lines(report.cash_count),
        cash_drop=report.cash_drop,
        review=report.review,
        corrections=[_correction_shown(c) for c in report.corrections if isinstance(c, Correction)],
        timeline=_timeline(record, report),
        unreadable=_unreadable(report),
        till_report=report.foreign,
    )
