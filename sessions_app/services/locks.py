"""One writer at a time: claims held in the database (so they hold across processes and
machines), committed at once, never a transaction held open across a call to Final POS.

- A till's claim is held while a shift is opened (or reopened) on it: a second person is told
  who is opening it.
- A shift's write lock is held while one person writes to it: a second writer waits, then
  re-reads and sees the first one's result ("already closed by ...").
- A job's lease is held by the one process running a background job (the refresh); another
  waits, and takes over once the holder stops renewing it.

Each names the process holding it: one that died (killed, crashed, its machine gone) is taken
over as soon as that is known (services/liveness.py), not only once it is old.
"""

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.models import JobLease, ShiftWriteLock, Station, StationClaim
from sessions_app.roles import User
from sessions_app.services.errors import ShiftBusy, TillBusy
from sessions_app.services.liveness import process_announce, process_dead

# Longer than any write can take with the client's timeouts (a few calls of 3 + 10 s): a lock
# older than this is taken over even when its holder cannot be told dead.
STALE_AFTER = timedelta(minutes=2)
WAIT_FOR_WRITER = 30.0  # seconds a second writer waits for the first
POLL = 0.05
LIVENESS_EVERY = 0.5  # seconds between looks at whether a holder has died
REFRESH_HOLDER = "refresh"  # the holder name of the refresh's own reads


@contextmanager
def till_claim(till: Station, *, claimed_by: str) -> Iterator[None]:
    """Held while a shift is opened on a till; a second person is refused at once, by name."""
    process = process_announce()
    now = timezone.now()
    claims = StationClaim.objects.filter(station_id=till.id)
    if not _claim_taken(till, claimed_by=claimed_by, process=process, now=now):
        current = claims.first()
        if current and (
            current.claimed_at < now - STALE_AFTER
            or process_dead(current.process, held_since=current.claimed_at)
        ):
            _rows_delete(
                StationClaim,
                station_id=till.id,
                claimed_at=current.claimed_at,
                process=current.process,
            )
            current = None
        if current is not None or not _claim_taken(
            till, claimed_by=claimed_by, process=process, now=now
        ):
            claim = current or claims.first()
            raise TillBusy(
                _("%(who)s is opening a shift on %(till)s right now.")
                % {"who": claim.claimed_by if claim else _("Someone"), "till": till.name}
            )
    try:
        yield
    finally:  # ours only: a claim taken over from us (thought dead) is the taker's
        _rows_delete(StationClaim, station_id=till.id, claimed_at=now, process=process)


def _claim_taken(till: Station, *, claimed_by: str, process: str, now: datetime) -> bool:
    """Takes the till's claim when nobody holds it (one statement: the claim is the row)."""
    return _row_insert_if_free(
        StationClaim, station_id=till.id, claimed_at=now, claimed_by=claimed_by, process=process
    )


# A claim or a lock is taken and let go in one statement each, with no transaction of its own:
# Django's create() in atomic() and QuerySet.delete() are BEGIN, the statement and COMMIT on
# SQLite, four statements more on every open and every write to a shift. With ON CONFLICT DO
# NOTHING, a claim already held is a row not inserted rather than an error, which needed a
# transaction (or, inside a caller's, a savepoint) of its own to be caught.


def _row_insert_if_free(model: type[models.Model], **values: object) -> bool:
    """Inserts the row (its fields by name: holder_user, not holder_user_id) unless its
    primary key is taken; whether it was inserted."""
    fields = [_field(model, name) for name in values]
    columns = ", ".join(_column(field) for field in fields)
    params = [field.get_db_prep_save(values[field.name], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(model)} ({columns}) "  # noqa: S608 - the model's names
            f"VALUES ({', '.join(['%s'] * len(params))}) "
            f"ON CONFLICT ({_column(_field(model, 'pk'))}) DO NOTHING",
            params,
        )
        return cursor.rowcount == 1


def _rows_delete(model: type[models.Model], **equal: object) -> None:
    """Deletes the rows whose fields (by name) hold these values."""
    fields = [_field(model, name) for name in equal]
    where = " AND ".join(f"{_column(field)} = %s" for field in fields)
    params = [field.get_db_prep_value(equal[field.name], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(model)} WHERE {where}", params)  # noqa: S608


def _field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _column(field: "models.Field[Any, Any]") -> str:
    assert field.column is not None
    return connection.ops.quote_name(field.column)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@contextmanager
def shift_write_lock(
    session_id: str, *, holder: str, holder_user: User | None = None, wait: float = WAIT_FOR_WRITER
) -> Iterator[None]:
    """Held across read, check, write and index of one shift. A second writer waits for the
    first (up to ``wait`` seconds), so it re-reads after the first one's write; a lock whose
    holder died is taken over at once."""
    process = process_announce()
    token = secrets.token_hex(16)
    deadline = time.monotonic() + wait
    next_look = 0.0
    while True:
        now = timezone.now()
        if _row_insert_if_free(
            ShiftWriteLock,
            session_id=session_id,
            holder=holder,
            holder_user=holder_user.pk if holder_user is not None else None,
            token=token,
            acquired_at=now,
            process=process,
        ):
            break
        # Held: by a process that died? Looked at on the first refusal, then every so often.
        if time.monotonic() >= next_look:
            next_look = time.monotonic() + LIVENESS_EVERY
            if _write_lock_take_over_dead(session_id, now=now):
                continue
        if time.monotonic() >= deadline:
            current = ShiftWriteLock.objects.filter(session_id=session_id).first()
            if current is None:  # let go just now: one more try
                continue
            raise ShiftBusy(_busy_message(current, holder_user))
        time.sleep(POLL)
    try:
        yield
    finally:
        _rows_delete(ShiftWriteLock, session_id=session_id, token=token)  # ours only


def _write_lock_take_over_dead(session_id: str, *, now: datetime) -> bool:
    """Deletes the shift's lock when its holder died or it is stale; whether it did."""
    current = ShiftWriteLock.objects.filter(session_id=session_id).first()
    if current and (
        current.acquired_at < now - STALE_AFTER
        or process_dead(current.process, held_since=current.acquired_at)
    ):
        # Only that lock: a writer that took it meanwhile keeps its own.
        _rows_delete(ShiftWriteLock, session_id=session_id, token=current.token)
        return True
    return False


def _busy_message(current: ShiftWriteLock, waiting_user: User | None) -> str:
    """What a writer who waited in vain is told: never their own name as if someone else were
    saving, and what to do."""
    if waiting_user is not None and current.holder_user_id == waiting_user.pk:
        return _(
            "Your earlier save of this shift is still being written to Final POS. Wait a "
            "moment, then reload the page to see whether it went through."
        )
    if current.holder == REFRESH_HOLDER:
        return _("This shift is being read from Final POS right now; try again in a moment.")
    return _("%(who)s is saving a change to this shift right now; try again in a moment.") % {
        "who": current.holder
    }


def job_lease_take(name: str, *, holder: str, token: str, stale_after: timedelta) -> bool:
    """Takes or renews the lease on a job; False while another process holds it (alive, and
    renewed within ``stale_after``)."""
    process = process_announce()
    now = timezone.now()
    leases = JobLease.objects.filter(name=name)
    if leases.filter(token=token).update(holder=holder, renewed_at=now, process=process):
        return True
    current = leases.first()
    if current is None:
        return _row_insert_if_free(
            JobLease, name=name, holder=holder, token=token, renewed_at=now, process=process
        )
    if current.renewed_at >= now - stale_after and not process_dead(
        current.process, held_since=current.renewed_at
    ):
        return False
    # Taken over from that holder only: of two waiting processes, one gets it.
    return bool(
        leases.filter(token=current.token).update(
            holder=holder, token=token, renewed_at=now, process=process
        )
    )


def job_lease_release(name: str, *, token: str) -> None:
    JobLease.objects.filter(name=name, token=token).delete()


def job_lease_holder(name: str) -> str:
    return JobLease.objects.filter(name=name).values_list("holder", flat=True).first() or ""
