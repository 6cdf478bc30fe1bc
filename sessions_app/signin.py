"""Sign-in throttling against password guessing.

After LOGIN_FAILURE_LIMIT failed sign-ins for one username from one address, or
LOGIN_FAILURE_LIMIT_PER_ADDRESS from one address for any usernames, further attempts are
refused for LOGIN_LOCKOUT_SECONDS without checking the password. Counts live in the cache
(shared by every worker when REDIS_URL is set) and every failure is logged.
"""

import hashlib
import logging
import math
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The address the sign-in is counted against. Behind TRUSTED_PROXY_COUNT proxies (a
    PaaS router is one), the address the first of them saw: that entry of X-Forwarded-For,
    counted from the right, which a client cannot forge. With none, the socket's peer, and the
    header is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies > 0 and len(forwarded) >= proxies and forwarded[-proxies]:
        return forwarded[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _keys(username: str, address: str) -> tuple[str, str]:
    # NFKC as Django normalises usernames, then casefold: fullwidth or capital letters are the
    # same name ("CAL" is "cal").
    same = unicodedata.normalize("NFKC", username).strip().casefold()
    who = hashlib.sha256(f"{same}|{address}".encode()).hexdigest()
    return f"signin:pair:{who}", f"signin:address:{address}"


def _count(key: str) -> int:
    return cache.get(key, 0)


def seconds_locked(username: str, address: str) -> int:
    pair, everywhere = _keys(username, address)
    if (
        _count(pair) >= settings.LOGIN_FAILURE_LIMIT
        or _count(everywhere) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    ):
        return settings.LOGIN_LOCKOUT_SECONDS
    return 0


def failure_record(username: str, address: str) -> None:
    for key in _keys(username, address):
        if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    logger.warning(
        "Failed sign-in for %r from %s (%d in a row)",
        username[:150],
        address,
        _count(_keys(username, address)[0]),
    )


def success_record(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        address = client_address(self.request) if self.request else ""
        locked = seconds_locked(username, address)
        if locked:
            minutes = math.ceil(locked / 60)
            logger.warning("Sign-in refused for %r from %s: locked", username[:150], address)
            raise ValidationError(
                ngettext(
                    "Too many failed sign-ins. Wait %(minutes)d minute and try again, or ask "
                    "a manager to reset your password.",
                    "Too many failed sign-ins. Wait %(minutes)d minutes and try again, or ask "
                    "a manager to reset your password.",
                    minutes,
                )
                % {"minutes": minutes},
                code="locked",
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            failure_record(username, address)
            raise
        success_record(username, address)
        return cleaned
