"""One refresh pass from Final POS: outlets and tills, shifts the tills opened, then the open
and recent shifts. Run by the worker in a loop (one worker at a time) and by the board's
button."""

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import close_old_connections

from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client
from sessions_app.services.catalog import CatalogRefreshResult, catalog_refresh
from sessions_app.services.discovery import DiscoveryResult, sessions_discover
from sessions_app.services.index_refresh import SessionsRefreshResult, sessions_refresh
from sessions_app.services.locks import job_lease_holder, job_lease_release, job_lease_take

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


REFRESH_JOB = "refresh"


def refresh_loop(
    *,
    interval: float,
    holder: str,
    keep_going: Callable[[], bool] = lambda: True,
    on_pass: Callable[[RefreshPass], None] = lambda result: None,
) -> None:
    """Refreshes every ``interval`` seconds while this process holds the refresh lease. A
    second worker instance waits instead of repeating every call, and takes over when the
    holder stops renewing (it died, or was scaled away)."""
    token = secrets.token_hex(16)
    stale_after = timedelta(seconds=max(3 * interval, 300))
    waiting = False
    try:
        while keep_going():
            close_old_connections()
            if job_lease_take(REFRESH_JOB, holder=holder, token=token, stale_after=stale_after):
                waiting = False
                try:
                    on_pass(finalpos_refresh())
                except Exception:
                    # A worker that dies stops till statuses and history from being kept
                    # fresh: log whatever went wrong and try again on the next pass.
                    logger.exception("Refresh pass failed; the next pass will try again")
            elif not waiting:
                logger.info(
                    "Another worker (%s) is refreshing from Final POS; this one waits",
                    job_lease_holder(REFRESH_JOB),
                )
                waiting = True
            time.sleep(interval)
    finally:
        job_lease_release(REFRESH_JOB, token=token)
