"""The end-of-shift arithmetic and the closing report this project stores in Final POS.

Expected per method = the shift's sales minus refunds by payment method, plus the float for
cash; variance = counted - expected. The report is the JSON document in the session's
``closingReportData`` (contract decision 6), read back tolerantly and written as version 1.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from sessions_app.cash import CENT
from sessions_app.finalpos.records import Transaction

REPORT_VERSION = 1
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


# --- The closingReportData document -------------------------------------------------------


def money_text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount.quantize(CENT))


def _methods_document(reconciliation: Reconciliation) -> dict[str, dict[str, str | None]]:
    return {
        line.key: {
            "expected": money_text(line.expected),
            "counted": money_text(line.counted),
            "variance": money_text(line.variance),
        }
        for line in reconciliation.lines
    }


def report_build(
    *,
    reconciliation: Reconciliation,
    variance_reason: str,
    cash_count: dict[Decimal, int] | None,
    cash_drop: dict | None,
    close_request_id: str,
) -> dict[str, Any]:
    review_required = reconciliation.review_required
    return {
        "version": REPORT_VERSION,
        "currency": settings.CURRENCY,
        "expectedAvailable": reconciliation.expected_available,
        "methods": _methods_document(reconciliation),
        "varianceTotal": money_text(reconciliation.variance_total),
        "varianceReason": variance_reason,
        "cashCount": (
            {format(value, "f"): quantity for value, quantity in cash_count.items() if quantity}
            if cash_count
            else None
        ),
        "cashMovements": [],
        "cashDrop": cash_drop,
        "review": {
            "required": review_required,
            "approvedBy": None,
            "approvedAt": None,
            "comment": "",
        },
        "corrections": [],
        "closeRequestId": close_request_id,
    }


def report_expected(report: dict[str, Any] | None) -> dict[str, Decimal] | None:
    """The expected amounts a report was closed with; None when they were not available."""
    if not report or not report.get("expectedAvailable", True):
        return None
    methods = report.get("methods") or {}
    expected = {
        key: amount
        for key, line in methods.items()
        if isinstance(line, dict) and (amount := report_amount(line.get("expected"))) is not None
    }
    return expected or None


def report_correct(
    report: dict[str, Any] | None,
    *,
    reconciliation: Reconciliation,
    correction: dict[str, Any],
    cash_drop: dict | None,
    cash_changed: bool,
) -> dict[str, Any]:
    """The report after a manager's correction: new figures, the correction appended to
    ``corrections`` (which holds what was there before, so the original count survives).

    A correction can make a shift need review; it never withdraws an earlier approval."""
    corrected = (
        dict(report) if report else {"version": REPORT_VERSION, "currency": settings.CURRENCY}
    )
    corrected["expectedAvailable"] = reconciliation.expected_available
    corrected["methods"] = _methods_document(reconciliation)
    corrected["varianceTotal"] = money_text(reconciliation.variance_total)
    if cash_changed:
        # The denomination count no longer adds up to the cash figure; it stays in the
        # correction's "before".
        corrected["cashCount"] = None
        corrected["cashDrop"] = cash_drop
    review = dict(corrected.get("review") or {"approvedBy": None, "approvedAt": None,
                                               "comment": ""})  # fmt: skip
    review["required"] = bool(review.get("required")) or reconciliation.review_required
    corrected["review"] = review
    corrected["corrections"] = [*(corrected.get("corrections") or []), correction]
    return corrected


def report_reopened(report: dict[str, Any] | None, *, reopening: dict[str, Any]) -> dict[str, Any]:
    """The report of a reopened shift: no figures yet, and every earlier close kept in
    ``reopenings`` (the close being undone goes in ``reopening["previousClose"]``)."""
    return {
        "version": REPORT_VERSION,
        "currency": settings.CURRENCY,
        "methods": {},
        "reopenings": [*((report or {}).get("reopenings") or []), reopening],
    }


def report_dump(report: dict[str, Any]) -> str:
    return json.dumps(report, separators=(",", ":"), ensure_ascii=False)


def report_load(raw: str | None) -> dict[str, Any] | None:
    """Reads closingReportData; None when absent or not a report this project can read."""
    if not raw:
        return None
    try:
        report = json.loads(raw)
    except (TypeError, ValueError):
        return None
    if not isinstance(report, dict) or not isinstance(report.get("methods", {}), dict):
        return None
    return report


def report_amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount.quantize(CENT) if amount.is_finite() else None


REVIEW_NONE, REVIEW_REQUIRED, REVIEW_APPROVED = "", "needs_review", "approved"


def review_state(report: dict[str, Any] | None) -> str:
    review = (report or {}).get("review") or {}
    if not isinstance(review, dict) or not review.get("required"):
        return REVIEW_NONE
    return REVIEW_APPROVED if review.get("approvedBy") else REVIEW_REQUIRED
