"""Session numbers: <prefix>-<year>-<sequence>, allocated atomically and never reused.

The prefix (SESSION_NUMBER_PREFIX, D by default) keeps the dashboard's numbers in a space of
their own: Final POS tills number their sessions S-<year>-<sequence>, so no number the
dashboard hands out can be one a till has used or will use. Within its own space the counter
still starts above every number seen there (say, a second install on the same company)."""

import re
from datetime import datetime

from django.conf import settings
from django.db import connection

from sessions_app.policy import outlet_policy

LARGEST_SEQUENCE = 1_000_000


def _own_number(session_number: str) -> re.Match[str] | None:
    prefix = re.escape(settings.SESSION_NUMBER_PREFIX)
    return re.fullmatch(rf"{prefix}-(\d{{4}})-(\d+)", session_number)


def is_own_number(session_number: str) -> bool:
    """A number in the dashboard's own space: a shift the dashboard opened."""
    return _own_number(session_number) is not None


# The counter (the table of models.SessionNumberSequence) moves in one statement, on SQLite and
# PostgreSQL alike (both take INSERT ... ON CONFLICT ... DO UPDATE and RETURNING): a year's row
# is made by its first number, and the row's lock orders two processes numbering at once.
_NEXT = (
    'INSERT INTO "sessions_app_sessionnumbersequence" ("year", "last") VALUES (%s, 1) '
    'ON CONFLICT ("year") DO UPDATE SET "last" = "sessions_app_sessionnumbersequence"."last" + 1 '
    'RETURNING "last"'
)
_AT_LEAST = (
    'INSERT INTO "sessions_app_sessionnumbersequence" ("year", "last") VALUES (%s, %s) '
    'ON CONFLICT ("year") DO UPDATE SET "last" = excluded."last" '
    'WHERE "sessions_app_sessionnumbersequence"."last" < excluded."last"'
)


def session_number_allocate(*, year: int) -> str:
    """The next number in the dashboard's own space; atomic across processes, never reused."""
    with connection.cursor() as cursor:
        cursor.execute(_NEXT, [year])
        (last,) = cursor.fetchone()
    return f"{settings.SESSION_NUMBER_PREFIX}-{year}-{last:04d}"


def session_number_note_used(session_number: str) -> None:
    """Keeps the sequence above every number seen in the dashboard's own space."""
    match = _own_number(session_number)
    if not match:
        return
    year, used = int(match[1]), int(match[2])
    if used >= LARGEST_SEQUENCE:  # a number no counter of ours reaches: never follow it
        return
    with connection.cursor() as cursor:
        cursor.execute(_AT_LEAST, [year, used])


def business_year(moment: datetime, *, outlet_id: str) -> int:
    """The year of the outlet's business day: a shift opened at 1 a.m. on 1 January in the
    outlet's time is numbered in the new year."""
    return outlet_policy(outlet_id).business_date(moment).year
