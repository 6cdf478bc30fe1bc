"""Finding the shifts the tills opened: Final POS lists no sessions, but every transaction
names its session, and transactions can be listed page by page, oldest first.

Each pass reads a bounded number of pages and sessions, so it fits in the refresh worker's
loop and behind a button: first the sales made since the last pass (from a stored watermark),
then, with what is left, older sales going back DISCOVERY_HISTORY_DAYS. Session ids not in
the index are queued, newest first, and read by their id; the queue carries over. What this
cannot find is written down in docs/finalpos.md (a shift with no sales yet, for one).
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sessions_app.finalpos import (
    FinalPOSBusy,
    FinalPOSCircuitOpen,
    FinalPOSClient,
    FinalPOSError,
    FinalPOSNotFound,
    get_client,
)
from sessions_app.finalpos.client import PAGE_SIZE
from sessions_app.finalpos.records import TransactionRef
from sessions_app.models import SessionRecord, SyncState
from sessions_app.services.index import shift_fetch

logger = logging.getLogger(__name__)

LONGEST_QUEUE = 20_000  # session ids waiting to be read; beyond this the oldest wait for later


@dataclass
class Position:
    """Where discovery got to in the company's list of transactions (counted from the oldest):
    everything before ``forward`` has been read once going forward, everything from
    ``backfill`` on going back. ``queue`` holds session ids found but not read yet."""

    forward: int
    backfill: int
    queue: list[str] = field(default_factory=list)

    @classmethod
    def stored(cls, state: SyncState) -> "Position | None":
        stored = state.position or {}
        try:
            return cls(
                forward=int(stored["forward"]),
                backfill=int(stored["backfill"]),
                queue=[str(item) for item in stored.get("queue", [])],
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class DiscoveryResult:
    found: int  # shifts added to the index
    gone: int  # ids named by a sale that Final POS no longer has
    failed: int  # reads that went wrong (those ids stay queued)
    waiting: int  # ids still queued for a later pass
    pages: int  # pages of sales read
    history_done: bool  # the look back over earlier sales is complete


def transaction_count(client: FinalPOSClient) -> int:
    """How many transactions the company has. The API gives no total: one-item pages are
    probed at doubling offsets, then the end is found by halving (about 2·log2(n) calls)."""

    def exists(index: int) -> bool:
        return bool(client.transaction_page(skip=index, limit=1))

    if not exists(0):
        return 0
    present, absent = 0, 1
    while exists(absent):
        present, absent = absent, absent * 2
    while absent - present > 1:
        middle = (present + absent) // 2
        if exists(middle):
            present = middle
        else:
            absent = middle
    return present + 1


def shifts_discover(
    *,
    client: FinalPOSClient | None = None,
    pages: int | None = None,
    shifts: int | None = None,
) -> DiscoveryResult:
    """One bounded pass of discovery (see the module's docstring)."""
    client = client or get_client()
    pages = settings.DISCOVERY_PAGES_PER_PASS if pages is None else pages
    shifts = settings.DISCOVERY_SESSIONS_PER_PASS if shifts is None else shifts
    state, _created = SyncState.objects.get_or_create(name=SyncState.DISCOVERY)
    position = Position.stored(state)
    pass_ = _Pass(client=client, pages_left=pages)
    try:
        if position is None:
            end = transaction_count(client)
            position = Position(forward=end, backfill=end)
        newest = pass_.read_forward(position)
        position.queue = _unknown([*reversed(newest), *position.queue])
        pass_.read_back(position)
        position.queue = _unknown(position.queue)
        found, gone, failed = pass_.read_shifts(position, shifts)
    except FinalPOSError as error:
        _save(state, position, error=error.message)
        raise
    _save(state, position, error="")
    return DiscoveryResult(
        found=found,
        gone=gone,
        failed=failed,
        waiting=len(position.queue),
        pages=pages - pass_.pages_left,
        history_done=position.backfill == 0,
    )


@dataclass
class _Pass:
    client: FinalPOSClient
    pages_left: int

    def read_forward(self, position: Position) -> list[str]:
        """Session ids of sales made since the last pass, oldest first. The page before the
        watermark is read again, so a few sales deleted meanwhile cannot make it skip any."""
        found: list[str] = []
        start = max(0, position.forward - PAGE_SIZE)
        position.backfill = min(position.backfill, start)  # going back starts below this
        while self.pages_left > 0:
            page = self._page(start, PAGE_SIZE)
            found += [ref.session_id for ref in page if ref.session_id]
            start += len(page)
            if len(page) < PAGE_SIZE:
                break
        position.forward = start
        return found

    def read_back(self, position: Position) -> None:
        """Queues the sessions of earlier sales, newest first, page by page, until the
        history window is covered."""
        horizon = timezone.now() - timedelta(days=settings.DISCOVERY_HISTORY_DAYS)
        while self.pages_left > 0 and position.backfill > 0:
            skip = max(0, position.backfill - PAGE_SIZE)
            page = self._page(skip, position.backfill - skip)
            position.queue += [ref.session_id for ref in reversed(page) if ref.session_id]
            position.backfill = skip
            if any(ref.created_at is not None and ref.created_at < horizon for ref in page):
                position.backfill = 0  # older than anyone looks for here

    def _page(self, skip: int, limit: int) -> list[TransactionRef]:
        self.pages_left -= 1
        return self.client.transaction_page(skip=skip, limit=limit)

    def read_shifts(self, position: Position, budget: int) -> tuple[int, int, int]:
        """Reads queued sessions into the index, newest first; a failed read stays queued."""
        found = gone = failed = 0
        retry: list[str] = []
        while position.queue and budget > 0:
            session_id = position.queue.pop(0)
            budget -= 1
            try:
                shift_fetch(session_id=session_id, client=self.client)
                found += 1
            except FinalPOSNotFound:
                gone += 1
            except (FinalPOSCircuitOpen, FinalPOSBusy):
                retry.append(session_id)
                failed += 1
                break  # nothing else will work for now
            except FinalPOSError as error:
                logger.warning("Session %s not read: %s", session_id, error.message)
                retry.append(session_id)
                failed += 1
            except Exception:  # one bad record must not stop discovery (or the worker)
                logger.exception("Session %s could not be indexed", session_id)
                failed += 1
        position.queue = [*position.queue, *retry][:LONGEST_QUEUE]
        return found, gone, failed


def _unknown(shift_ids: list[str]) -> list[str]:
    """The ids not in the index yet, each once, in the order given."""
    ordered = list(dict.fromkeys(shift_ids))
    known: set[str] = set()
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        known |= set(SessionRecord.objects.filter(id__in=chunk).values_list("id", flat=True))
    return [session_id for session_id in ordered if session_id not in known][:LONGEST_QUEUE]


def _save(state: SyncState, position: Position | None, *, error: str) -> None:
    now = timezone.now()
    state.last_attempt_at = now
    state.last_error = error
    if not error:
        state.last_success_at = now
    if position is not None:
        state.position = asdict(position)
    state.save()
