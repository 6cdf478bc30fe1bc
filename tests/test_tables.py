"""The long tables' values formatted once (sessions_app/tables.py) read exactly as Django's
own filters would write them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from sessions_app.tables import DateTimes


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
