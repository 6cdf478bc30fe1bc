"""Session numbers: S-<year>-<sequence>, allocated atomically and never reused."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F

from sessions_app.models import SessionNumberSequence

_SESSION_NUMBER = re.compile(r"S-(\d{4})-(\d+)")
LARGEST_SEQUENCE = 1_000_000


def session_number_allocate(*, year: int) -> str:
    """The next S-<year>-<sequence> number; atomic across processes, never reused."""
    with transaction.atomic():
        SessionNumberSequence.objects.get_or_create(year=year)
        SessionNumberSequence.objects.filter(year=year).update(last=F("last") + 1)
        last = SessionNumberSequence.objects.get(year=year).last
    return f"S-{year}-{last:04d}"


def session_number_note_used(session_number: str) -> None:
    """Keeps the sequence above every number seen, including ones made on a Final POS till."""
    match = _SESSION_NUMBER.fullmatch(session_number)
    if not match:
        return
    year, used = int(match[1]), int(match[2])
    if used >= LARGEST_SEQUENCE:  # a number no counter of ours reaches: never follow it
        return
    SessionNumberSequence.objects.get_or_create(year=year, defaults={"last": used})
    SessionNumberSequence.objects.filter(year=year, last__lt=used).update(last=used)


def business_year(moment: datetime) -> int:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).year
