"""Where the dashboard lives, for the links in alert e-mails: SITE_URL when it is set, else the
origin of the request being served, else the last origin a signed-in person used (kept in the
shared cache, so a process serving no request knows it too).

Only signed-in people's requests count: with a wildcard in ALLOWED_HOSTS anyone could send a
Host header, and the next alert would link to it.
"""

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

LAST_ORIGIN_KEY = "site:last-origin"
FALLBACK_ORIGIN = "http://127.0.0.1:8000"  # `make run`'s address

_request_origin: ContextVar[str | None] = ContextVar("request_origin", default=None)
RECHECK_SECONDS = 60.0
# The origin this process last found in (or put in) the cache, and when (time.monotonic).
_checked: tuple[str, float] | None = None


def site_url() -> str:
    """The scheme and host to put before a path in an e-mail, without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    origin = _request_origin.get() or _last_origin()
    if origin:
        return origin
    logger.warning("SITE_URL is unset and no one has signed in yet: links use %s", FALLBACK_ORIGIN)
    return FALLBACK_ORIGIN


def _last_origin() -> str | None:
    try:
        return cache.get(LAST_ORIGIN_KEY)
    except Exception:  # an e-mail with a fallback link beats no e-mail
        logger.warning("The last known site origin could not be read from the cache")
        return None


class SiteOriginMiddleware:
    """Notes the origin of each signed-in person's request. Placed after CommonMiddleware (the
    Host is checked against ALLOWED_HOSTS) and AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SITE_URL or not request.user.is_authenticated:
            return self.get_response(request)
        origin = f"{request.scheme}://{request.get_host()}"
        token = _request_origin.set(origin)
        try:
            _remember(origin)
            return self.get_response(request)
        finally:
            _request_origin.reset(token)


def forget_checked() -> None:
    """The next signed-in request checks the cache again (the cache was emptied)."""
    global _checked
    _checked = None


def _remember(origin: str) -> None:
    """Keeps the origin in the shared cache, checked at most once a RECHECK_SECONDS per
    process while its requests keep coming from the same origin (a read per page otherwise)."""
    global _checked
    now = time.monotonic()
    if _checked is not None and _checked[0] == origin and now - _checked[1] < RECHECK_SECONDS:
        return
    try:
        if cache.get(LAST_ORIGIN_KEY) != origin:
            cache.set(LAST_ORIGIN_KEY, origin, timeout=None)
    except Exception:  # the page matters more than a link in a later e-mail
        logger.warning("The site origin %s could not be kept in the cache", origin)
    else:
        _checked = (origin, now)
