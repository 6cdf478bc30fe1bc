"""How days and times read on pages, e-mails and messages: in the page's language, and at the
outlet's clock with the zone's abbreviation, so a time never reads as another place's (the CSV
gives the same instants with their offsets).

Formatting a date through Django's formats costs tens of microseconds; the long tables and the
insights' chart name the same few dozen days hundreds of times. Each day, and each minute of the
day, is formatted once per language and format and kept (``_KEPT``), until a setting that
formats them changes (as Django forgets its own formats) or the store is full.
"""

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from babel.dates import format_skeleton
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format, get_format, time_format
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sessions_app.cash import current_locale

# (language or locale, format, day or minute of the day) -> formatted: a few thousand at most.
_KEPT: dict[tuple[str, str, date | tuple[int, int]], str] = {}
_KEPT_AT_MOST = 20_000


def _kept(key: tuple[str, str, date | tuple[int, int]], make: Callable[[], str]) -> str:
    found = _KEPT.get(key)
    if found is None:
        if len(_KEPT) >= _KEPT_AT_MOST:
            _KEPT.clear()
        found = _KEPT[key] = make()
    return found


@receiver(setting_changed)
def _forget_formatted(*, setting: str, **kwargs: Any) -> None:
    """A test's override_settings of a format or the languages: what was formatted before is
    formatted again."""
    if setting.endswith("_FORMAT") or setting in {
        "LANGUAGES",
        "LANGUAGE_CODE",
        "FORMAT_MODULE_PATH",
    }:
        _KEPT.clear()


def short_day(day: date) -> str:
    """A day and month, short, in the language's order: Nov 10, 10. Nov., 10 nov."""
    locale = current_locale()
    # Tagged: a Babel skeleton is not a Django format, whatever letters the two share.
    return _kept((locale, "babel:MMMd", day), lambda: format_skeleton("MMMd", day, locale=locale))


def long_day(day: date) -> str:
    """A date as the language writes it in full (DATE_FORMAT): Dec. 7, 2026, 7. Dezember 2026."""
    return _kept((get_language() or "", "DATE_FORMAT", day), lambda: date_format(day))


def ago(moment: datetime | None) -> str:
    """How long ago, in words: "just now" under a minute (never "0 minutes ago")."""
    if moment is None:
        return ""
    now = timezone.now()
    if now - moment < timedelta(minutes=1):
        return _("just now")
    age = timesince(moment, now, depth=1)
    if (get_language() or "").startswith("de"):  # "vor 2 Tagen": German's ago takes the dative
        age = _GERMAN_DATIVE.sub(lambda found: found.group(0) + "n", age)
    return _("%(age)s ago") % {"age": age}


_GERMAN_DATIVE = re.compile(r"(?<=\d[\xa0 ])(Tage|Monate|Jahre)\b")


def when(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """A date and time in the locale's SHORT_DATETIME_FORMAT with the zone: 12/5/2026 9:47
    p.m. EST."""
    return _zoned(moment, zone, "SHORT_DATETIME_FORMAT")


def when_long(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """As `when`, in the locale's DATETIME_FORMAT (a title's fuller time)."""
    return _zoned(moment, zone, "DATETIME_FORMAT")


def _zoned(moment: datetime | None, zone: tzinfo | None, format_name: str) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment, zone)
    return f"{date_format(local, format_name)} {local.tzname()}"


def time_of_day(moment: datetime, zone: tzinfo | None = None) -> str:
    """A time in the page's zone (or the one given) with the zone: 7:14 a.m. EST."""
    local = timezone.localtime(moment, zone)
    return f"{time_format(local)} {local.tzname()}"


def short_datetime(moment: datetime, zone: tzinfo | None = None) -> str:
    return when(moment, zone)


# A datetime format that is a date, then spaces, then a time of day to the minute ("m/d/Y P",
# "d.m.Y H:i"): each half is formatted once per date and once per minute of the day.
_SPLIT = re.compile(r"^([dDjlLmMnNyYbEFSwz/.,\- ]+?)(\s+)([aAfgGhHiP:. ]+)$")


class DateTimes:
    """`when` for the many times of a long table: a datetime format (SHORT_DATETIME_FORMAT unless
    told) in the current time zone (or each row's outlet's) and language, with the zone's
    abbreviation, each date and each minute of the day formatted once (and kept)."""

    def __init__(self, format_name: str = "SHORT_DATETIME_FORMAT") -> None:
        self.zone = timezone.get_current_timezone()
        self.language = get_language() or ""
        self._format = get_format(format_name)
        split = _SPLIT.match(self._format)
        self._parts = (split[1], split[2], split[3]) if split else None

    def local(self, moment: datetime, zone: tzinfo | None = None) -> datetime:
        return moment.astimezone(zone or self.zone)

    def short(self, moment: datetime, zone: tzinfo | None = None) -> str:
        return self.short_local(self.local(moment, zone))

    def short_local(self, local: datetime) -> str:
        """short() of a time already in its zone."""
        return f"{self._formatted(local)} {local.tzname()}"

    def _formatted(self, local: datetime) -> str:
        if self._parts is None:
            return date_format(local, self._format)
        day_format, space, minute_format = self._parts
        day = local.date()
        written_day = _kept((self.language, day_format, day), lambda: date_format(day, day_format))
        written_minute = _kept(
            (self.language, minute_format, (local.hour, local.minute)),
            lambda: time_format(local, minute_format),
        )
        return f"{written_day}{space}{written_minute}"
