"""The shared cache (Redis, or the database's cache table), used so that its outage costs the
sharing, never a page: while it fails, each process keeps the values in its own memory and
logs one warning; when it answers again, it is used again (and that is logged too).

What lives there must tolerate this: the Final POS circuit breaker (each process then counts
its own failures), the board's cards and the site's last origin. The sign-in throttle is kept
in the database instead (sessions_app/signin.py): a lockout must not lapse with Redis.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)


# After a failure the shared cache is not asked again for this long: a Redis that hangs would
# otherwise cost its socket timeout on every call of every page.
RETRY_AFTER = 5.0

_fallback = LocMemCache("shared-cache-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_state_lock = threading.Lock()
_down_until = 0.0
_down = False


def _call[T](operation: Callable[[Any], T]) -> T:
    global _down_until, _down
    if time.monotonic() >= _down_until:
        try:
            result = operation(cache)
        except ValueError:  # incr of a key that is gone: an answer, not an outage
            raise
        except Exception as error:  # every backend fails its own way (redis, database, socket)
            with _state_lock:
                _down_until = time.monotonic() + RETRY_AFTER
                if not _down:
                    logger.warning(
                        "The shared cache is unreachable (%s): each process keeps its own "
                        "circuit breaker and page cache until it answers again",
                        error,
                    )
                _down = True
        else:
            if _down:
                with _state_lock:
                    _down = False
                logger.info("The shared cache answers again")
            return result
    return operation(_fallback)


def get(key: str, default: Any = None) -> Any:
    return _call(lambda store: store.get(key, default))


def get_many(keys: Iterable[str]) -> dict[str, Any]:
    keys = list(keys)
    return _call(lambda store: store.get_many(keys))


def set(key: str, value: Any, timeout: float | None) -> None:
    _call(lambda store: store.set(key, value, timeout=timeout))


def set_many(values: dict[str, Any], timeout: float | None) -> None:
    _call(lambda store: store.set_many(values, timeout=timeout))


def add(key: str, value: Any, timeout: float | None) -> bool:
    return _call(lambda store: store.add(key, value, timeout=timeout))


def incr(key: str) -> int:
    """Raises ValueError when the key is gone, as Django's caches do."""
    return _call(lambda store: store.incr(key))


def delete(key: str) -> None:
    _call(lambda store: store.delete(key))


def delete_many(keys: Iterable[str]) -> None:
    keys = list(keys)
    _call(lambda store: store.delete_many(keys))


def forget_local() -> None:
    """Empties this process's own copy (tests start each case clean)."""
    _fallback.clear()


def is_shared() -> bool:
    """Whether the shared cache answered the last time it was asked."""
    return not _down
