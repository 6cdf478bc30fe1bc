"""A shift a till closed, taken into the dashboard's report: the same figures and review as a
shift closed here, worked out from its sales and the cash moved here, with the till's own
report kept whole inside ours."""

from dataclasses import dataclass, replace
from decimal import Decimal

from sessions_app.cash import cash_drop_plan
from sessions_app.closing.drawer import CashDrawer, CashMovement, SalesSummary
from sessions_app.closing.expected import cash_drawer, expected_from
from sessions_app.closing.parts import MethodFigures, Review
from sessions_app.closing.report import ClosingReport, parse
from sessions_app.closing.sales import DrawerMoney
from sessions_app.closing.variance import reconcile
from sessions_app.finalpos import FinalPOSClient
from sessions_app.finalpos.records import Session
from sessions_app.models import SessionRecord
from sessions_app.policy import outlet_policy, shift_money
from sessions_app.selectors.ledger import movements_with_ours
from sessions_app.services.index import sales_read


def report_of_closed_shift(
    current: Session, *, record: SessionRecord, client: FinalPOSClient
) -> ClosingReport | None:
    """The dashboard's report of a closed shift: its own, or for a shift a till closed one
    worked out from its sales (None when they cannot be read). Its own, closed while the sales
    could not be read, gets what they make expected now, when they can be."""
    report = parse(current.closing_report_data)
    if report is not None and report.is_ours:
        if not report.expected_available:
            _expected_from_sales_now(report, current, record=record, client=client)
        return report
    return till_close_report(current, record=record, client=client)


def _expected_from_sales_now(
    report: ClosingReport, current: Session, *, record: SessionRecord, client: FinalPOSClient
) -> None:
    worked_out = _from_sales(report, current, record=record, client=client)
    if worked_out is None:
        return
    methods = dict(report.methods)
    for key, amount in worked_out.expected.items():
        methods[key] = replace(methods.get(key, MethodFigures()), expected=amount)
    report.set(
        expected_available=True,
        methods=methods,
        sales=worked_out.sales,
        cash_drawer=worked_out.drawer,
    )


@dataclass(frozen=True)
class _FromSales:
    """What a closed shift's sales and the cash moved during it make expected."""

    money: DrawerMoney
    sales: SalesSummary
    movements: list[CashMovement]
    expected: dict[str, Decimal]
    drawer: CashDrawer


def _from_sales(
    report: ClosingReport | None,
    current: Session,
    *,
    record: SessionRecord,
    client: FinalPOSClient,
) -> _FromSales | None:
    """None when the sales cannot be read."""
    money = shift_money(record)
    sales = sales_read(current.id, client=client, money=money)
    if sales is None:
        return None
    movements = movements_with_ours(report, current.id)
    drawer = cash_drawer(opening_amount=current.opening_amount, sales=sales, movements=movements)
    return _FromSales(
        money=money,
        sales=sales,
        movements=movements,
        expected=expected_from(
            sales,
            opening_amount=current.opening_amount,
            movements=movements,
            currency=money.currency,
        ),
        drawer=replace(drawer, counted=current.closing_amounts.get("cash")),
    )


def till_close_report(
    current: Session,
    *,
    record: SessionRecord,
    client: FinalPOSClient,
    with_till_report: bool = True,
) -> ClosingReport | None:
    """Our report of a close a till made: expected per tender from the sales and the cash moved
    here, what the till declared, the review the outlet's rules ask for, and the till's own
    report inside (unless ``with_till_report`` is False). None when the sales cannot be
    read."""
    report = parse(current.closing_report_data)
    worked_out = _from_sales(report, current, record=record, client=client)
    if worked_out is None:
        return None
    movements, money = worked_out.movements, worked_out.money
    policy = outlet_policy(record.outlet_id)
    reconciliation = reconcile(
        counted=current.closing_amounts,
        expected=worked_out.expected,
        policy=policy.variance,
        currency=money.currency,
    )
    waiting = any(movement.awaiting_approval for movement in movements)
    ours = ClosingReport().set(
        currency=money.currency.code,
        expected_available=True,
        methods=reconciliation.method_figures(),
        variance_reason="",
        cash_movements=list(movements),
        sales=worked_out.sales,
        cash_drawer=worked_out.drawer,
        review=Review(required=reconciliation.review_required or waiting),
        corrections=[],
        # What to bank and leave for the next shift, as a close made here says it.
        cash_drop=cash_drop_plan(
            counted_cash=current.closing_amounts.get("cash", Decimal(0)),
            target_float=policy.target_float,
        ),
    )
    if with_till_report and report is not None and report.foreign is not None:
        ours.set(foreign=report.foreign)
    return ours
