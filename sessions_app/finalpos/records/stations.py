"""Stations (tills): what is read, and the body a create or PUT sends."""

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from sessions_app.finalpos.errors import FinalPOSBadResponse
from sessions_app.finalpos.records.fields import others, text
from sessions_app.finalpos.wire import is_valid_id, optional_time


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


# The fields of a station the dashboard reads and writes; any other is kept as it came.
STATION_FIELDS = frozenset({"name", "outletId", "status", "deviceId", "deviceName", "isVirtual"})


@dataclass(frozen=True)
class StationInput:
    name: str
    outlet_id: str
    status: StationStatus = StationStatus.AVAILABLE
    device_id: str | None = None
    device_name: str | None = None
    is_virtual: bool | None = None
    # Fields the dashboard does not edit (its own or other writers'), sent back as read.
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
            raise FinalPOSBadResponse(_("Final POS sent a station the dashboard could not read."))
        return cls(
            id=data["id"],
            name=text(data, "name"),
            outlet_id=text(data, "outletId"),
            status=StationStatus.from_wire(data.get("status")),
            raw_status=text(data, "status"),
            device_name=text(data, "deviceName"),
            is_virtual=bool(data.get("isVirtual", False)),
            updated_at=optional_time(data.get("updatedAt"), name="updatedAt"),
            device_id=text(data, "deviceId"),
            has_is_virtual=isinstance(data.get("isVirtual"), bool),
            preserved=others(data, STATION_FIELDS),
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
