"""Dates and numbers follow LANGUAGE_CODE, and every user-facing string can be collected for
translation with Django's makemessages."""

import re
import shutil

import pytest
from django.urls import reverse

from tests.catalogues import source_catalogue
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_report_follows_the_configured_locale(client, settings, manager, closed_shift):
    settings.LANGUAGE_CODE = "de"
    settings.LANGUAGES = [("de", "de")]
    client.login(username="mia", password=PASSWORD)
    url = reverse("sessions_app:shift_detail", args=[closed_shift.id])
    page = client.get(url, headers={"accept-language": "en-US"}).content.decode()
    assert re.search(r"\d{1,2}\. \w+ \d{4} \d{2}:\d{2}", page)  # 21. November 2026 09:57
    assert "230,00" in page  # the decimal comma
    assert 'lang="de"' in page


def test_without_a_browser_language_the_site_speaks_american_english(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    url = reverse("sessions_app:shift_detail", args=[closed_shift.id])
    page = client.get(url).content.decode()
    assert "$230.00" in page and 'lang="en"' in page


def test_the_browsers_language_is_the_default(client, manager, closed_shift):
    """Changed on purpose (issue 24): a browser asking for German gets German formats (the
    dashboard offers English, Spanish, French and German), no longer LANGUAGE_CODE's."""
    client.login(username="mia", password=PASSWORD)
    url = reverse("sessions_app:shift_detail", args=[closed_shift.id])
    page = client.get(url, headers={"accept-language": "de-DE"}).content.decode()
    assert "230,00\xa0$" in page and 'lang="de"' in page


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt gettext)")
def test_user_facing_strings_are_marked_for_translation(tmp_path):
    # From a copy of the source: makemessages rewrites the locale/ folder it finds.
    collected = source_catalogue(tmp_path)
    for text in [
        "Review before closing",  # a template
        "No shifts match these filters.",
        "Cash counted in the drawer",  # a form label
        "%(who)s is opening a shift on %(till)s right now.",  # a service's error
        "Say why the shift is being corrected.",
    ]:
        assert text in collected, text
