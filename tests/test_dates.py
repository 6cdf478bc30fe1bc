"""Days and times as the page's language writes them (sessions_app/dates.py): each formatted
once and kept, and reading exactly as Django's own formats would write them."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from sessions_app.dates import DateTimes, ago, long_day, short_day


@pytest.mark.parametrize("format_name", ["SHORT_DATETIME_FORMAT", "DATETIME_FORMAT"])
@pytest.mark.parametrize(("language", "zone"), [("en-us", "America/New_York"), ("de", "UTC")])
def test_dates_and_times_read_as_djangos_date_format(settings, format_name, language, zone):
    settings.LANGUAGES = [(language, language)]
    with translation.override(language), timezone.override(zone):
        times = DateTimes(format_name)
        start = datetime(2026, 3, 8, 0, 0, tzinfo=UTC)  # the clocks change that night
        for minutes in range(0, 3 * 24 * 60, 37):
            moment = start + timedelta(minutes=minutes, seconds=minutes % 60)
            local = timezone.localtime(moment)
            # Django's format, then the zone's abbreviation (EST, then EDT after the change)
            expected = f"{date_format(local, format_name)} {local.tzname()}"
            assert times.short(moment) == expected


@pytest.mark.parametrize(
    ("age", "words"),
    [
        (timedelta(hours=3), "vor 3\xa0Stunden"),
        (timedelta(days=1), "vor 1\xa0Tag"),
        (timedelta(days=2), "vor 2\xa0Tagen"),
        (timedelta(days=70), "vor 2\xa0Monaten"),
        (timedelta(days=800), "vor 2\xa0Jahren"),
    ],
)
def test_how_long_ago_reads_as_german_says_it(age, words):
    with translation.override("de"):
        assert ago(timezone.now() - age) == words


def test_a_day_kept_formatted_is_still_written_in_each_language():
    """Each day is formatted once per language and kept: a language asking for a day another
    one asked for first gets its own words, and the first gets its own back."""
    day = date(2026, 11, 10)
    written = {
        "en": ("Nov. 10, 2026", "Nov 10"),
        "de": ("10. November 2026", "10. Nov."),
        "fr": ("10 novembre 2026", "10 nov."),
    }
    for language in ["en", "de", "fr", "en", "de"]:
        with translation.override(language):
            assert (long_day(day), short_day(day)) == written[language]


def test_a_day_kept_formatted_follows_a_changed_format(settings):
    day = date(2026, 11, 10)
    with translation.override(None):
        settings.DATE_FORMAT = "Y-m-d"
        assert long_day(day) == "2026-11-10"
        settings.DATE_FORMAT = "d/m/Y"
        assert long_day(day) == "10/11/2026"
