"""The dashboard in each person's language, in Chromium: a browser that asks for French gets
the board in French; someone who picks Deutsch reads German, dates included, from the next
page on; a Spanish cashier opens and closes a shift in Spanish. The expected texts are the
catalogues' own (tests/catalogues.py), so these tests follow locale/ as it is translated."""

from datetime import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from sessions_app.models import SessionRecord, StaffProfile
from tests.catalogues import filled, translated
from tests.conftest import PASSWORD, STATION_A1, make_shifts
from tests.helpers import present

pytestmark = pytest.mark.django_db(transaction=True)

TILL = "Till 1"  # till A1's name in Final POS: a name, never translated


def _sign_in(page: Page, live_server, username: str, button: str = "Sign in") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=button).click()


def _nav_link(page: Page, language: str, text: str):
    nav = page.get_by_role("navigation", name=translated(language, "Main"))
    return nav.get_by_role("link", name=translated(language, text), exact=True)


@pytest.mark.browser_context_args(locale="fr-FR")
def test_a_manager_whose_browser_asks_for_french_sees_the_board_in_french(
    page: Page, live_server, tills, manager, axe_check
):
    _sign_in(page, live_server, manager.username, button=translated("fr", "Sign in"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("fr", "Tills"))
    for text in ("Review", "History", "Insights", "Staff"):
        expect(_nav_link(page, "fr", text)).to_be_visible()
    open_on_till = translated("fr", "Open a shift on %(station)s") % {"station": TILL}
    expect(page.get_by_role("link", name=open_on_till)).to_be_visible()
    axe_check("board in French")


def test_someone_who_picks_deutsch_reads_german_from_the_next_page_dates_included(
    page: Page, live_server, tills, manager
):
    make_shifts(3)
    _sign_in(page, live_server, manager.username)  # Chromium asks for American English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Language", exact=True).click()
    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text(
        translated("de", "Your language is saved.")
    )

    _nav_link(page, "de", "History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("de", "Shift history"))
    expect(_nav_link(page, "de", "Tills")).to_be_visible()
    opened = page.locator("tbody time").first
    moment = datetime.fromisoformat(
        present(opened.get_attribute("datetime"))
    )  # in the outlet's zone
    with translation.override("de"):
        german = date_format(moment, "SHORT_DATETIME_FORMAT")  # Django's, e.g. 06.12.2026 02:31
    expect(opened).to_contain_text(german)
    assert StaffProfile.objects.get(user=manager).language == "de"


def test_a_spanish_cashier_opens_and_closes_a_shift_in_spanish(
    page: Page, live_server, tills, cashier
):
    StaffProfile.objects.filter(user=cashier).update(language="es")
    _sign_in(page, live_server, cashier.username)  # the browser says English; she chose Spanish
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("es", "Tills"))

    open_on_till = translated("es", "Open a shift on %(station)s") % {"station": TILL}
    page.get_by_role("link", name=open_on_till).click()
    page.get_by_label(translated("es", "Opening float")).fill("200")
    page.get_by_role("button", name=translated("es", "Open shift")).click()
    opened = "Shift %(number)s is open on %(station)s with a float of %(float)s."
    expect(page.get_by_role("status").first).to_contain_text(filled(translated("es", opened)))
    shift = SessionRecord.objects.get(station_id=STATION_A1, close_time=None)

    close_on_till = translated("es", "Close the shift on %(station)s") % {"station": TILL}
    page.get_by_role("link", name=close_on_till).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(close_on_till)
    page.get_by_label(translated("es", "Cash counted in the drawer")).fill("200")
    # The default methods' names are translated; a brand the company named (Oliver Pay) is not.
    page.get_by_label(translated("es", "Card"), exact=True).fill("0")
    page.get_by_label("Oliver Pay").fill("0")
    page.get_by_role("button", name=translated("es", "Review before closing")).click()
    page.get_by_role("button", name=translated("es", "Close shift")).click()

    balanced = translated("es", "Shift %(number)s is closed and balanced.")
    expect(page.get_by_role("status").first).to_contain_text(
        balanced % {"number": shift.session_number}
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        translated("es", "End-of-shift report")
    )
