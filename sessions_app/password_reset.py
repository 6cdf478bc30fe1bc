""" "Forgot your password?" for people who are not signed in, made safe to offer: the link is
built from SITE_URL (never from the request's Host header, which a stranger chooses where
ALLOWED_HOSTS has a wildcard), requests are throttled per address and per account, and the
mail goes out from the worker, so a known and an unknown address get the same answer in the
same time.
"""

import hashlib

from django.conf import settings

from sessions_app import shared_cache
from sessions_app.notifications import email_configured

WINDOW_SECONDS = 60 * 60
REQUESTS_PER_ADDRESS = 5  # links asked for from one address in the window
LINKS_PER_ACCOUNT = 3  # links mailed to one account in the window; the rest are dropped


def password_reset_offered() -> bool:
    """Only where mail reaches people and the site knows its own address (SITE_URL); while
    developing (DEBUG) the address the page was reached at will do."""
    return email_configured() and bool(settings.SITE_URL or settings.DEBUG)


def _count(key: str) -> int:
    if shared_cache.add(key, 1, timeout=WINDOW_SECONDS):
        return 1
    try:
        return shared_cache.incr(key)
    except ValueError:  # the window ended between add and incr
        shared_cache.add(key, 1, timeout=WINDOW_SECONDS)
        return 1


def reset_request_allowed(address: str) -> bool:
    """Counts one request from ``address``; False past REQUESTS_PER_ADDRESS in the window."""
    return _count(f"reset:address:{address}") <= REQUESTS_PER_ADDRESS


def reset_link_allowed(email: str) -> bool:
    """Counts one link for ``email``; False past LINKS_PER_ACCOUNT in the window (a stranger
    cannot fill someone's inbox)."""
    who = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    return _count(f"reset:account:{who}") <= LINKS_PER_ACCOUNT
