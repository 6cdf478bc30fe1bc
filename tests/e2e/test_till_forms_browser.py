"""Till forms and the drafts kept on the device, in Chromium: a total typed beside a
notes-and-coins count comes back as typed, a draft never replaces what the server sent back,
nor brings back a till opened since, and a reload shows the count with its own total."""

import pytest
from playwright.sync_api import Page, expect

from sessions_app.models import SessionRecord
from tests.conftest import PASSWORD, STATION_A1

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_refused_total_comes_back_as_typed_beside_the_count(
    page: Page, live_server, sign_in, tills, cashier
):
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    page.get_by_text("Count by notes and coins").first.click()
    page.get_by_label("Number of $20").fill("10")
    float_field = page.get_by_label("Opening float")
    expect(float_field).to_have_value("200.00")  # filled in from the count
    float_field.fill("234.50")  # the cashier's own total: the notes alone are not all of it
    page.get_by_role("button", name="Open shift").click()

    expect(page.locator("main")).to_contain_text(
        "The total does not match the notes and coins counted (200.00)."
    )
    expect(float_field).to_have_value("234.50")
    expect(page.get_by_label("Number of $20")).to_have_value("10")
    expect(page.locator("[data-count-total]").first).to_have_text("$200.00")
    assert not SessionRecord.objects.filter(station_id=STATION_A1, close_time=None).exists()


def test_a_refused_form_keeps_what_was_sent_over_an_older_draft(
    page: Page, live_server, sign_in, tills, cashier
):
    """A draft typed earlier on this device never replaces what the server sent back."""
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    page.get_by_label("Opening float").fill("lots")
    page.get_by_label("Opening note").fill("Today's note")
    page.get_by_label("Opening note").blur()  # its change event saves the draft now, not later
    # The draft on the device differs from what is sent (a value the server sends back
    # changed, another tab typed meanwhile):
    page.evaluate(
        """() => localStorage.setItem("till-close:draft:open",
             JSON.stringify({savedAt: 0, values: {opening_note: "Yesterday's note"}}))"""
    )
    page.get_by_role("button", name="Open shift").click()

    expect(page.get_by_label("Opening float")).to_have_value("lots")  # refused, shown as sent
    expect(page.get_by_label("Opening note")).to_have_value("Today's note")
    expect(page.locator(".draft-note")).to_have_count(0)


def test_a_reload_shows_the_count_with_the_total_it_makes(
    page: Page, live_server, sign_in, tills, cashier
):
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    page.get_by_text("Count by notes and coins").first.click()
    page.get_by_label("Number of $20").press_sequentially("10")
    expect(page.get_by_label("Opening float")).to_have_value("200.00")
    page.reload()
    expect(page.get_by_label("Number of $20")).to_have_value("10")
    expect(page.get_by_label("Opening float")).to_have_value("200.00")  # not 20.00 of "1"


def test_a_draft_never_chooses_a_till_opened_since(
    page: Page, live_server, sign_in, tills, cashier, open_shift
):
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/")
    page.evaluate(
        f"""() => localStorage.setItem("till-close:draft:open",
             JSON.stringify({{savedAt: 0, values: {{station: "{STATION_A1}"}}}}))"""
    )
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")  # from the board, late
    expect(page.locator("main")).to_contain_text("Till 1 already has an open shift")
    expect(page.get_by_label("Till", exact=True)).to_have_value("")


def test_a_count_of_part_of_a_note_makes_no_total(page: Page, live_server, sign_in, tills, cashier):
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    page.get_by_text("Count by notes and coins").first.click()
    page.get_by_label("Number of $20").fill("5")
    float_field = page.get_by_label("Opening float")
    expect(float_field).to_have_value("100.00")
    five = page.get_by_label("Number of $5", exact=True)
    five.fill("1.5")  # not a whole note: no total from it
    expect(page.locator("[data-count-total]").first).to_have_text("—")
    # The float the count had put in goes with it: never a sum the count no longer makes.
    expect(float_field).to_have_value("")
    expect(five).to_have_attribute("aria-invalid", "true")
    five.fill("1")
    expect(float_field).to_have_value("105.00")
    expect(five).not_to_have_attribute("aria-invalid", "true")


def test_a_total_the_cashier_typed_is_never_replaced_by_the_count(
    page: Page, live_server, sign_in, tills, cashier
):
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    page.get_by_text("Count by notes and coins").first.click()
    page.get_by_label("Number of $20").fill("5")
    float_field = page.get_by_label("Opening float")
    expect(float_field).to_have_value("100.00")
    float_field.fill("950.00")
    page.get_by_label("Number of $5", exact=True).fill("2")
    expect(page.locator("[data-count-total]").first).to_have_text("$110.00")
    expect(float_field).to_have_value("950.00")  # the server says they differ, on sending


def test_a_till_chosen_on_arrival_says_where_its_float_comes_from(
    page: Page, live_server, sign_in, tills, cashier, closed_shift
):
    """From the till's own button the float is filled in as when the till is chosen in the
    list, and so is the line that says the last shift left it."""
    sign_in(cashier.username, PASSWORD)
    page.goto(f"{live_server.url}/sessions/open/?station={STATION_A1}")
    expect(page.get_by_label("Opening float")).to_have_value("200.00")
    hint = page.get_by_text("The last shift on this till left this much in the drawer.")
    expect(hint).to_be_visible()
