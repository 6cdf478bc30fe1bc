"""Everything a close works out from the count, in one function that the review step and the
close itself both call."""

from dataclasses import dataclass, replace
from decimal import Decimal

from sessions_app.cash import cash_drop_plan
from sessions_app.closing.drawer import CashDrawer, CashMovement, SalesSummary
from sessions_app.closing.expected import cash_drawer, expected_from
from sessions_app.closing.parts import CashDrop
from sessions_app.closing.variance import Reconciliation, VariancePolicy, reconcile
from sessions_app.money import Currency, active_currency


@dataclass(frozen=True)
class CloseFigures:
    """Everything a close works out from the count: shown on the review step, then written by
    the close itself, from this one function."""

    reconciliation: Reconciliation
    cash_drop: CashDrop
    sales: SalesSummary | None  # None: Final POS did not give the shift's sales
    cash_drawer: CashDrawer | None
    movements_awaiting_approval: int = 0
    currency: str = ""
    review_forced: bool = False  # e.g. a recount after seeing expected hid a large difference

    @property
    def review_required(self) -> bool:
        return (
            self.reconciliation.review_required
            or self.movements_awaiting_approval > 0
            or self.review_forced
        )


def close_figures(
    *,
    counted: dict[str, Decimal],
    sales: SalesSummary | None,
    opening_amount: Decimal,
    movements: list[CashMovement],
    cash_count: dict[Decimal, int] | None,
    target_float: Decimal,
    policy: VariancePolicy | None = None,
    currency: Currency | None = None,
) -> CloseFigures:
    currency = currency or active_currency()
    drawer = None
    expected = None
    if sales is not None:
        drawer = replace(
            cash_drawer(opening_amount=opening_amount, sales=sales, movements=movements),
            counted=currency.exact(counted.get("cash", Decimal(0))),
        )
        expected = expected_from(
            sales, opening_amount=opening_amount, movements=movements, currency=currency
        )
    return CloseFigures(
        reconciliation=reconcile(
            counted=counted, expected=expected, policy=policy, currency=currency
        ),
        cash_drop=cash_drop_plan(
            counted_cash=counted.get("cash", Decimal(0)),
            target_float=target_float,
            counts=cash_count,
        ),
        sales=sales,
        cash_drawer=drawer,
        movements_awaiting_approval=sum(1 for m in movements if m.awaiting_approval),
        currency=currency.code,
    )
