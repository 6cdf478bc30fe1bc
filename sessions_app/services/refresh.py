"""One refresh pass from Final POS: outlets and tills, shifts the tills opened, then the open
and recent shifts. Run by the worker in a loop and by a manager's button."""

import logging
from dataclasses import dataclass, field

from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client
from sessions_app.services.catalog import CatalogRefreshResult, catalog_refresh
from sessions_app.services.discovery import DiscoveryResult, sessions_discover
from sessions_app.services.index import SessionsRefreshResult, sessions_refresh

logger = logging.getLogger(__name__)


@dataclass
class RefreshPass:
    catalog: CatalogRefreshResult | None = None
    discovery: DiscoveryResult | None = None
    shifts: SessionsRefreshResult | None = None
    errors: list[str] = field(default_factory=list)


def finalpos_refresh(*, client: FinalPOSClient | None = None) -> RefreshPass:
    """Each step runs even when the one before failed (a catalog that cannot be read does
    not stop open shifts from being re-read); what failed is in ``errors``."""
    client = client or get_client()
    result = RefreshPass()
    try:
        result.catalog = catalog_refresh(client=client)
    except FinalPOSError as error:
        result.errors.append(error.message)
    try:
        result.discovery = sessions_discover(client=client)
    except FinalPOSError as error:
        result.errors.append(error.message)
    result.shifts = sessions_refresh(client=client)
    if result.shifts.stopped:
        result.errors.append(result.shifts.stopped)
    return result
