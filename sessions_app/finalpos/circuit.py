"""A circuit breaker with its state in Django's cache, so all web workers share it.

After FINALPOS_CIRCUIT_FAILURES failures within FINALPOS_CIRCUIT_WINDOW seconds, calls fail
fast for FINALPOS_CIRCUIT_COOLDOWN seconds. After the cool-down one failure reopens it at
once (half-open); one success closes it. While the shared cache is down, each process keeps
its own breaker (sessions_app/shared_cache.py): pages never fail for it.
"""

import time
from dataclasses import dataclass

from django.conf import settings

from sessions_app import shared_cache as cache

FAILURES_KEY = "finalpos:circuit:failures"
OPEN_UNTIL_KEY = "finalpos:circuit:open-until"
TRIPPED_KEY = "finalpos:circuit:tripped"
BUSY_UNTIL_KEY = "finalpos:circuit:busy-until"

clock = time.time  # replaced by a fake clock in tests, so they need not sleep


@dataclass(frozen=True)
class CircuitState:
    """The breaker as one read of the cache: a call checks it once before it goes out, and
    its success resets it only when there was something to reset."""

    open_until: float | None  # when the open circuit closes again; None: closed
    paused_for: float  # seconds left of a wait Final POS asked for
    troubled: bool  # failures counted, or tripped since the last success


def state() -> CircuitState:
    found = cache.get_many([OPEN_UNTIL_KEY, BUSY_UNTIL_KEY, TRIPPED_KEY, FAILURES_KEY])
    now = clock()
    until, busy = found.get(OPEN_UNTIL_KEY), found.get(BUSY_UNTIL_KEY)
    return CircuitState(
        open_until=until if until is not None and until > now else None,
        paused_for=max(busy - now, 0.0) if busy is not None else 0.0,
        troubled=bool(found.get(TRIPPED_KEY) or found.get(FAILURES_KEY)),
    )


def open_until() -> float | None:
    """When the open circuit closes again (epoch seconds), or None if it is closed."""
    until = cache.get(OPEN_UNTIL_KEY)
    if until is not None and until > clock():
        return until
    return None


def is_open() -> bool:
    return open_until() is not None


def record_success(before: CircuitState | None = None) -> None:
    """One success closes the circuit. ``before``: the state the call saw as it went out (a
    calm one has nothing to reset, and is not read again)."""
    if before is not None and not before.troubled:
        return
    if cache.get(TRIPPED_KEY) or cache.get(FAILURES_KEY):
        cache.delete_many([FAILURES_KEY, TRIPPED_KEY, OPEN_UNTIL_KEY])


def record_failure() -> None:
    cooldown = settings.FINALPOS_CIRCUIT_COOLDOWN
    if cache.get(TRIPPED_KEY):
        _open(cooldown)
        return
    cache.add(FAILURES_KEY, 0, timeout=settings.FINALPOS_CIRCUIT_WINDOW)
    try:
        failures = cache.incr(FAILURES_KEY)
    except ValueError:  # the window expired between add and incr
        cache.set(FAILURES_KEY, 1, timeout=settings.FINALPOS_CIRCUIT_WINDOW)
        failures = 1
    if failures >= settings.FINALPOS_CIRCUIT_FAILURES:
        _open(cooldown)


def _open(cooldown: int) -> None:
    cache.set(OPEN_UNTIL_KEY, clock() + cooldown, timeout=cooldown)
    cache.set(TRIPPED_KEY, True, timeout=cooldown + settings.FINALPOS_CIRCUIT_WINDOW)
    cache.delete(FAILURES_KEY)


def pause(seconds: float) -> None:
    """Final POS asked the dashboard to wait (429 Retry-After): no calls until then."""
    if seconds > 0:
        cache.set(BUSY_UNTIL_KEY, clock() + seconds, timeout=int(seconds) + 1)


def paused_for() -> float:
    """Seconds left of a wait Final POS asked for (0: none)."""
    until = cache.get(BUSY_UNTIL_KEY)
    return max(until - clock(), 0.0) if until is not None else 0.0


def reset() -> None:
    cache.delete_many([FAILURES_KEY, TRIPPED_KEY, OPEN_UNTIL_KEY, BUSY_UNTIL_KEY])
