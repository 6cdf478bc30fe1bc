"""Sign-in throttling against password guessing, and lifting a lockout.

After LOGIN_FAILURE_LIMIT failed sign-ins for one username from one address, or
LOGIN_FAILURE_LIMIT_PER_ADDRESS from one address for any usernames, further attempts are
refused without checking the password until LOGIN_LOCKOUT_SECONDS after the first of them.
Counts live in the database (SignInFailure): a lockout holds when the cache is down, and is
lifted by a new password (the Staff page, `manage.py staff password`, the e-mailed link) or a
manager's explicit unlock, both audited by their callers. Every failure is logged.

Not django-axes: it judges every lockout parameter against one failure limit (we allow 5 for a
name at an address, 30 for an address), lifts nothing when a password changes, and stores each
attempt's request data; the part we need is this module.
"""

import logging
import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from sessions_app.models import SignInFailure

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The address the sign-in is counted against. Behind TRUSTED_PROXY_COUNT proxies (a
    PaaS router is one), the address the first of them saw: that entry of X-Forwarded-For,
    counted from the right, which a client cannot forge. With none, the socket's peer, and the
    header is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies > 0 and len(forwarded) >= proxies and forwarded[-proxies]:
        return _storable(forwarded[-proxies])[:64]
    return _storable(request.META.get("REMOTE_ADDR", ""))[:64]


def _storable(text: str) -> str:
    # PostgreSQL cannot keep a NUL in text: one typed into the form must not make a 500.
    return text.replace("\x00", "\ufffd")


def same_name(username: str) -> str:
    """The name a failure is counted under: NFKC as Django normalises usernames, then
    case-folded, so fullwidth or capital letters are the same name ("CAL" is "cal")."""
    return _storable(unicodedata.normalize("NFKC", username).strip().casefold())[:150]


@dataclass(frozen=True)
class Lockout:
    until: datetime
    by_address: bool  # many names from one address, not this person's own failures

    @property
    def seconds(self) -> int:
        return max(math.ceil((self.until - timezone.now()).total_seconds()), 1)


def lockout_for(username: str, address: str) -> Lockout | None:
    """The lockout a sign-in as ``username`` from ``address`` meets now, if any."""
    now = timezone.now()
    counts = SignInFailure.objects.filter(address=address, window_ends_at__gt=now)
    own = counts.filter(username=same_name(username)).first()
    if own is not None and own.failures >= settings.LOGIN_FAILURE_LIMIT:
        return Lockout(until=own.window_ends_at, by_address=False)
    total = counts.aggregate(total=Sum("failures"))["total"] or 0
    if total >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
        last = max(counts.values_list("window_ends_at", flat=True))
        return Lockout(until=last, by_address=True)
    return None


def failure_record(username: str, address: str) -> int:
    """Counts one failed sign-in; returns the failures in a row for that name and address."""
    name, now = same_name(username), timezone.now()
    window_end = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    SignInFailure.objects.filter(window_ends_at__lte=now).delete()  # lapsed ones, anyone's
    counts = SignInFailure.objects.filter(username=name, address=address)
    if not counts.update(failures=F("failures") + 1):
        try:
            with transaction.atomic():
                SignInFailure.objects.create(
                    username=name, address=address, failures=1, window_ends_at=window_end
                )
        except IntegrityError:  # a failure at the same moment counted it first
            counts.update(failures=F("failures") + 1)
    failures = counts.values_list("failures", flat=True).first() or 1
    logger.warning("Failed sign-in for %r from %s (%d in a row)", username[:150], address, failures)
    return failures


def success_record(username: str, address: str) -> None:
    SignInFailure.objects.filter(username=same_name(username), address=address).delete()


def lockout_lift(username: str) -> int:
    """Lifts the lockout of ``username`` from every address: after a new password, or a
    manager's unlock. Returns how many addresses it was counted at."""
    lifted, _ = SignInFailure.objects.filter(username=same_name(username)).delete()
    if lifted:
        logger.info("Sign-in lockout of %r lifted", username[:150])
    return lifted


def locked_out_usernames(usernames: list[str]) -> set[str]:
    """Which of these usernames are locked out now, from any address (the Staff page)."""
    by_name = {same_name(username): username for username in usernames}
    locked = SignInFailure.objects.filter(
        username__in=by_name,
        window_ends_at__gt=timezone.now(),
        failures__gte=settings.LOGIN_FAILURE_LIMIT,
    ).values_list("username", flat=True)
    return {by_name[name] for name in locked}


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        address = client_address(self.request) if self.request else ""
        lockout = lockout_for(username, address)
        if lockout is not None:
            minutes = math.ceil(lockout.seconds / 60)
            logger.warning("Sign-in refused for %r from %s: locked", username[:150], address)
            raise ValidationError(_locked_message(lockout, minutes), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            failure_record(username, address)
            raise
        success_record(username, address)
        return cleaned


def _locked_message(lockout: Lockout, minutes: int) -> str:
    """What lifts it, truthfully: a manager can unlock a person, not an address."""
    if lockout.by_address:
        return ngettext(
            "Too many failed sign-ins from this network. Wait %(minutes)d minute and try again.",
            "Too many failed sign-ins from this network. Wait %(minutes)d minutes and try again.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "Too many failed sign-ins. Wait %(minutes)d minute and try again, or ask a manager to "
        "unlock your account (a new password unlocks it too).",
        "Too many failed sign-ins. Wait %(minutes)d minutes and try again, or ask a manager to "
        "unlock your account (a new password unlocks it too).",
        minutes,
    ) % {"minutes": minutes}
