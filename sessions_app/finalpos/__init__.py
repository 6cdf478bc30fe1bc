"""The Final POS REST API: the only code in the project that speaks HTTP to it."""

from sessions_app.finalpos.client import FinalPOSClient, get_client
from sessions_app.finalpos.errors import (
    FinalPOSAuthError,
    FinalPOSBadResponse,
    FinalPOSCircuitOpen,
    FinalPOSError,
    FinalPOSNotFound,
    FinalPOSRejected,
    FinalPOSUnavailable,
    InvalidFinalPOSId,
)

__all__ = [
    "FinalPOSAuthError",
    "FinalPOSBadResponse",
    "FinalPOSCircuitOpen",
    "FinalPOSClient",
    "FinalPOSError",
    "FinalPOSNotFound",
    "FinalPOSRejected",
    "FinalPOSUnavailable",
    "InvalidFinalPOSId",
    "get_client",
]
