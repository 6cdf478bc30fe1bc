"""The shift report page (the Z report), from the index row alone."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from sessions_app import closing, closing_report
from sessions_app.closing_report import (
    BlindCount,
    CashDrawer,
    CashDrop,
    CashMovement,
    ClosingReport,
    Correction,
    Handover,
    RawEntry,
    Review,
    SalesSummary,
)
from sessions_app.formatting import MOVEMENT_NAMES, money
from sessions_app.models import Outlet, SessionRecord, Station
from sessions_app.policy import outlet_policy


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


def _tender_names(*amounts: dict) -> list[tuple[str, str]]:
    """The configured tenders in their order, then any other that appears, by its key."""
    names = [(method.key, method.name) for method in closing.payment_methods()]
    configured = {key for key, _name in names}
    others = sorted({key for side in amounts for key in side if key not in configured})
    return names + [(key, key) for key in others]


def _correction_shown(correction: Correction) -> CorrectionShown:
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
            for key, name in _tender_names(
                correction.before.closing_amounts, correction.after.closing_amounts
            )
        ],
        note_before=correction.before.closing_note,
        note_after=correction.after.closing_note,
    )


@dataclass(frozen=True)
class SalesLine:
    name: str
    sales: Decimal
    refunds: Decimal
    sale_count: int
    refund_count: int
    rounding: Decimal = Decimal(0)  # the cash rounding of these sales, in expected

    @property
    def net(self) -> Decimal:
        return self.sales - self.refunds + self.rounding


@dataclass(frozen=True)
class EarlierClose:
    """A close that a manager undid by reopening the shift, with its figures."""

    closed_by: str
    close_time: datetime | None
    reopened_by: str
    reopened_at: datetime | None
    reason: str
    lines: list[closing.MethodLine]
    result: str


@dataclass(frozen=True)
class ShiftReport:
    record: SessionRecord
    outlet_name: str
    station_name: str
    outlet: Outlet | None
    company_name: str
    lines: list[closing.MethodLine]
    expected_available: bool
    result: str
    variance_reason: str
    cash_count: list[CountLine]
    cash_drop: CashDrop | None
    review: Review
    corrections: list[CorrectionShown]
    timeline: list[TimelineEvent] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    till_report: str | None = None
    movements: list[CashMovement] = field(default_factory=list)
    cash_drawer: CashDrawer | None = None
    sales_lines: list[SalesLine] = field(default_factory=list)
    sale_count: int | None = None
    handover: Handover | None = None
    blind_count: BlindCount | None = None
    earlier_closes: list[EarlierClose] = field(default_factory=list)
    other_tenders: list[tuple[str, Decimal]] = field(default_factory=list)
    time_zone: str = ""  # the outlet's, when it is not the site's: the page's times are in it
    # Sales in another currency than the drawer's: shown apart, never in expected.
    foreign_sales: list[SalesLine] = field(default_factory=list)

    @property
    def movements_awaiting_approval(self) -> list[CashMovement]:
        return [movement for movement in self.movements if movement.awaiting_approval]

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


def _sales_lines(sales: SalesSummary | None) -> list[SalesLine]:
    """Sales per tender: the declared ones in their order, then any other (gift cards...)."""
    if sales is None:
        return []
    lines = []
    for method in closing.payment_methods():
        line = sales.of(method.key)
        lines.append(
            SalesLine(
                method.name,
                line.sales,
                line.refunds,
                line.sale_count,
                line.refund_count,
                line.rounding,
            )
        )
    for key, line in sorted(sales.other.items()):
        lines.append(SalesLine(key, line.sales, line.refunds, line.sale_count, line.refund_count))
    return lines


def foreign_sales_lines(sales: SalesSummary | None) -> list[SalesLine]:
    """Sales in another currency than the drawer's, by currency (the name is its code)."""
    if sales is None:
        return []
    return [
        SalesLine(code, line.sales, line.refunds, line.sale_count, line.refund_count)
        for code, line in sorted(sales.foreign.items())
    ]


def _earlier_closes(report: ClosingReport) -> list[EarlierClose]:
    found = []
    for reopening in report.reopenings:
        if isinstance(reopening, RawEntry) or reopening.previous_close is None:
            continue
        previous = reopening.previous_close
        old = previous.report or ClosingReport()
        lines = []
        for method in closing.payment_methods():
            figures = old.methods.get(method.key)
            counted = previous.closing_amounts.get(method.key)
            lines.append(
                closing.MethodLine(
                    key=method.key,
                    name=method.name,
                    expected=figures.expected if figures else None,
                    counted=counted if counted is not None else Decimal(0),
                    variance=figures.variance if figures else None,
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
                result=closing.shift_result(variances) if variances else "",
            )
        )
    return found


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
    for movement in report.cash_movements:
        if isinstance(movement, CashMovement):
            events.append(
                TimelineEvent(
                    movement.at,
                    _("%(kind)s of %(amount)s by %(who)s: %(reason)s")
                    % {
                        "kind": MOVEMENT_NAMES.get(movement.kind, movement.kind),
                        "amount": money(movement.amount),
                        "who": movement.by,
                        "reason": movement.reason,
                    },
                )
            )
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
    outlet = Outlet.objects.filter(id=record.outlet_id).first()
    station_name = (
        Station.objects.filter(id=record.station_id).values_list("name", flat=True).first()
    )
    ours = report.is_ours
    return ShiftReport(
        record=record,
        outlet_name=outlet.name if outlet else record.outlet_id or _("Unknown outlet"),
        station_name=station_name or record.station_id,
        outlet=outlet,
        company_name=settings.COMPANY_NAME,
        lines=_method_lines(record, report),
        expected_available=(
            report.expected_available
            if report.is_ours and "expectedAvailable" in report.present
            else bool(record.expected)
        ),
        result=record.result,
        variance_reason=report.variance_reason,
        cash_count=count_lines(report.cash_count),
        cash_drop=report.cash_drop,
        review=report.review,
        corrections=[_correction_shown(c) for c in report.corrections if isinstance(c, Correction)],
        timeline=_timeline(record, report),
        unreadable=_unreadable(report),
        till_report=report.foreign,
        movements=[m for m in report.cash_movements if isinstance(m, CashMovement)] if ours else [],
        cash_drawer=report.cash_drawer if ours else None,
        sales_lines=_sales_lines(report.sales if ours else None),
        sale_count=report.sales.sale_count if ours and report.sales else None,
        handover=report.handover if ours else None,
        blind_count=report.blind_count if ours else None,
        earlier_closes=_earlier_closes(report) if ours else [],
        other_tenders=_other_tenders(record),
        time_zone=_outlet_zone_name(record.outlet_id),
        foreign_sales=foreign_sales_lines(report.sales if ours else None),
    )


def _outlet_zone_name(outlet_id: str) -> str:
    zone = outlet_policy(outlet_id).time_zone.key
    return "" if zone == settings.TIME_ZONE else zone


def _other_tenders(record: SessionRecord) -> list[tuple[str, Decimal]]:
    declared = {
        key: amount
        for key, value in (record.counted or {}).items()
        if (amount := closing_report.amount_or_none(value)) is not None
    }
    return sorted(closing.other_tenders(declared).items())
