"""Counting by notes and coins in Chromium: the total fills itself in as the cashier types, and
a total typed beside the count comes back as typed when the server refuses it."""

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
    expect(page.locator("[data-count-total]").first).to_have_text("200.00")
    assert not SessionRecord.objects.filter(station_id=STATION_A1, close_time=None).exists()
