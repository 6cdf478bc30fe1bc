"""One writer at a time: claims held in the database (so they hold across processes and
machines), committed at once, never a transaction held open across a call to Final POS.

- A till's claim is held while a shift is opened (or reopened) on it: a second person is told
  who is opening it.
- A shift's write lock is held while one person writes to it: a second writer waits, then
  re-reads and sees the first one's result ("already closed by ...").
- A job's lease is held by the one process running a background job (the refresh); another
  waits, and takes over once the holder stops renewing it.
"""

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.models import JobLease, ShiftWriteLock, Station, StationClaim
from sessions_app.services.errors import ShiftBusy, StationBusy

# Longer than any write can take with the client's timeouts (a few calls of 3 + 10 s): a lock
# older than this was left by a process that died, and is taken over.
STALE_AFTER = timedelta(minutes=2)
WAIT_FOR_WRITER = 30.0  # seconds a second writer waits for the first
POLL = 0.05


@contextmanager
def station_claim(station: Station, *, claimed_by: str) -> Iterator[None]:
    """Held while a shift is opened on a till; a second person is refused at once, by name."""
    now = timezone.now()
    claims = StationClaim.objects.filter(station_id=station.id)
    claims.filter(claimed_at__lt=now - STALE_AFTER).delete()
    try:
        with transaction.atomic():
            StationClaim.objects.create(
                station_id=station.id, claimed_at=now, claimed_by=claimed_by
            )
    except IntegrityError:
        claim = claims.first()
        raise StationBusy(
            _("%(who)s is opening a shift on %(till)s right now.")
            % {"who": claim.claimed_by if claim else _("Someone"), "till": station.name}
        ) from None
    try:
        yield
    finally:
        claims.delete()


@contextmanager
def shift_write_lock(
    session_id: str, *, holder: str, wait: float = WAIT_FOR_WRITER
) -> Iterator[None]:
    """Held across read, check, write and index of one shift. A second writer waits for the
    first (up to ``wait`` seconds), so it re-reads after the first one's write."""
    token = secrets.token_hex(16)
    deadline = time.monotonic() + wait
    while True:
        now = timezone.now()
        ShiftWriteLock.objects.filter(
            session_id=session_id, acquired_at__lt=now - STALE_AFTER
        ).delete()
        try:
            with transaction.atomic():
                ShiftWriteLock.objects.create(
                    session_id=session_id, holder=holder, token=token, acquired_at=now
                )
            break
        except IntegrityError:
            if time.monotonic() >= deadline:
                current = ShiftWriteLock.objects.filter(session_id=session_id).first()
                raise ShiftBusy(
                    _("%(who)s is saving a change to this shift; try again in a moment.")
                    % {"who": current.holder if current else _("Someone")}
                ) from None
            time.sleep(POLL)
    try:
        yield
    finally:
        ShiftWriteLock.objects.filter(session_id=session_id, token=token).delete()


def job_lease_take(name: str, *, holder: str, token: str, stale_after: timedelta) -> bool:
    """Takes or renews the lease on a job; False while another process holds it (and has
    renewed it within ``stale_after``)."""
    now = timezone.now()
    renewed = JobLease.objects.filter(name=name).filter(
        models.Q(token=token) | models.Q(renewed_at__lt=now - stale_after)
    )
    if renewed.update(holder=holder, token=token, renewed_at=now):
        return True
    try:
        with transaction.atomic():
            JobLease.objects.create(name=name, holder=holder, token=token, renewed_at=now)
    except IntegrityError:
        return False
    return True


def job_lease_release(name: str, *, token: str) -> None:
    JobLease.objects.filter(name=name, token=token).delete()


def job_lease_holder(name: str) -> str:
    return JobLease.objects.filter(name=name).values_list("holder", flat=True).first() or ""
