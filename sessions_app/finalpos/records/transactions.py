"""Transactions (sales and refunds): read only; each names its session."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from sessions_app.finalpos.errors import FinalPOSBadResponse
from sessions_app.finalpos.records.fields import text
from sessions_app.finalpos.wire import is_valid_id, money_from_wire, optional_time


@dataclass(frozen=True)
class Transaction:
    id: str
    session_id: str
    payment_method: str
    amount: Decimal
    type: str
    currency: str
    created_at: datetime | None
    # The cash rounding the till applied and reported (paymentData.rounding): then `amount`
    # is what was paid, and the dashboard rounds nothing itself (docs/finalpos.md).
    stated_rounding: Decimal | None = None
    # What a till may say of a sale besides its amount (top level, or in paymentData): the
    # discount given, the tax in it, the tip on it. None where it says nothing.
    discount: Decimal | None = None
    tax: Decimal | None = None
    tip: Decimal | None = None

    @classmethod
    def from_wire(cls, data: Any) -> "Transaction":
        if not isinstance(data, dict):
            raise FinalPOSBadResponse(
                _("Final POS sent a transaction the dashboard could not read.")
            )
        return cls(
            id=text(data, "id"),
            session_id=text(data, "sessionId"),
            payment_method=text(data, "paymentMethod"),
            amount=money_from_wire(data.get("amount"), name="transaction amount"),
            type=text(data, "type").lower(),
            currency=text(data, "currency"),
            created_at=optional_time(data.get("createdAt"), name="createdAt"),
            stated_rounding=_stated_rounding(data.get("paymentData")),
            discount=_stated(data, "discount"),
            tax=_stated(data, "tax"),
            tip=_stated(data, "tip"),
        )


def _stated(data: dict[str, Any], name: str) -> Decimal | None:
    """An optional figure of a sale, at its top level or in its paymentData; unreadable is
    as good as absent (it never hides the sale)."""
    payment_data = data.get("paymentData")
    value = data.get(name)
    if value in (None, "") and isinstance(payment_data, dict):
        value = payment_data.get(name)
    if value in (None, ""):
        return None
    try:
        return money_from_wire(value, name=f"transaction {name}")
    except FinalPOSBadResponse:
        return None


def _stated_rounding(payment_data: Any) -> Decimal | None:
    if not isinstance(payment_data, dict) or payment_data.get("rounding") in (None, ""):
        return None
    return money_from_wire(payment_data["rounding"], name="transaction rounding")


@dataclass(frozen=True)
class TransactionRef:
    """What finding sessions needs from a transaction: its session and when it was made. Read
    so that one odd sale (an amount nobody can read) never hides its session."""

    session_id: str  # "" when it names none
    created_at: datetime | None

    @classmethod
    def from_wire(cls, data: Any) -> "TransactionRef":
        if not isinstance(data, dict):
            return cls("", None)
        session_id = data.get("sessionId")
        if not isinstance(session_id, str) or not is_valid_id(session_id):
            session_id = ""
        try:
            created_at = optional_time(data.get("createdAt"), name="createdAt")
        except FinalPOSBadResponse:
            created_at = None
        return cls(session_id, created_at)
