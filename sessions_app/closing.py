"""The end-of-shift arithmetic: expected per payment method, counted against it, and what the
variance policy asks for.

Expected per method = the shift's sales minus refunds by payment method, in the drawer's
currency, with the cash rounding of each sale (its own "rounding" line, never a difference);
for cash, plus the float, plus pay-ins, minus pay-outs and drops. Sales in another currency are
kept apart and never summed into the drawer. Difference = counted - expected, per method: a
cash short is never netted against a card over. Pure functions on Decimal: no database, no HTTP.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy

from sessions_app.cash import cash_drop_plan
from sessions_app.closing_report import (
    DROP,
    PAY_IN,
    PAY_OUT,
    CashDrawer,
    CashDrop,
    CashMovement,
    MethodFigures,
    MethodSales,
    SalesSummary,
)
from sessions_app.finalpos.records import Transaction
from sessions_app.money import NO_ROUNDING, CashRounding, Currency, active_currency

OVER, SHORT, BALANCED, MIXED = "over", "short", "balanced", "mixed"
SALE_TYPES = {"sale", "payment"}
REFUND_TYPES = {"refund", "return"}


@dataclass(frozen=True)
class PaymentMethod:
    key: str
    name: str


# The default methods' names, in the reader's language; a name configured otherwise (a brand,
# "Oliver Pay") is shown as configured.
_BUILT_IN_NAMES = {"Cash": gettext_lazy("Cash"), "Card": gettext_lazy("Card")}


def payment_methods() -> list[PaymentMethod]:
    return [
        PaymentMethod(key, str(_BUILT_IN_NAMES.get(name, name)))
        for key, name in settings.PAYMENT_METHODS
    ]


def other_tenders(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    """Amounts declared for tenders the dashboard is not configured for (a gift card a till
    wrote): kept on every write and shown, never reconciled or added to anything."""
    configured = {method.key for method in payment_methods()}
    return {key: amount for key, amount in amounts.items() if key not in configured}


def method_key_for(transaction_method: str) -> str:
    """Maps a transaction's paymentMethod string to one of our method keys."""
    aliases = {alias.lower(): key for alias, key in settings.PAYMENT_METHOD_ALIASES.items()}
    return aliases.get(transaction_method.strip().lower(), transaction_method.strip())


@dataclass(frozen=True)
class DrawerMoney:
    """The drawer's currency and the outlet's cash rounding: what its sales are counted in."""

    currency: Currency
    rounding: CashRounding = NO_ROUNDING


def sales_summary(
    transactions: Iterable[Transaction], *, money: DrawerMoney | None = None
) -> SalesSummary:
    """Sales and refunds per tender, each with its cash rounding; tenders nobody declares at
    close, and sales in another currency than the drawer's, are kept apart.

    A sale's rounding is what rounding its amount to the increment adds (15.72 -> -0.02 at
    0.05); an amount already on the increment (Final POS reporting what was paid) adds
    nothing, so nothing is rounded twice. A transaction that states its own rounding
    (paymentData.rounding) was rounded by the till: its amount is what was paid, and its
    stated rounding is used as it is."""
    money = money or DrawerMoney(active_currency())
    configured = {method.key for method in payment_methods()}
    summary = SalesSummary(by_method={key: MethodSales() for key in configured})
    for transaction in transactions:
        key = method_key_for(transaction.payment_method)
        currency = transaction.currency.strip().upper()
        if currency and currency != money.currency.code:
            _add(summary.foreign.setdefault(currency, MethodSales()), transaction, NO_ROUNDING, key)
            continue
        lines = summary.by_method if key in configured else summary.other
        _add(lines.setdefault(key, MethodSales()), transaction, money.rounding, key)
        _add_extras(summary, transaction)
    return summary


EXTRAS = (("discounts", "discount"), ("tax", "tax"), ("tips", "tip"))


def _add_extras(summary: SalesSummary, transaction: Transaction) -> None:
    """The discounts, tax and tips the sales carry, net of the refunds that carry them."""
    sign = 1 if transaction.type in SALE_TYPES else -1 if transaction.type in REFUND_TYPES else 0
    for name, attribute in EXTRAS:
        value = getattr(transaction, attribute)
        if value is not None and sign:
            summary.extras[name] = summary.extras.get(name, Decimal(0)) + sign * abs(value)


def _add(line: MethodSales, transaction: Transaction, rounding: CashRounding, key: str) -> None:
    """A sale adds its amount and its rounding; a refund takes away its amount and its
    rounding (a 15.72 refund paid out as 15.70 leaves 0.02 more in the drawer, as it was
    0.02 short on the sale). Refunds are rounded on their size, like the sale they undo."""
    is_sale = transaction.type in SALE_TYPES
    if not is_sale and transaction.type not in REFUND_TYPES:
        return
    amount = transaction.amount if is_sale else abs(transaction.amount)
    if transaction.stated_rounding is not None:
        adjustment = transaction.stated_rounding
        amount -= adjustment  # the amount was what was paid: the sale came to this
    elif rounding.applies(key):
        adjustment = rounding.adjustment(amount)
    else:
        adjustment = Decimal(0)
    if is_sale:
        line.sales += amount
        line.rounding += adjustment
        line.sale_count += 1
    else:
        line.refunds += amount
        line.rounding -= adjustment
        line.refund_count += 1


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


def variance_label(variance: Decimal | None) -> str:
    """Over, short or balanced: a difference within the tolerance is balanced."""
    if variance is None:
        return ""
    if variance > settings.VARIANCE_TOLERANCE:
        return OVER
    if variance < -settings.VARIANCE_TOLERANCE:
        return SHORT
    return BALANCED


@dataclass(frozen=True)
class MethodDifference:
    key: str
    name: str
    amount: Decimal

    @property
    def result(self) -> str:
        return variance_label(self.amount)


def differences(variances: Mapping[str, Decimal | str] | None) -> list[MethodDifference]:
    """Each method's difference, cash first, then in the configured order."""
    if not variances:
        return []
    names = {method.key: method.name for method in payment_methods()}
    order = ["cash", *(key for key in names if key != "cash")]
    keys = [key for key in order if key in variances] + sorted(set(variances) - set(order))
    found = []
    for key in keys:
        try:
            amount = Decimal(str(variances[key]))
        except ArithmeticError:
            continue
        found.append(MethodDifference(key=key, name=names.get(key, key), amount=amount))
    return found


def shift_result(variances: Mapping[str, Decimal] | None) -> str:
    """Balanced only when every method is; over or short when every method that is off is off
    the same way; mixed when one is over and another short. Never a sum across tenders."""
    if variances is None:
        return ""
    labels = {variance_label(variance) for variance in variances.values()} - {BALANCED}
    if not labels:
        return BALANCED
    return labels.pop() if len(labels) == 1 else MIXED


@dataclass(frozen=True)
class MethodLine:
    key: str
    name: str
    expected: Decimal | None
    counted: Decimal
    variance: Decimal | None

    @property
    def result(self) -> str:
        return variance_label(self.variance)


@dataclass(frozen=True)
class VariancePolicy:
    """The difference on any one method above which a close needs a reason, and above which
    it needs a manager's approval (an outlet's own, or the site's: sessions_app.policy)."""

    reason_threshold: Decimal
    approval_threshold: Decimal

    @classmethod
    def site_default(cls) -> "VariancePolicy":
        return cls(
            reason_threshold=settings.VARIANCE_REASON_THRESHOLD,
            approval_threshold=settings.VARIANCE_APPROVAL_THRESHOLD,
        )


@dataclass(frozen=True)
class Reconciliation:
    """Counted against expected for every method, and what the variance policy requires."""

    lines: list[MethodLine]
    expected_available: bool
    policy: VariancePolicy = field(default_factory=VariancePolicy.site_default)

    @property
    def variances(self) -> dict[str, Decimal] | None:
        if not self.expected_available:
            return None
        return {line.key: line.variance or Decimal(0) for line in self.lines}

    @property
    def cash_variance(self) -> Decimal | None:
        return None if self.variances is None else self.variances.get("cash")

    @property
    def largest_variance(self) -> Decimal:
        """The largest difference on any one method: what the policy judges and what history
        sorts by (a cash short beside a card over is still a short)."""
        if not self.expected_available:
            return Decimal(0)
        return max((abs(line.variance or Decimal(0)) for line in self.lines), default=Decimal(0))

    @property
    def result(self) -> str:
        return shift_result(self.variances)

    @property
    def reason_required(self) -> bool:
        return self.largest_variance > self.policy.reason_threshold

    @property
    def review_required(self) -> bool:
        return self.largest_variance > self.policy.approval_threshold

    def missing_reason(self, reason: str) -> bool:
        return self.reason_required and not reason.strip()

    def method_figures(self) -> dict[str, MethodFigures]:
        return {
            line.key: MethodFigures(
                expected=line.expected, counted=line.counted, variance=line.variance
            )
            for line in self.lines
        }


def reconcile(
    *,
    counted: dict[str, Decimal],
    expected: dict[str, Decimal] | None,
    policy: VariancePolicy | None = None,
    currency: Currency | None = None,
) -> Reconciliation:
    currency = currency or active_currency()
    lines = []
    for method in payment_methods():
        amount = currency.exact(counted.get(method.key, Decimal(0)))
        expected_amount = None if expected is None else expected.get(method.key, Decimal(0))
        lines.append(
            MethodLine(
                key=method.key,
                name=method.name,
                expected=expected_amount,
                counted=amount,
                variance=None if expected_amount is None else amount - expected_amount,
            )
        )
    return Reconciliation(
        lines=lines,
        expected_available=expected is not None,
        policy=policy or VariancePolicy.site_default(),
    )


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

    @property
    def review_required(self) -> bool:
        return self.reconciliation.review_required or self.movements_awaiting_approval > 0


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
