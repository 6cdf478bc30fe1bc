"""The end-of-shift arithmetic: expected per payment method, counted against it, and what the
variance policy asks for.

Expected per method = the shift's sales minus refunds by payment method, plus the float for
cash; variance = counted - expected. Pure functions on Decimal: no database, no HTTP.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from sessions_app.cash import cash_drop_plan
from sessions_app.closing_report import CashDrop, MethodFigures
from sessions_app.finalpos.records import CENT, Transaction

OVER, SHORT, BALANCED = "over", "short", "balanced"
SALE_TYPES = {"sale", "payment"}
REFUND_TYPES = {"refund", "return"}


@dataclass(frozen=True)
class PaymentMethod:
    key: str
    name: str


def payment_methods() -> list[PaymentMethod]:
    return [PaymentMethod(key, name) for key, name in settings.PAYMENT_METHODS]


def method_key_for(transaction_method: str) -> str:
    """Maps a transaction's paymentMethod string to one of our method keys."""
    aliases = {alias.lower(): key for alias, key in settings.PAYMENT_METHOD_ALIASES.items()}
    return aliases.get(transaction_method.strip().lower(), transaction_method.strip())


def expected_amounts(
    transactions: Iterable[Transaction], *, opening_amount: Decimal
) -> dict[str, Decimal]:
    """Expected takings per configured method; cash includes the opening float."""
    expected = {method.key: Decimal(0) for method in payment_methods()}
    expected["cash"] += opening_amount
    for transaction in transactions:
        key = method_key_for(transaction.payment_method)
        if key not in expected:
            continue  # a tender nobody declares at close (gift card, voucher…)
        if transaction.type in SALE_TYPES:
            expected[key] += transaction.amount
        elif transaction.type in REFUND_TYPES:
            expected[key] -= abs(transaction.amount)
    return {key: amount.quantize(CENT) for key, amount in expected.items()}


def variance_label(variance: Decimal | None) -> str:
    if variance is None:
        return ""
    if variance > 0:
        return OVER
    if variance < 0:
        return SHORT
    return BALANCED


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
class Reconciliation:
    """Counted against expected for every method, and what the variance policy requires."""

    lines: list[MethodLine]
    expected_available: bool

    @property
    def variance_total(self) -> Decimal | None:
        if not self.expected_available:
            return None
        return sum((line.variance or Decimal(0) for line in self.lines), Decimal(0))

    @property
    def policy_variance(self) -> Decimal:
        """The size of the discrepancy the policy judges: the net total, or a larger gap on
        one method (a cash short hidden by a card over is still a short)."""
        if not self.expected_available:
            return Decimal(0)
        sizes = [abs(line.variance or Decimal(0)) for line in self.lines]
        return max([abs(self.variance_total or Decimal(0)), *sizes])

    @property
    def result(self) -> str:
        return variance_label(self.variance_total)

    @property
    def reason_required(self) -> bool:
        return self.policy_variance > settings.VARIANCE_REASON_THRESHOLD

    @property
    def review_required(self) -> bool:
        return self.policy_variance > settings.VARIANCE_APPROVAL_THRESHOLD

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
    *, counted: dict[str, Decimal], expected: dict[str, Decimal] | None
) -> Reconciliation:
    lines = []
    for method in payment_methods():
        amount = counted.get(method.key, Decimal(0)).quantize(CENT)
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
    return Reconciliation(lines=lines, expected_available=expected is not None)


@dataclass(frozen=True)
class CloseFigures:
    """Everything a close works out from the count: shown on the review step, then written by
    the close itself, from this one function."""

    reconciliation: Reconciliation
    cash_drop: CashDrop


def close_figures(
    *,
    counted: dict[str, Decimal],
    expected: dict[str, Decimal] | None,
    cash_count: dict[Decimal, int] | None,
    target_float: Decimal,
) -> CloseFigures:
    return CloseFigures(
        reconciliation=reconcile(counted=counted, expected=expected),
        cash_drop=cash_drop_plan(
            counted_cash=counted.get("cash", Decimal(0)),
            target_float=target_float,
            counts=cash_count,
        ),
    )
