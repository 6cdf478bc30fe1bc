"""The Final POS REST API: the only code in the project that speaks HTTP to it."""

from sessions_app.finalpos.client import FinalPOSClient, get_client
from sessions_app.finalpos.errors import (
    FinalPOSAuthError,
    FinalPOSBadResponse,
    FinalPOSBusy,
    FinalPOSCircuitOpen,
    FinalPOSError,
    FinalPOSNotFound,
    FinalPOSNotSaved,
    FinalPOSNotSeenYet,
    FinalPOSOutcomeUnknown,
    FinalPOSRedirected,
    FinalPOSRejected,
    FinalPOSUnavailable,
    InvalidFinalPOSId,
)

__all__ = [
    "FinalPOSAuthError",
    "FinalPOSBadResponse",
    "FinalPOSBusy",
    "FinalPOSCircuitOpen",
    "FinalPOSClient",
    "FinalPOSError",
    "FinalPOSNotFound",
    "FinalPOSNotSaved",
    "FinalPOSNotSeenYet",
    "FinalPOSOutcomeUnknown",
    "FinalPOSRedirected",
    "FinalPOSRejected",
    "FinalPOSUnavailable",
    "InvalidFinalPOSId",
    "get_client",
]
