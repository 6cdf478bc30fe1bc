"""Typed Final POS records and their exact wire format.

Reading is tolerant (unknown fields ignored, ``Z`` or ``+00:00``, numbers or strings for
money); writing is strict: money as two-decimal strings, times as UTC ISO 8601 with
milliseconds and ``Z``, and required arrays, objects and strings never null.
"""

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sessions_app.finalpos.errors import FinalPOSBadResponse
from sessions_app.finalpos.wire import (
    CENT,
    is_valid_id,
    money_from_wire,
    money_to_wire,
    optional_money,
    optional_time,
    time_from_wire,
    time_to_wire,
    validate_id,
)

__all__ = [
    "CENT",
    "Outlet",
    "OutletInput",
    "Session",
    "SessionInput",
    "Station",
    "StationInput",
    "StationStatus",
    "Transaction",
    "is_valid_id",
    "time_from_wire",
    "time_to_wire",
    "validate_id",
]


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ("" if value is None else str(value))


class StationStatus(enum.StrEnum):
    AVAILABLE = "AVAILABLE"
    IN_USE = "IN_USE"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def from_wire(cls, value: Any) -> "StationStatus":
        try:
            return cls(str(value).upper())
        except ValueError:
            return cls.UNKNOWN


# --- Sessions -----------------------------------------------------------------------------

LONGEST_SESSION_NUMBER = 40


@dataclass(frozen=True)
class SessionInput:
    """The writable fields of a session: the body of a create or a whole-record PUT."""

    station_id: str
    session_number: str
    opened_by: str
    open_time: datetime
    opening_amount: Decimal
    notes: list[str] = field(default_factory=list)
    closing_amounts: dict[str, Decimal] = field(default_factory=dict)
    opening_note: str = ""
    closed_by: str | None = None
    close_time: datetime | None = None
    closing_amount: Decimal | None = None
    closing_report_data: str | None = None
    closing_note: str | None = None

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "stationId": self.station_id,
            "sessionNumber": self.session_number,
            "openedBy": self.opened_by,
            "openTime": time_to_wire(self.open_time),
            "openingAmount": money_to_wire(self.opening_amount),
            "notes": list(self.notes),
            "closingAmounts": {
                method: money_to_wire(amount) for method, amount in self.closing_amounts.items()
            },
            "openingNote": self.opening_note or "",
        }
        if self.closed_by is not None:
            body["closedBy"] = self.closed_by
        if self.close_time is not None:
            body["closeTime"] = time_to_wire(self.close_time)
        if self.closing_amount is not None:
            body["closingAmount"] = money_to_wire(self.closing_amount)
        if self.closing_report_data is not None:
            body["closingReportData"] = self.closing_report_data
        if self.closing_note is not None:
            body["closingNote"] = self.closing_note
        return body


@dataclass(frozen=True)
class Session:
    id: str
    company_id: str
    station_id: str
    session_number: str
    opened_by: str
    open_time: datetime
    opening_amount: Decimal
    notes: list[str]
    closing_amounts: dict[str, Decimal]
    opening_note: str
    closed_by: str | None
    close_time: datetime | None
    closing_amount: Decimal | None
    closing_report_data: str | None
    closing_note: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.close_time is None

    @classmethod
    def from_wire(cls, data: Any) -> "Session":
        if not isinstance(data, dict) or not is_valid_id(data.get("id")):
            raise FinalPOSBadResponse("Final POS sent a session the dashboard could not read.")
        if not is_valid_id(data.get("stationId")):
            raise FinalPOSBadResponse("Final POS holds a session with no readable till.")
        if len(_text(data, "sessionNumber")) > LONGEST_SESSION_NUMBER:
            raise FinalPOSBadResponse(
                "Final POS holds a session number longer than the dashboard can hold."
            )
        amounts = data.get("closingAmounts") or {}
        notes = data.get("notes") or []
        return cls(
            id=data["id"],
            company_id=_text(data, "companyId"),
            station_id=_text(data, "stationId"),
            session_number=_text(data, "sessionNumber"),
            opened_by=_text(data, "openedBy"),
            open_time=time_from_wire(data.get("openTime"), name="openTime"),
            opening_amount=money_from_wire(data.get("openingAmount", "0"), name="openingAmount"),
            notes=[str(note) for note in notes] if isinstance(notes, list) else [],
            closing_amounts={
                str(method): money_from_wire(amount, name=f"closingAmounts.{method}")
                for method, amount in (amounts.items() if isinstance(amounts, dict) else [])
                if amount not in (None, "")
            },
            opening_note=_text(data, "openingNote"),
            closed_by=data.get("closedBy") or None,
            close_time=optional_time(data.get("closeTime"), name="closeTime"),
            closing_amount=optional_money(data.get("closingAmount"), name="closingAmount"),
            closing_report_data=data.get("closingReportData") or None,
            closing_note=data.get("closingNote"),
            created_at=optional_time(data.get("createdAt"), name="createdAt"),
            updated_at=optional_time(data.get("updatedAt"), name="updatedAt"),
        )

    def to_input(self) -> SessionInput:
        """The whole record as a PUT body, ready to be changed with dataclasses.replace."""
        return SessionInput(
            station_id=self.station_id,
            session_number=self.session_number,
            opened_by=self.opened_by,
            open_time=self.open_time,
            opening_amount=self.opening_amount,
            notes=list(self.notes),
            closing_amounts=dict(self.closing_amounts),
            opening_note=self.opening_note,
            closed_by=self.closed_by,
            close_time=self.close_time,
            closing_amount=self.closing_amount,
            closing_report_data=self.closing_report_data,
            closing_note=self.closing_note,
        )


# --- Stations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StationInput:
    name: str
    outlet_id: str
    status: StationStatus = StationStatus.AVAILABLE
    device_id: str | None = None
    device_name: str | None = None
    is_virtual: bool | None = None
    # Fields the dashboard never edits but must send back in a whole-record PUT.
    preserved: dict[str, Any] = field(default_factory=dict)

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            **self.preserved,
            "name": self.name,
            "outletId": self.outlet_id,
            "status": str(self.status),
        }
        if self.device_id is not None:
            body["deviceId"] = self.device_id
        if self.device_name is not None:
            body["deviceName"] = self.device_name
        if self.is_virtual is not None:
            body["isVirtual"] = self.is_virtual
        return body


_PRESERVED_STATION_FIELDS = {
    "stripeTerminalId": str,
    "serialReaderId": str,
    "sequenceNumber": int | float,
}


@dataclass(frozen=True)
class Station:
    id: str
    name: str
    outlet_id: str
    status: StationStatus
    raw_status: str
    device_name: str
    is_virtual: bool
    updated_at: datetime | None
    device_id: str = ""
    has_is_virtual: bool = False
    preserved: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, data: Any) -> "Station":
        if not isinstance(data, dict) or not is_valid_id(data.get("id")):
            raise FinalPOSBadResponse("Final POS sent a station the dashboard could not read.")
        return cls(
            id=data["id"],
            name=_text(data, "name"),
            outlet_id=_text(data, "outletId"),
            status=StationStatus.from_wire(data.get("status")),
            raw_status=_text(data, "status"),
            device_name=_text(data, "deviceName"),
            is_virtual=bool(data.get("isVirtual", False)),
            updated_at=optional_time(data.get("updatedAt"), name="updatedAt"),
            device_id=_text(data, "deviceId"),
            has_is_virtual=isinstance(data.get("isVirtual"), bool),
            preserved={
                key: data[key]
                for key, kind in _PRESERVED_STATION_FIELDS.items()
                if isinstance(data.get(key), kind) and not isinstance(data.get(key), bool)
            },
        )

    def to_input(self) -> StationInput:
        """The whole record as a PUT body; fields the dashboard does not edit go back as read."""
        return StationInput(
            name=self.name,
            outlet_id=self.outlet_id,
            status=self.status if self.status != StationStatus.UNKNOWN else StationStatus.AVAILABLE,
            device_id=self.device_id or None,
            device_name=self.device_name or None,
            is_virtual=self.is_virtual if self.has_is_virtual else None,
            preserved=dict(self.preserved),
        )


# --- Outlets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutletInput:
    name: str
    address: str
    city: str
    state: str
    country: str
    post_code: str
    phone: str
    address2: str = ""
    alias: str = ""
    # Payment and tax settings the dashboard never edits but sends back as read.
    preserved: dict[str, Any] = field(default_factory=dict)

    def to_wire(self) -> dict[str, Any]:
        body = {
            **self.preserved,
            "name": self.name,
            "address": self.address,
            "city": self.city,
            "state": self.state,
            "country": self.country,
            "postCode": self.post_code,
            "phone": self.phone,
        }
        if self.address2:
            body["address2"] = self.address2
        if self.alias:
            body["alias"] = self.alias
        return body


_PRESERVED_OUTLET_FIELDS = {"stripeAccountId": str, "stripe": dict, "taxId": str}


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    address: str
    address2: str
    city: str
    state: str
    country: str
    post_code: str
    phone: str
    alias: str
    updated_at: datetime | None
    preserved: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, data: Any) -> "Outlet":
        if not isinstance(data, dict) or not is_valid_id(data.get("id")):
            raise FinalPOSBadResponse("Final POS sent an outlet the dashboard could not read.")
        return cls(
            id=data["id"],
            name=_text(data, "name"),
            address=_text(data, "address"),
            address2=_text(data, "address2"),
            city=_text(data, "city"),
            state=_text(data, "state"),
            country=_text(data, "country"),
            post_code=_text(data, "postCode"),
            phone=_text(data, "phone"),
            alias=_text(data, "alias"),
            updated_at=optional_time(data.get("updatedAt"), name="updatedAt"),
            preserved={
                key: data[key]
                for key, kind in _PRESERVED_OUTLET_FIELDS.items()
                if isinstance(data.get(key), kind)
            },
        )

    def to_input(self) -> OutletInput:
        return OutletInput(
            name=self.name,
            address=self.address,
            city=self.city,
            state=self.state,
            country=self.country,
            post_code=self.post_code,
            phone=self.phone,
            address2=self.address2,
            alias=self.alias,
            preserved=dict(self.preserved),
        )


# --- Transactions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Transaction:
    id: str
    session_id: str
    payment_method: str
    amount: Decimal
    type: str
    currency: str
    created_at: datetime | None

    @classmethod
    def from_wire(cls, data: Any) -> "Transaction":
        if not isinstance(data, dict):
            raise FinalPOSBadResponse("Final POS sent a transaction the dashboard could not read.")
        return cls(
            id=_text(data, "id"),
            session_id=_text(data, "sessionId"),
            payment_method=_text(data, "paymentMethod"),
            amount=money_from_wire(data.get("amount"), name="transaction amount"),
            type=_text(data, "type").lower(),
            currency=_text(data, "currency"),
            created_at=optional_time(data.get("createdAt"), name="createdAt"),
        )
