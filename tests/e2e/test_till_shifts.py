"""A fresh dashboard beside a company whose tills open shifts on their own: one check of Final
POS from the board, and every till's open shift is on it."""

import random

import pytest
from playwright.sync_api import Page, expect

from finalpos_simulator.tills import TillActivity
from sessions_app.models import Station

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_board_shows_every_tills_open_shift_after_one_check(
    page: Page, live_server, sign_in, demo_store, screenshot, axe_check
):
    tills = TillActivity(
        demo_store, rng=random.Random(7), open_chance=1.0, sale_chance=1.0, close_chance=0
    )
    tills.tick()  # every free till opens a shift of its own
    tills.tick()  # and they all sell
    open_shifts = {
        session["stationId"]: session["sessionNumber"]
        for session in demo_store.find("session", open_only=True)
    }
    assert len(open_shifts) == Station.objects.count()

    sign_in("manager", "manager-demo")
    expect(page.get_by_text("0 tills open").first).to_be_visible()
    page.get_by_role("button", name="Check Final POS now").click()

    expect(page.locator(".messages")).to_contain_text("shifts opened on the tills were added")
    for till in Station.objects.all():
        card = page.locator(".station", has=page.get_by_role("heading", name=till.name))
        expect(card).to_contain_text(open_shifts[till.id])
        close = card.get_by_role("link", name=f"Close the shift on {till.name}")
        if open_shifts[till.id].startswith("S-"):
            # The till holds the shift it opened: it must be closed there; watched from here.
            expect(card).to_contain_text("Opened on the till")
            expect(close).to_have_count(0)
        else:  # a shift a cashier opened in the dashboard is closed here
            expect(close).to_be_visible()
    axe_check("the board after finding the tills' shifts")
    screenshot("board-with-till-shifts")
