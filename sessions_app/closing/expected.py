"""What each payment method should come to at close; for cash, what the drawer should hold.
The difference from the count is variance.py's.

Expected per method = the shift's sales minus refunds by payment method, in the drawer's
currency, with the cash rounding of each sale (its own "rounding" line, never a difference);
for cash, plus the float, plus pay-ins, minus pay-outs and drops. Sales in another currency are
kept apart and never summed into the drawer. Pure functions on Decimal: no database, no HTTP.
"""

from collections.abc import Iterable
from decimal import Decimal

from sessions_app.closing.drawer import (
    DROP,
    PAY_IN,
    PAY_OUT,
    CashDrawer,
    CashMovement,
    SalesSummary,
)
from sessions_app.closing.sales import DrawerMoney, sales_summary
from sessions_app.finalpos.records import Transaction
from sessions_app.money import Currency, active_currency


def cash_drawer(
    *, opening_amount: Decimal, sales: SalesSummary, movements: Iterable[CashMovement]
) -> CashDrawer:
    """What the drawer should hold: the float, cash sales, refunds and rounding, and cash
    moved."""
    moved = {PAY_IN: Decimal(0), PAY_OUT: Decimal(0), DROP: Decimal(0)}
    for movement in movements:
        moved[movement.kind] += movement.amount
    cash = sales.of("cash")
    return CashDrawer(
        opening_float=opening_amount,
        cash_sales=cash.sales,
        cash_refunds=cash.refunds,
        rounding=cash.rounding,
        pay_ins=moved[PAY_IN],
        pay_outs=moved[PAY_OUT],
        drops=moved[DROP],
    )


def expected_amounts(
    transactions: Iterable[Transaction],
    *,
    opening_amount: Decimal,
    movements: Iterable[CashMovement] = (),
    money: DrawerMoney | None = None,
) -> dict[str, Decimal]:
    """Expected takings per configured method; cash is what the drawer should hold."""
    sales = sales_summary(transactions, money=money)
    currency = money.currency if money else None
    return expected_from(
        sales, opening_amount=opening_amount, movements=movements, currency=currency
    )


def expected_from(
    sales: SalesSummary,
    *,
    opening_amount: Decimal,
    movements: Iterable[CashMovement] = (),
    currency: Currency | None = None,
) -> dict[str, Decimal]:
    currency = currency or active_currency()
    expected = {key: line.net for key, line in sales.by_method.items()}
    expected["cash"] = cash_drawer(
        opening_amount=opening_amount, sales=sales, movements=movements
    ).expected
    return {key: currency.exact(amount) for key, amount in expected.items()}
