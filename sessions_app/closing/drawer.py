"""The parts of a closing report that explain the drawer: cash moved in and out during the
shift, the sales behind "expected", the cash drawer reconciliation, the handover from the
previous shift, and the trace of a blind count."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sessions_app.closing.values import (
    UnreadablePart,
    amount_from_report,
    amount_to_report,
    amounts_text,
    read_amounts,
    read_object,
    read_text,
    read_time,
    time_text,
)

PAY_IN, PAY_OUT, DROP = "pay_in", "pay_out", "drop"
MOVEMENT_KINDS = (PAY_IN, PAY_OUT, DROP)


def _amount(value: Any) -> Decimal:
    amount = amount_from_report(value)
    if amount is None:
        raise UnreadablePart(f"not an amount: {value!r}")
    return amount


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnreadablePart(f"not a count: {value!r}")
    return value


@dataclass
class CashMovement:
    """Cash put into or taken out of the drawer during a shift, with a reason."""

    id: str
    kind: str
    amount: Decimal
    reason: str
    note: str
    by: str
    at: datetime | None
    approval_required: bool = False
    approved_by: str | None = None
    approved_at: datetime | None = None

    @property
    def effect_on_cash(self) -> Decimal:
        """What the movement does to the cash the drawer should hold."""
        return self.amount if self.kind == PAY_IN else -self.amount

    @property
    def awaiting_approval(self) -> bool:
        return self.approval_required and not self.approved_by

    @classmethod
    def from_document(cls, value: Any) -> "CashMovement":
        data = read_object(value)
        kind = read_text(data.get("kind"))
        if kind not in MOVEMENT_KINDS:
            raise UnreadablePart(f"not a cash movement: {value!r}")
        approval = read_object(data.get("approval") or {})
        return cls(
            id=read_text(data.get("id")),
            kind=kind,
            amount=_amount(data.get("amount")),
            reason=read_text(data.get("reason")),
            note=read_text(data.get("note")),
            by=read_text(data.get("by")),
            at=read_time(data.get("at")),
            approval_required=bool(approval.get("required")),
            approved_by=read_text(approval.get("approvedBy")) or None,
            approved_at=read_time(approval.get("approvedAt")),
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "amount": amount_to_report(self.amount),
            "reason": self.reason,
            "note": self.note,
            "by": self.by,
            "at": time_text(self.at),
            "approval": {
                "required": self.approval_required,
                "approvedBy": self.approved_by,
                "approvedAt": time_text(self.approved_at),
            },
        }


@dataclass
class MethodSales:
    """One tender's sales and refunds, and the cash rounding of each of them (what rounding
    added to what the drawer should hold: negative when it took away)."""

    sales: Decimal = Decimal(0)
    refunds: Decimal = Decimal(0)
    sale_count: int = 0
    refund_count: int = 0
    rounding: Decimal = Decimal(0)

    @property
    def net(self) -> Decimal:
        return self.sales - self.refunds + self.rounding

    @classmethod
    def from_document(cls, value: Any) -> "MethodSales":
        data = read_object(value)
        return cls(
            sales=_amount(data.get("sales")),
            refunds=_amount(data.get("refunds")),
            sale_count=_int(data.get("saleCount", 0)),
            refund_count=_int(data.get("refundCount", 0)),
            rounding=_amount(data.get("rounding", "0")),
        )

    def to_document(self) -> dict[str, Any]:
        document = {
            "sales": amount_to_report(self.sales),
            "refunds": amount_to_report(self.refunds),
            "saleCount": self.sale_count,
            "refundCount": self.refund_count,
        }
        if self.rounding:
            document["rounding"] = amount_to_report(self.rounding)
        return document


@dataclass
class SalesSummary:
    """The shift's sales and refunds per tender, as Final POS recorded them. Tenders nobody
    declares at close (gift cards, vouchers) are kept apart in ``other``; sales in another
    currency than the drawer's in ``foreign``, by currency, never in expected."""

    by_method: dict[str, MethodSales] = field(default_factory=dict)
    other: dict[str, MethodSales] = field(default_factory=dict)
    foreign: dict[str, MethodSales] = field(default_factory=dict)
    # Discounts, tax and tips the sales carried ("discounts", "tax", "tips"), net of refunds;
    # a figure no sale carried is absent, not zero.
    extras: dict[str, Decimal] = field(default_factory=dict)

    @property
    def gross_sales(self) -> Decimal:
        """Every sale in the drawer's currency, on every tender, before refunds."""
        lines = [*self.by_method.values(), *self.other.values()]
        return sum((line.sales for line in lines), Decimal(0))

    @property
    def refunds(self) -> Decimal:
        lines = [*self.by_method.values(), *self.other.values()]
        return sum((line.refunds for line in lines), Decimal(0))

    @property
    def net_sales(self) -> Decimal:
        return self.gross_sales - self.refunds

    @property
    def rounding(self) -> Decimal:
        """The cash rounding of every sale, on every tender that rounds."""
        return sum((line.rounding for line in self.by_method.values()), Decimal(0))

    @property
    def sale_count(self) -> int:
        return sum(line.sale_count for line in [*self.by_method.values(), *self.other.values()])

    @property
    def refund_count(self) -> int:
        return sum(line.refund_count for line in [*self.by_method.values(), *self.other.values()])

    def of(self, method: str) -> MethodSales:
        return self.by_method.get(method) or MethodSales()

    @classmethod
    def from_document(cls, value: Any) -> "SalesSummary":
        data = read_object(value)
        return cls(
            by_method={
                str(key): MethodSales.from_document(line)
                for key, line in read_object(data.get("byMethod") or {}).items()
            },
            other={
                str(key): MethodSales.from_document(line)
                for key, line in read_object(data.get("other") or {}).items()
            },
            foreign={
                str(key): MethodSales.from_document(line)
                for key, line in read_object(data.get("foreign") or {}).items()
            },
            extras={
                str(key): _amount(amount)
                for key, amount in read_object(data.get("extras") or {}).items()
            },
        )

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "byMethod": {key: line.to_document() for key, line in self.by_method.items()},
            "other": {key: line.to_document() for key, line in self.other.items()},
        }
        if self.foreign:
            document["foreign"] = {key: line.to_document() for key, line in self.foreign.items()}
        if self.extras:
            document["extras"] = {key: amount_to_report(v) for key, v in self.extras.items()}
        return document


@dataclass
class CashDrawer:
    """Why the drawer should hold what it should: the float, cash sales and refunds, their
    cash rounding, and the cash moved in and out, against what was counted."""

    opening_float: Decimal
    cash_sales: Decimal
    cash_refunds: Decimal
    pay_ins: Decimal
    pay_outs: Decimal
    drops: Decimal
    counted: Decimal | None = None
    rounding: Decimal = Decimal(0)

    @property
    def expected(self) -> Decimal:
        return (
            self.opening_float
            + self.cash_sales
            - self.cash_refunds
            + self.rounding
            + self.pay_ins
            - self.pay_outs
            - self.drops
        )

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected

    @classmethod
    def from_document(cls, value: Any) -> "CashDrawer":
        data = read_object(value)
        return cls(
            opening_float=_amount(data.get("openingFloat")),
            cash_sales=_amount(data.get("cashSales")),
            cash_refunds=_amount(data.get("cashRefunds")),
            pay_ins=_amount(data.get("payIns")),
            pay_outs=_amount(data.get("payOuts")),
            drops=_amount(data.get("drops")),
            counted=amount_from_report(data.get("counted")),
            rounding=_amount(data.get("rounding", "0")),
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "openingFloat": amount_to_report(self.opening_float),
            "cashSales": amount_to_report(self.cash_sales),
            "cashRefunds": amount_to_report(self.cash_refunds),
            **({"rounding": amount_to_report(self.rounding)} if self.rounding else {}),
            "payIns": amount_to_report(self.pay_ins),
            "payOuts": amount_to_report(self.pay_outs),
            "drops": amount_to_report(self.drops),
            "expected": amount_to_report(self.expected),
            "counted": amount_to_report(self.counted),
            "difference": amount_to_report(self.difference),
        }


@dataclass
class Handover:
    """The float the previous shift on the till left, against the float this one opened with."""

    expected_float: Decimal
    opened_with: Decimal
    from_session_id: str
    from_session_number: str

    @property
    def difference(self) -> Decimal:
        return self.opened_with - self.expected_float

    @classmethod
    def from_document(cls, value: Any) -> "Handover":
        data = read_object(value)
        return cls(
            expected_float=_amount(data.get("expectedFloat")),
            opened_with=_amount(data.get("openedWith")),
            from_session_id=read_text(data.get("fromSessionId")),
            from_session_number=read_text(data.get("fromSessionNumber")),
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "expectedFloat": amount_to_report(self.expected_float),
            "openedWith": amount_to_report(self.opened_with),
            "difference": amount_to_report(self.difference),
            "fromSessionId": self.from_session_id,
            "fromSessionNumber": self.from_session_number,
        }


@dataclass
class BlindCount:
    """The count a cashier first submitted before seeing what was expected, and whether it was
    changed after the reveal."""

    revealed_at: datetime | None
    first_count: dict[str, Decimal | None]
    recounted_at: datetime | None = None
    # What was expected when the first count was checked against it (None: not kept).
    expected_at_reveal: dict[str, Decimal | None] | None = None

    @property
    def recounted(self) -> bool:
        return self.recounted_at is not None

    @classmethod
    def from_document(cls, value: Any) -> "BlindCount":
        data = read_object(value)
        return cls(
            revealed_at=read_time(data.get("revealedAt")),
            first_count=read_amounts(data.get("firstCount") or {}),
            recounted_at=read_time(data.get("recountedAt")),
            expected_at_reveal=(
                read_amounts(data["expectedAtReveal"]) if data.get("expectedAtReveal") else None
            ),
        )

    def to_document(self) -> dict[str, Any]:
        document = {
            "revealedAt": time_text(self.revealed_at),
            "firstCount": amounts_text(self.first_count),
            "recounted": self.recounted,
            "recountedAt": time_text(self.recounted_at),
        }
        if self.expected_at_reveal is not None:
            document["expectedAtReveal"] = amounts_text(self.expected_at_reveal)
        return document
