"""The Final POS REST API: the only code in the project that speaks HTTP to it."""

from sessions_app.finalpos.client import FinalPOSClient, get_client
from sessions_app.finalpos.errors import (
    FinalPOSAuthError,
    FinalPOSBadResponse,
    FinalPOSCircuitOpen,
    FinalPOSConflict,
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
    "FinalPOSConflict",
    "FinalPOSError",
    "FinalPOSNotFound",
    "FinalPOSRejected",
    "FinalPOSUnavailable",
    "InvalidFinalPOSId",
    "get_client",
]
