"""Is the process holding a lock still alive? Write locks, till claims, the refresh lease and
running tasks name the process that holds them (``host:pid:start``). On the same machine the
operating system answers at once (is that pid still the process that started then); on another
machine, the holder's heartbeat does: each holding process writes one every
PROCESS_HEARTBEAT_SECONDS, and one whose beat is older than three of them has died.

Age alone (the old rule) left a shift locked for two minutes after a web worker was killed,
and the refresh unrun for five after a deploy.
"""

import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from sessions_app.models import ProcessBeat

logger = logging.getLogger(__name__)

# Rows of processes gone this long are deleted by the next beat of any process.
FORGET_AFTER = timedelta(days=1)

_lock = threading.Lock()
_beating_pid: int | None = None  # the process whose beat thread runs (none after a fork)


def _start_ticks(pid: int) -> str:
    """When the process started, in clock ticks since boot (Linux), so a pid reused by a new
    process is not taken for the old one; "" where /proc does not say."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # The command name (field 2) may hold spaces and parentheses: count from its end.
            fields = stat.read().rsplit(b")", 1)[1].split()
        return fields[19].decode()
    except (OSError, IndexError):
        return ""


def _host() -> str:
    return socket.gethostname()[:40]  # the id fits a task worker id (64)


def process_id() -> str:
    """This process, as locks and leases name it: host, pid, and when it started."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_ticks(pid)}"


def process_announce() -> str:
    """Called before this process takes a lock, a lease or a task: records it as alive and,
    the first time, starts its heartbeat. Returns its id."""
    global _beating_pid
    process = process_id()
    with _lock:
        if _beating_pid == os.getpid():
            return process
        _beating_pid = os.getpid()
    _beat(process)
    if settings.PROCESS_HEARTBEAT_SECONDS > 0:
        threading.Thread(
            target=_beat_forever, args=(process,), name="process-heartbeat", daemon=True
        ).start()
    return process


def _beat(process: str) -> None:
    now = timezone.now()
    if ProcessBeat.objects.filter(process=process).update(beat_at=now):
        return
    try:
        with transaction.atomic():
            ProcessBeat.objects.create(process=process, started_at=now, beat_at=now)
    except IntegrityError:  # another thread of this process wrote it first
        ProcessBeat.objects.filter(process=process).update(beat_at=now)


def _beat_forever(process: str) -> None:
    interval = settings.PROCESS_HEARTBEAT_SECONDS
    failing = False
    while True:
        time.sleep(interval)
        try:
            close_old_connections()
            _beat(process)
            ProcessBeat.objects.filter(beat_at__lt=timezone.now() - FORGET_AFTER).delete()
        except DatabaseError as error:
            # The database is down: nobody can take what this process holds meanwhile either.
            if not failing:
                logger.warning("Heartbeat of %s not written: %s", process, error)
            failing = True
            connection.close()
        else:
            if failing:
                logger.info("Heartbeat of %s written again", process)
            failing = False


def dead_after() -> timedelta:
    return timedelta(seconds=3 * max(settings.PROCESS_HEARTBEAT_SECONDS, 1))


def process_dead(process: str, *, held_since: datetime | None = None) -> bool:
    """True when the named process has certainly or most likely died; False while it is alive
    or cannot be told (an empty name, from before holders were named: age decides those).
    ``held_since``: when it took what it holds. A process on another machine with no heartbeat
    row is dead only once that is older than three beats (its first row may have been written
    in a transaction that was rolled back; its next beat writes it again)."""
    host, _, rest = process.partition(":")
    pid_text, _, started = rest.partition(":")
    if not host or not pid_text.isdigit():
        return False
    if host == _host():
        pid = int(pid_text)
        if pid == os.getpid():
            return started != _start_ticks(pid)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, and someone else's
            pass
        return bool(started) and _start_ticks(pid) != started
    beat = ProcessBeat.objects.filter(process=process).values_list("beat_at", flat=True).first()
    silent_since = timezone.now() - dead_after()
    if beat is None:
        return held_since is None or held_since < silent_since
    return beat < silent_since
