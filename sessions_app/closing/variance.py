"""Counted against expected, per payment method: the difference, over or short, and what the
variance policy asks for (a reason, a manager's approval). A cash short is never netted
against a card over."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from sessions_app.closing.parts import MethodFigures
from sessions_app.closing.sales import payment_methods, tender_name
from sessions_app.money import Currency, active_currency

OVER, SHORT, BALANCED, MIXED = "over", "short", "balanced", "mixed"


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
        name = names[key] if key in names else tender_name(key)  # "gift_card" -> "Gift card"
        found.append(MethodDifference(key=key, name=name, amount=amount))
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


def other_tenders_off(variances: Mapping[str, Decimal | str] | None) -> bool:
    """Whether a tender other than cash is off beyond the tolerance, whatever cash did: a shift
    short in cash and on card is off on card too. A difference that is not a number counts as
    off (the page says what it holds)."""
    for key, value in (variances or {}).items():
        if key == "cash":
            continue
        try:
            if abs(Decimal(str(value))) > settings.VARIANCE_TOLERANCE:
                return True
        except ArithmeticError:
            return True
    return False


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
