"""The shift report page (the Z report), from the index row alone."""

from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from sessions_app.cash import cash_drop_plan
from sessions_app.closing.drawer import BlindCount, CashDrawer, CashMovement, Handover, SalesSummary
from sessions_app.closing.expected import cash_drawer
from sessions_app.closing.parts import CashDrop, Correction, Review
from sessions_app.closing.report import ClosingReport, from_index
from sessions_app.closing.sales import other_tenders, payment_methods, tender_name
from sessions_app.closing.till_report import TillFigures, read_till_report
from sessions_app.closing.values import RawEntry, amount_or_none
from sessions_app.closing.variance import MethodLine
from sessions_app.models import Outlet, SessionRecord, Station
from sessions_app.policy import outlet_policy
from sessions_app.selectors.ledger import kept_here_only, movements_with_ours
from sessions_app.selectors.till_closes import (
    TillDisagreement,
    review_of_a_till_close,
    till_disagrees,
)
from sessions_app.selectors.timeline import (
    CorrectionShown,
    EarlierClose,
    TimelineEvent,
    correction_shown,
    earlier_closes,
    timeline,
)


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
class ShiftReport:
    record: SessionRecord
    outlet_name: str
    till_name: str
    outlet: Outlet | None
    company_name: str
    lines: list[MethodLine]
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
    recounts: list["Recount"] = field(default_factory=list)
    earlier_closes: list[EarlierClose] = field(default_factory=list)
    other_tenders: list[tuple[str, Decimal]] = field(default_factory=list)
    time_zone: str = ""  # the outlet's, when it is not the site's: the page's times are in it
    not_in_final_pos: frozenset[str] = frozenset()  # ids of movements kept here only, so far
    till_figures: TillFigures | None = None  # the till's own report, read as figures
    till_disagrees: list[TillDisagreement] = field(default_factory=list)
    closed_on_till: bool = False  # the till closed it and its report is the till's
    # Sales in another currency than the drawer's: shown apart, never in expected.
    foreign_sales: list[SalesLine] = field(default_factory=list)
    sales: SalesSummary | None = None  # gross and net takings, and what the sales carried
    # The outlet's limit for a difference as it stands now (None when the shift is in another
    # currency than the outlet's now): the review is made now, against the limits now.
    variance_approval_limit: Decimal | None = None

    @property
    def movements_awaiting_approval(self) -> list[CashMovement]:
        return [movement for movement in self.movements if movement.awaiting_approval]

    @property
    def difference_above_limit(self) -> bool:
        """Whether a tender's difference is above the outlet's approval limit now: with the
        cash moved waiting for approval, what the review says it is for. A shift closed under
        another limit, or in another currency, may show neither, and the page names both."""
        limit = self.variance_approval_limit
        if limit is None or not self.expected_available:
            return False
        return any(abs(line.variance or Decimal(0)) > limit for line in self.lines)

    @property
    def till_declared(self) -> list[tuple[str, Decimal]]:
        """What the till's own report declared per tender, named as the rest of the report
        names the tenders ("Oliver Pay", not "oliverPay")."""
        declared = self.till_figures.declared if self.till_figures else {}
        return [(tender_name(key), amount) for key, amount in declared.items()]

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
    for method in payment_methods():
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
        lines.append(
            SalesLine(
                tender_name(key), line.sales, line.refunds, line.sale_count, line.refund_count
            )
        )
    return lines


def foreign_sales_lines(sales: SalesSummary | None) -> list[SalesLine]:
    """Sales in another currency than the drawer's, by currency (the name is its code)."""
    if sales is None:
        return []
    return [
        SalesLine(code, line.sales, line.refunds, line.sale_count, line.refund_count)
        for code, line in sorted(sales.foreign.items())
    ]


def _method_lines(record: SessionRecord, report: ClosingReport) -> list[MethodLine]:
    lines = []
    for method in payment_methods():
        figures = report.methods.get(method.key) if report.is_ours else None
        counted = amount_or_none(record.counted.get(method.key))
        if counted is None and figures is not None:
            counted = figures.counted
        expected = (
            figures.expected
            if figures is not None
            else amount_or_none(record.expected.get(method.key))
        )
        variance = figures.variance if figures is not None else None
        if variance is None and expected is not None and counted is not None:
            variance = counted - expected
        lines.append(
            MethodLine(
                key=method.key,
                name=method.name,
                expected=expected,
                counted=counted if counted is not None else Decimal(0),
                variance=variance,
            )
        )
    return lines


def _unreadable(report: ClosingReport) -> list[str]:
    parts = sorted(report.unreadable)
    for name, entries in (("corrections", report.corrections), ("reopenings", report.reopenings)):
        if any(isinstance(entry, RawEntry) for entry in entries):
            parts.append(name)
    return parts


def shift_report(record: SessionRecord) -> ShiftReport:
    """Everything the report page shows, from the index row and the dashboard's ledger."""
    report = from_index(record.report) or ClosingReport()
    outlet = Outlet.objects.filter(id=record.outlet_id).first()
    till_name = Station.objects.filter(id=record.station_id).values_list("name", flat=True).first()
    ours = report.is_ours
    movements = movements_with_ours(report, record.id)
    lines = _method_lines(record, report)
    sales = report.sales if ours else _till_sales(record)
    till_figures = read_till_report(report.foreign)
    return ShiftReport(
        record=record,
        outlet_name=outlet.name if outlet else record.outlet_id or _("Unknown outlet"),
        till_name=till_name or record.station_id,
        outlet=outlet,
        company_name=settings.COMPANY_NAME,
        lines=lines,
        expected_available=(
            report.expected_available
            if report.is_ours and "expectedAvailable" in report.present
            else bool(record.expected)
        ),
        result=record.result,
        variance_reason=report.variance_reason,
        cash_count=count_lines(report.cash_count),
        cash_drop=report.cash_drop if ours else _till_cash_drop(record),
        review=report.review if ours else review_of_a_till_close(record),
        corrections=[correction_shown(c) for c in report.corrections if isinstance(c, Correction)],
        timeline=timeline(record, report, movements),
        unreadable=_unreadable(report),
        till_report=report.foreign,
        movements=movements,
        cash_drawer=report.cash_drawer if ours else _till_cash_drawer(record, sales, movements),
        sales_lines=_sales_lines(sales),
        sale_count=sales.sale_count if sales else None,
        handover=report.handover if ours else None,
        blind_count=report.blind_count if ours else None,
        recounts=_recounts(record, report) if ours else [],
        earlier_closes=earlier_closes(report) if ours else [],
        other_tenders=_other_tenders(record),
        time_zone=_outlet_zone_name(record.outlet_id),
        not_in_final_pos=kept_here_only(report, movements),
        till_figures=till_figures,
        till_disagrees=till_disagrees(till_figures, lines),
        closed_on_till=not ours and not record.is_open,
        foreign_sales=foreign_sales_lines(sales),
        sales=sales,
        variance_approval_limit=_variance_approval_limit(record),
    )


def _variance_approval_limit(record: SessionRecord) -> Decimal | None:
    policy = outlet_policy(record.outlet_id)
    if record.currency and record.currency != policy.currency.code:
        return None  # a limit in the outlet's currency now says nothing of this shift's
    return policy.variance.approval_threshold


@dataclass(frozen=True)
class Recount:
    """A tender whose blind count was changed after expected was shown."""

    tender: str
    first: Decimal | None
    expected_then: Decimal | None  # None: not kept (a count revealed before it was)


def _recounts(record: SessionRecord, report: ClosingReport) -> list[Recount]:
    """Every tender changed, not only cash: what the close wrote (before any correction)
    against the first count."""
    blind = report.blind_count
    if blind is None or not blind.recounted:
        return []
    corrections = [entry for entry in report.corrections if isinstance(entry, Correction)]
    closed_with = (
        corrections[0].before.closing_amounts
        if corrections
        else {key: amount_or_none(value) for key, value in (record.counted or {}).items()}
    )
    expected_then = blind.expected_at_reveal or {}
    return [
        Recount(tender=tender_name(key), first=first, expected_then=expected_then.get(key))
        for key, first in blind.first_count.items()
        if (first or Decimal(0)) != (closed_with.get(key) or Decimal(0))
    ]


def _till_cash_drop(record: SessionRecord) -> CashDrop | None:
    """What to bank and leave for the next shift after a till's close, as after one here."""
    counted = amount_or_none((record.counted or {}).get("cash"))
    if record.is_open or counted is None:
        return None
    target = outlet_policy(record.outlet_id).target_float
    return cash_drop_plan(counted_cash=counted, target_float=target)


def _till_sales(record: SessionRecord) -> SalesSummary | None:
    """A shift a till closed is shown like one closed here: from the sales its expected
    figures were worked out from."""
    if record.is_open or not record.till_sales:
        return None
    return SalesSummary.from_document(record.till_sales)


def _till_cash_drawer(
    record: SessionRecord, sales: SalesSummary | None, movements: list[CashMovement]
) -> CashDrawer | None:
    if sales is None:
        return None
    drawer = cash_drawer(opening_amount=record.opening_amount, sales=sales, movements=movements)
    return replace(drawer, counted=amount_or_none((record.counted or {}).get("cash")))


def _outlet_zone_name(outlet_id: str) -> str:
    zone = outlet_policy(outlet_id).time_zone.key
    return "" if zone == settings.TIME_ZONE else zone


def _other_tenders(record: SessionRecord) -> list[tuple[str, Decimal]]:
    declared = {
        key: amount
        for key, value in (record.counted or {}).items()
        if (amount := amount_or_none(value)) is not None
    }
    return sorted((tender_name(key), amount) for key, amount in other_tenders(declared).items())
