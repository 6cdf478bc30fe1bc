"""The parts of a closing report: figures per method, the cash drop, the review and the
corrections."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sessions_app.closing.values import (
    UnreadablePart,
    amount_from_report,
    amount_to_report,
    amounts_text,
    counts_to_report,
    read_amounts,
    read_counts,
    read_object,
    read_text,
    read_time,
    time_text,
)

REVIEW_NONE, REVIEW_REQUIRED, REVIEW_APPROVED = "", "needs_review", "approved"
# Why a review is required when the figures closed with do not say: the blind count, made
# before expected was shown, was off by more than the review limit.
FIRST_COUNT = "first_count"


@dataclass
class MethodFigures:
    expected: Decimal | None = None
    counted: Decimal | None = None
    variance: Decimal | None = None

    @classmethod
    def from_document(cls, value: Any) -> "MethodFigures":
        data = read_object(value)
        return cls(
            expected=amount_from_report(data.get("expected")),
            counted=amount_from_report(data.get("counted")),
            variance=amount_from_report(data.get("variance")),
        )

    def to_document(self) -> dict[str, str | None]:
        return {
            "expected": amount_to_report(self.expected),
            "counted": amount_to_report(self.counted),
            "variance": amount_to_report(self.variance),
        }


@dataclass
class CashDrop:
    """What to leave in the drawer for the next shift and what to bank, worked out at close."""

    target_float: Decimal
    leave: Decimal
    bank: Decimal
    leave_counts: dict[Decimal, int] | None = None
    bank_counts: dict[Decimal, int] | None = None

    @classmethod
    def from_document(cls, value: Any) -> "CashDrop":
        data = read_object(value)
        amounts = [amount_from_report(data.get(k)) for k in ("targetFloat", "leave", "bank")]
        if any(amount is None for amount in amounts):
            raise UnreadablePart(f"not a cash drop: {value!r}")
        target_float, leave, bank = (amount or Decimal(0) for amount in amounts)
        return cls(
            target_float=target_float,
            leave=leave,
            bank=bank,
            leave_counts=read_counts(data.get("leaveCounts")),
            bank_counts=read_counts(data.get("bankCounts")),
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "targetFloat": amount_to_report(self.target_float),
            "leave": amount_to_report(self.leave),
            "bank": amount_to_report(self.bank),
            "leaveCounts": counts_to_report(self.leave_counts),
            "bankCounts": counts_to_report(self.bank_counts),
        }


@dataclass
class Review:
    required: bool = False
    approved_by: str | None = None
    approved_at: datetime | None = None
    comment: str = ""
    cause: str = ""  # FIRST_COUNT, or "": a difference or a cash movement above the limit

    @property
    def state(self) -> str:
        if not self.required:
            return REVIEW_NONE
        return REVIEW_APPROVED if self.approved_by else REVIEW_REQUIRED

    @classmethod
    def from_document(cls, value: Any) -> "Review":
        data = read_object(value)
        return cls(
            required=bool(data.get("required")),
            approved_by=read_text(data.get("approvedBy")) or None,
            approved_at=read_time(data.get("approvedAt")),
            comment=read_text(data.get("comment")),
            cause=read_text(data.get("cause")),
        )

    def to_document(self) -> dict[str, Any]:
        document = {
            "required": self.required,
            "approvedBy": self.approved_by,
            "approvedAt": time_text(self.approved_at),
            "comment": self.comment,
        }
        if self.cause:
            document["cause"] = self.cause
        return document


@dataclass
class CorrectionSide:
    """The figures on one side of a correction."""

    closing_amounts: dict[str, Decimal | None]
    closing_note: str
    variances: dict[str, Decimal | None] | None = None  # per method (version 2)
    cash_count: dict[Decimal, int] | None = None
    variance_total: Decimal | None = None  # the sum across methods version 1 kept

    @classmethod
    def from_document(cls, value: Any) -> "CorrectionSide":
        data = read_object(value)
        variances = data.get("variances")
        return cls(
            closing_amounts=read_amounts(data.get("closingAmounts") or {}),
            closing_note=read_text(data.get("closingNote")),
            variances=None if variances is None else read_amounts(variances),
            cash_count=read_counts(data.get("cashCount")),
            variance_total=amount_from_report(data.get("varianceTotal")),
        )

    def to_document(self, *, with_cash_count: bool) -> dict[str, Any]:
        document: dict[str, Any] = {
            "closingAmounts": amounts_text(self.closing_amounts),
            "closingNote": self.closing_note,
        }
        if self.variances is not None:
            document["variances"] = amounts_text(self.variances)
        else:
            document["varianceTotal"] = amount_to_report(self.variance_total)
        if with_cash_count:
            document["cashCount"] = counts_to_report(self.cash_count)
        return document


@dataclass
class Correction:
    """A manager's correction of a closed shift; ``before`` keeps what it replaced."""

    at: datetime | None
    by: str
    reason: str
    before: CorrectionSide
    after: CorrectionSide

    @classmethod
    def from_document(cls, value: Any) -> "Correction":
        data = read_object(value)
        return cls(
            at=read_time(data.get("at")),
            by=read_text(data.get("by")),
            reason=read_text(data.get("reason")),
            before=CorrectionSide.from_document(data.get("before") or {}),
            after=CorrectionSide.from_document(data.get("after") or {}),
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "at": time_text(self.at),
            "by": self.by,
            "reason": self.reason,
            "before": self.before.to_document(with_cash_count=True),
            "after": self.after.to_document(with_cash_count=False),
        }
