"""One refresh pass from Final POS: outlets and tills, shifts the tills opened, then the open
and recent shifts. Run by the worker in a loop (one worker at a time) and by the board's
button."""

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import DatabaseError, InterfaceError, close_old_connections, connection

from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client
from sessions_app.services.catalog import CatalogRefreshResult, catalog_refresh
from sessions_app.services.discovery import DiscoveryResult, shifts_discover
from sessions_app.services.index_refresh import ShiftsRefreshResult, shifts_refresh
from sessions_app.services.locks import job_lease_holder, job_lease_release, job_lease_take

logger = logging.getLogger(__name__)


@dataclass
class RefreshPass:
    catalog: CatalogRefreshResult | None = None
    discovery: DiscoveryResult | None = None
    shifts: ShiftsRefreshResult | None = None
    errors: list[str] = field(default_factory=list)


def finalpos_refresh(
    *, client: FinalPOSClient | None = None, stopping: threading.Event | None = None
) -> RefreshPass:
    """Each step runs even when the one before failed (a catalog that cannot be read does
    not stop open shifts from being re-read); what failed is in ``errors``. Once ``stopping``
    is set (the worker was told to stop), the pass ends after the step it is in."""
    client = client or get_client()
    stopping = stopping or threading.Event()
    result = RefreshPass()
    try:
        result.catalog = catalog_refresh(client=client)
    except FinalPOSError as error:
        result.errors.append(error.message)
    if stopping.is_set():
        return result
    try:
        result.discovery = shifts_discover(client=client)
    except FinalPOSError as error:
        result.errors.append(error.message)
    if stopping.is_set():
        return result
    result.shifts = shifts_refresh(client=client)
    if result.shifts.stopped:
        result.errors.append(result.shifts.stopped)
    return result


REFRESH_JOB = "refresh"
# A worker waiting for the lease looks again this often: after a deploy the new worker takes
# over within seconds of the old one letting go, whatever --interval is.
LEASE_POLL = 5.0


def refresh_loop(
    *,
    interval: float,
    holder: str,
    stopping: threading.Event,
    token: str = "",
    on_pass: Callable[[RefreshPass], None] = lambda result: None,
    housekeeping: Callable[[], None] = lambda: None,
) -> None:
    """Refreshes every ``interval`` seconds while this process holds the refresh lease, until
    ``stopping`` is set (at a safe point: between passes, or between the steps of one). A
    second worker instance waits instead of repeating every call, and takes over when the
    holder lets go or dies. The database or Final POS failing never ends the loop: the next
    pass tries again. ``housekeeping`` runs at every look, leased or not."""
    token = token or secrets.token_hex(16)
    stale_after = timedelta(seconds=max(3 * interval, 300))
    waiting = failing = False
    try:
        while not stopping.is_set():
            wait = min(interval, LEASE_POLL)
            try:
                close_old_connections()
                housekeeping()
                if job_lease_take(REFRESH_JOB, holder=holder, token=token, stale_after=stale_after):
                    waiting = False
                    on_pass(finalpos_refresh(stopping=stopping))
                    wait = interval
                elif not waiting:
                    logger.info(
                        "Another worker (%s) is refreshing from Final POS; this one waits",
                        job_lease_holder(REFRESH_JOB),
                    )
                    waiting = True
                if failing:
                    logger.info("Refresh: the database answers again")
                failing = False
            except (DatabaseError, InterfaceError) as error:
                if not failing:
                    logger.warning("Refresh: the database is unreachable (%s); retrying", error)
                failing = True
                connection.close()
            except Exception:
                # A worker that dies stops till statuses and history from being kept
                # fresh: log whatever went wrong and try again on the next pass.
                logger.exception("Refresh pass failed; the next pass will try again")
            stopping.wait(wait)
    finally:
        lease_let_go(token)


def lease_let_go(token: str) -> None:
    """Releases the refresh lease held with ``token``, so another worker takes over now."""
    try:
        job_lease_release(REFRESH_JOB, token=token)
    except (
        DatabaseError,
        InterfaceError,
    ) as error:  # it is taken over once this process is seen gone
        logger.warning("The refresh lease could not be released: %s", error)
