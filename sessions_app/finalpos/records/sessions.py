"""Sessions (a till's shift): what is read, and the whole-record body a create or PUT sends."""

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from sessions_app.finalpos.errors import FinalPOSBadResponse
from sessions_app.finalpos.records.fields import SERVER_FIELDS, optional_text, others, text
from sessions_app.finalpos.wire import (
    is_valid_id,
    money_from_wire,
    money_to_wire,
    optional_money,
    optional_time,
    time_from_wire,
    time_to_wire,
)

LONGEST_SESSION_NUMBER = 40

# The fields of a session the dashboard reads and writes; any other is kept as it came.
SESSION_FIELDS = frozenset(
    {
        "stationId",
        "sessionNumber",
        "openedBy",
        "openTime",
        "openingAmount",
        "notes",
        "closingAmounts",
        "openingNote",
        "closedBy",
        "closeTime",
        "closingAmount",
        "closingReportData",
        "closingNote",
    }
)


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
    # For an update: the record as Final POS sent it, and the body the dashboard would have
    # sent for it unchanged. Whatever the update does not change goes back exactly as read.
    original: dict[str, Any] = field(default_factory=dict, repr=False)
    as_read: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_wire(self) -> dict[str, Any]:
        body = self._known_fields()
        if not self.original:
            return body
        if isinstance(self.original.get("closingAmounts"), dict):
            body["closingAmounts"] = _merged(
                self.original["closingAmounts"],
                self.as_read.get("closingAmounts", {}),
                body["closingAmounts"],
            )
        return _merged(self.original, self.as_read, body)

    def _known_fields(self) -> dict[str, Any]:
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


def _merged(original: dict, as_read: dict, ours: dict) -> dict[str, Any]:
    """Our values, with every value we did not change in the form it came, and every field
    we never wrote kept. A field we read and left out on purpose (a reopen clears the close)
    stays out."""
    merged = {
        key: value for key, value in original.items() if key not in ours and key not in as_read
    }
    for key, value in ours.items():
        unchanged = key in as_read and value == as_read[key] and key in original
        merged[key] = _as_it_came(original[key], value) if unchanged else value
    return merged


def _as_it_came(original: Any, ours: Any) -> Any:
    """An unchanged value goes back in the form Final POS holds it, as long as that form is
    one the API takes (money and times as strings, notes as strings); else in ours."""
    if isinstance(ours, dict):
        return ours  # closingAmounts: merged key by key
    if isinstance(ours, list):
        readable = isinstance(original, list) and all(isinstance(item, str) for item in original)
        return original if readable else ours
    if isinstance(ours, str):
        return original if isinstance(original, str) else ours
    return original


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
    # The record as it came (less the server's own fields), for a PUT that keeps it whole.
    wire: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # When it was read (time.monotonic()): a write that took a while since re-reads first.
    read_at: float = field(default_factory=time.monotonic, compare=False, repr=False)

    @property
    def is_open(self) -> bool:
        return self.close_time is None

    @property
    def other_fields(self) -> dict[str, Any]:
        """Fields other writers put on the session that the dashboard does not know."""
        return others(self.wire, SESSION_FIELDS)

    @classmethod
    def from_wire(cls, data: Any) -> "Session":
        if not isinstance(data, dict) or not is_valid_id(data.get("id")):
            raise FinalPOSBadResponse(_("Final POS sent a session the dashboard could not read."))
        if not is_valid_id(data.get("stationId")):
            raise FinalPOSBadResponse(_("Final POS holds a session with no readable till."))
        if len(text(data, "sessionNumber")) > LONGEST_SESSION_NUMBER:
            raise FinalPOSBadResponse(
                _("Final POS holds a session number longer than the dashboard can hold.")
            )
        amounts = data.get("closingAmounts") or {}
        notes = data.get("notes") or []
        closing_note = data.get("closingNote")
        return cls(
            id=data["id"],
            company_id=text(data, "companyId"),
            station_id=text(data, "stationId"),
            session_number=text(data, "sessionNumber"),
            opened_by=text(data, "openedBy"),
            open_time=time_from_wire(data.get("openTime"), name="openTime"),
            opening_amount=money_from_wire(data.get("openingAmount", "0"), name="openingAmount"),
            notes=[str(note) for note in notes] if isinstance(notes, list) else [],
            closing_amounts={
                str(method): money_from_wire(amount, name=f"closingAmounts.{method}")
                for method, amount in (amounts.items() if isinstance(amounts, dict) else [])
                if amount not in (None, "")
            },
            opening_note=text(data, "openingNote"),
            closed_by=optional_text(data, "closedBy"),
            close_time=optional_time(data.get("closeTime"), name="closeTime"),
            closing_amount=optional_money(data.get("closingAmount"), name="closingAmount"),
            closing_report_data=_report_text(data.get("closingReportData")),
            closing_note=None if closing_note is None else text(data, "closingNote"),
            created_at=optional_time(data.get("createdAt"), name="createdAt"),
            updated_at=optional_time(data.get("updatedAt"), name="updatedAt"),
            wire={key: value for key, value in data.items() if key not in SERVER_FIELDS},
        )

    def to_input(self) -> SessionInput:
        """The whole record as a PUT body, ready to be changed with dataclasses.replace."""
        unchanged = SessionInput(
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
        return SessionInput(
            **{name: getattr(unchanged, name) for name in _INPUT_FIELDS},
            original=dict(self.wire),
            as_read=unchanged.to_wire(),
        )


_INPUT_FIELDS = [
    name for name in SessionInput.__dataclass_fields__ if name not in ("original", "as_read")
]


def _report_text(value: Any) -> str | None:
    """closingReportData is a string in the contract; a till that stored an object still
    has its report read (as JSON text)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)
