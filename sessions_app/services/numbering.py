"""Session numbers: <prefix>-<year>-<sequence>, allocated atomically and never reused.

The prefix (SESSION_NUMBER_PREFIX, D by default) keeps the dashboard's numbers in a space of
their own: Final POS tills number their sessions S-<year>-<sequence>, so no number the
dashboard hands out can be one a till has used or will use. Within its own space the counter
still starts above every number seen there (say, a second install on the same company)."""

import re
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F

from sessions_app.models import SessionNumberSequence
from sessions_app.policy import outlet_policy

LARGEST_SEQUENCE = 1_000_000


def _own_number(session_number: str) -> re.Match[str] | None:
    prefix = re.escape(settings.SESSION_NUMBER_PREFIX)
    return re.fullmatch(rf"{prefix}-(\d{{4}})-(\d+)", session_number)


def is_own_number(session_number: str) -> bool:
    """A number in the dashboard's own space: a shift the dashboard opened."""
    return _own_number(session_number) is not None


def session_number_allocate(*, year: int) -> str:
    """The next number in the dashboard's own space; atomic across processes, never reused."""
    with transaction.atomic():
        SessionNumberSequence.objects.get_or_create(year=year)
        SessionNumberSequence.objects.filter(year=year).update(last=F("last") + 1)
        last = SessionNumberSequence.objects.get(year=year).last
    return f"{settings.SESSION_NUMBER_PREFIX}-{year}-{last:04d}"


def session_number_note_used(session_number: str) -> None:
    """Keeps the sequence above every number seen in the dashboard's own space."""
    match = _own_number(session_number)
    if not match:
        return
    year, used = int(match[1]), int(match[2])
    if used >= LARGEST_SEQUENCE:  # a number no counter of ours reaches: never follow it
        return
    SessionNumberSequence.objects.get_or_create(year=year, defaults={"last": used})
    SessionNumberSequence.objects.filter(year=year, last__lt=used).update(last=used)


def business_year(moment: datetime, *, outlet_id: str) -> int:
    """The year of the outlet's business day: a shift opened at 1 a.m. on 1 January in the
    outlet's time is numbered in the new year."""
    return outlet_policy(outlet_id).business_date(moment).year
