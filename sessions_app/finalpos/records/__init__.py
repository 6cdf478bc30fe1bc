"""Typed Final POS records and their exact wire format.

Reading is tolerant (``Z`` or ``+00:00``, numbers or strings for money); writing is strict:
money as two-decimal strings, times as UTC ISO 8601 with milliseconds and ``Z``, and required
arrays, objects and strings never null. Fields the dashboard does not know are kept and sent
back as read: a whole-record PUT erases whatever it omits, and other writers (the tills, the
vendor's back office) keep their own data on the same records.
"""

from sessions_app.finalpos.records.outlets import Outlet, OutletInput
from sessions_app.finalpos.records.sessions import Session, SessionInput
from sessions_app.finalpos.records.stations import Station, StationInput, StationStatus
from sessions_app.finalpos.records.transactions import Transaction, TransactionRef
from sessions_app.finalpos.wire import (
    CENT,
    is_valid_id,
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
    "TransactionRef",
    "is_valid_id",
    "time_from_wire",
    "time_to_wire",
    "validate_id",
]
