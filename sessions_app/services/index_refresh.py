"""One pass over the index (the refresh worker and the board's button): re-reads the open and
recently closed shifts from Final POS, notes the missing ones, and retries till statuses."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.finalpos import (
    FinalPOSBusy,
    FinalPOSCircuitOpen,
    FinalPOSClient,
    FinalPOSError,
    FinalPOSNotFound,
    get_client,
)
from sessions_app.models import LedgerEntry, SessionRecord, SyncState
from sessions_app.services.index import index_note_missing, shift_refresh
from sessions_app.services.ledger_write_back import ledger_write_back
from sessions_app.services.till_status import till_status_push

logger = logging.getLogger(__name__)

RECENT_CLOSES = timedelta(hours=48)
# Recent closes re-read per pass, the longest unread first: with Final POS at 100 ms a call a pass
# stays near 10 s however many shifts a chain closes in 48 hours, and each is read in turn.
RECENT_CLOSES_PER_PASS = 100
# Every pass reads again the shifts the dashboard wrote to this recently, to see at once a
# till's write that lands over ours; older ones are read in turn with the recent closes.
VERIFY_WRITES_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class ShiftsRefreshResult:
    refreshed: int
    gone: int
    failed: int
    till_statuses_fixed: int
    stopped: str = ""  # why the pass was stopped early, when it was
    written_back: int = 0  # shifts given back what of ours Final POS did not carry


@dataclass
class _PassHealth:
    """A pass in which most reads fail or come back "no such session" says more about the
    connection (a misrouted gateway, another company's key) than about the shifts."""

    attempts: int = 0
    bad: int = 0

    def note(self, *, ok: bool) -> None:
        self.attempts += 1
        self.bad += 0 if ok else 1

    @property
    def failing(self) -> bool:
        return self.bad >= PASS_SAMPLE and self.bad * 2 > self.attempts


PASS_SAMPLE = 3  # a pass is judged once this many reads went wrong


def shifts_refresh(
    *, recent: timedelta = RECENT_CLOSES, client: FinalPOSClient | None = None
) -> ShiftsRefreshResult:
    """Re-reads the open and recently closed shifts, and retries pending till statuses.

    Stops early when Final POS is down (the circuit opens) or when most reads go wrong; a
    stopped pass marks nothing missing, and says why on the board."""
    client = client or get_client()
    since = timezone.now() - recent
    indexed = SessionRecord.objects.filter(deleted_at__isnull=True)
    every_pass = shifts_to_read_every_pass()
    # A shift that failed to read last time goes after the others, so a few that keep failing
    # never take every place in the pass.
    failed_last = models.Case(models.When(last_error="", then=0), default=1)
    closed_lately = indexed.filter(close_time__gte=since, missing_since__isnull=True).order_by(
        failed_last, "fetched_at"
    )[:RECENT_CLOSES_PER_PASS]
    records = chain(every_pass.iterator(), closed_lately)
    refreshed = failed = written_back = 0
    missing: list[SessionRecord] = []
    health = _PassHealth()
    stopped = ""
    for record in records:
        read = False
        try:
            fresh = shift_refresh(record, client=client, note_missing=False)
            refreshed += 1
            read = True
            if fresh.unsynced:
                ledger_write_back(record=fresh, client=client)
                written_back += 1
        except FinalPOSNotFound:
            missing.append(record)
        except (FinalPOSCircuitOpen, FinalPOSBusy) as error:
            failed += 1
            stopped = error.stored_message  # nothing else will work for now: the next pass tries
            break
        except FinalPOSError:
            failed += 1
        except Exception:  # one bad record must never stop the pass (or the worker)
            logger.exception("Shift %s could not be refreshed", record.id)
            failed += 1
        health.note(ok=read)
        if health.failing:
            stopped = _(
                "Stopped after %(bad)d of %(read)d shifts could not be read or were reported "
                "missing: nothing was marked deleted."
            ) % {"bad": health.bad, "read": health.attempts}
            break
    gone = 0
    if not health.failing:
        gone = sum(index_note_missing(record) for record in missing)
    _note_pass(stopped)
    fixed = 0
    pending = SessionRecord.objects.exclude(station_status_pending="").filter(
        deleted_at__isnull=True
    )
    for record in pending:
        if not till_status_push(record, client):
            fixed += 1
    return ShiftsRefreshResult(
        refreshed=refreshed,
        gone=gone,
        failed=failed,
        till_statuses_fixed=fixed,
        stopped=stopped,
        written_back=written_back,
    )


def shifts_to_read_every_pass() -> QuerySet[SessionRecord]:
    """The shifts each pass reads again: open shifts, shifts Final POS could not find, shifts
    with something of ours to write back (a till dropped it, or held the shift open when it
    was recorded), and shifts the dashboard wrote to lately (a till's queued copy may land over
    ours after our write). Each part through its own index, as one list of ids: an OR of them
    makes the databases read every shift there is, every pass."""
    indexed = SessionRecord.objects.filter(deleted_at__isnull=True)
    written_lately = LedgerEntry.objects.filter(
        written_at__gte=timezone.now() - VERIFY_WRITES_FOR
    ).values("session_id")
    return indexed.filter(
        id__in=indexed.filter(close_time__isnull=True)
        .order_by()
        .values("id")
        .union(
            indexed.filter(missing_since__isnull=False).order_by().values("id"),
            indexed.filter(unsynced__gt=0).order_by().values("id"),
            written_lately,
            all=True,
        )
    )


def _note_pass(stopped: str) -> None:
    now = timezone.now()
    defaults: dict[str, Any] = {"last_attempt_at": now, "last_error": stopped}
    if not stopped:
        defaults["last_success_at"] = now
    SyncState.objects.update_or_create(name=SyncState.SESSIONS, defaults=defaults)
