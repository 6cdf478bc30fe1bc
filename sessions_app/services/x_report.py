"""The X report: what an open shift's drawer should hold right now, and why."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from sessions_app.closing.drawer import CashDrawer, CashMovement, SalesSummary
from sessions_app.closing.expected import cash_drawer, expected_from
from sessions_app.closing.report import from_index
from sessions_app.closing.sales import payment_methods
from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client
from sessions_app.models import SessionRecord
from sessions_app.policy import shift_money
from sessions_app.selectors.ledger import kept_here_only, movements_with_ours
from sessions_app.selectors.report import SalesLine, foreign_sales_lines
from sessions_app.services.index import sales_read, shift_refresh


@dataclass(frozen=True)
class XLine:
    key: str
    name: str
    sales: Decimal
    refunds: Decimal
    rounding: Decimal
    expected: Decimal


@dataclass(frozen=True)
class XReport:
    record: SessionRecord
    at: datetime
    sales: SalesSummary | None  # None: Final POS did not give the sales just now
    drawer: CashDrawer | None
    lines: list[XLine]
    movements: list[CashMovement]
    stale_note: str = ""  # why the shift itself could not be re-read
    not_in_final_pos: frozenset[str] = frozenset()  # movements kept here until the till closes

    @property
    def foreign(self) -> list[SalesLine]:
        """Sales in another currency than the drawer's: shown apart, never in expected."""
        return foreign_sales_lines(self.sales)


def x_report_build(*, record: SessionRecord, client: FinalPOSClient | None = None) -> XReport:
    """Re-reads the shift and its sales from Final POS and works out the drawer now."""
    client = client or get_client()
    stale_note = ""
    try:
        record = shift_refresh(record, client=client)
    except FinalPOSError as error:
        stale_note = error.message
    report = from_index(record.report)
    movements = movements_with_ours(report, record.id)
    pending = kept_here_only(report, movements)
    money = shift_money(record)
    try:
        sales = sales_read(record.id, client=client, money=money)
    except FinalPOSError:
        sales = None
    if sales is None:
        return XReport(record, timezone.now(), None, None, [], movements, stale_note, pending)
    drawer = cash_drawer(opening_amount=record.opening_amount, sales=sales, movements=movements)
    expected = expected_from(
        sales, opening_amount=record.opening_amount, movements=movements, currency=money.currency
    )
    lines = [
        XLine(
            key=method.key,
            name=method.name,
            sales=sales.of(method.key).sales,
            refunds=sales.of(method.key).refunds,
            rounding=sales.of(method.key).rounding,
            expected=expected[method.key],
        )
        for method in payment_methods()
    ]
    return XReport(record, timezone.now(), sales, drawer, lines, movements, stale_note, pending)
