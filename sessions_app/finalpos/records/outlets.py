"""Outlets (stores): what is read, and the body a create or PUT sends."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from sessions_app.finalpos.errors import FinalPOSBadResponse
from sessions_app.finalpos.records.fields import others, text
from sessions_app.finalpos.wire import is_valid_id, optional_time


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
    # Fields the dashboard does not edit (payment and tax settings, other writers' own).
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


# The fields of an outlet the dashboard reads and writes. ``stations`` is not sent back: the
# list follows each station's outletId, and a stale copy would unlink a till added meanwhile.
OUTLET_FIELDS = frozenset(
    {
        "name",
        "address",
        "address2",
        "city",
        "state",
        "country",
        "postCode",
        "phone",
        "alias",
        "stations",
    }
)


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
            raise FinalPOSBadResponse(_("Final POS sent an outlet the dashboard could not read."))
        return cls(
            id=data["id"],
            name=text(data, "name"),
            address=text(data, "address"),
            address2=text(data, "address2"),
            city=text(data, "city"),
            state=text(data, "state"),
            country=text(data, "country"),
            post_code=text(data, "postCode"),
            phone=text(data, "phone"),
            alias=text(data, "alias"),
            updated_at=optional_time(data.get("updatedAt"), name="updatedAt"),
            preserved=others(data, OUTLET_FIELDS),
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
