"""The board: each till of the user's outlets, open or not, and recent closes."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_shows_open_shifts_with_who_since_when_and_the_float(client, cashier, open_shift):
    client.login(username="cal", password=PASSWORD)
    page = client.get(reverse("sessions_app:board")).content.decode()
    assert "Till 1" in page and "Till 2" in page and "by Cal Cashier" in page
    assert "Float $200.00" in page
    assert reverse("sessions_app:session_close", args=[open_shift.id]) in page
    assert "Till last reported:" in page


def test_it_shows_only_the_users_outlets(client, cashier_b, open_shift):
    client.login(username="cora", password=PASSWORD)
    page = client.get(reverse("sessions_app:board")).content.decode()
    assert "Beta till" in page and "Till 1" not in page and open_shift.id not in page


def test_managers_see_how_many_shifts_need_review(client, manager, open_shift):
    open_shift.review_state = "needs_review"
    open_shift.save()
    client.login(username="mia", password=PASSWORD)
    assert "1 closed shift needs your review" in client.get("/").content.decode()


def test_the_board_never_calls_final_pos(client, cashier, open_shift, simulator):
    client.login(username="cal", password=PASSWORD)
    simulator.simulator.reset_log()
    assert client.get("/").status_code == 200
    assert not simulator.simulator.requests


CARD = "board/partials/outlet_card.html"


def _card_renders(response) -> int:
    return sum(1 for template in response.templates if template.name == CARD)


def test_an_unchanged_outlet_card_comes_from_the_cache(client, cashier, open_shift):
    client.login(username="cal", password=PASSWORD)
    first = client.get(reverse("sessions_app:board"))
    second = client.get(reverse("sessions_app:board"))
    assert _card_renders(first) >= 1
    assert _card_renders(second) == 0
    assert _cards(second) == _cards(first)


def _cards(response) -> str:
    page = response.content.decode()
    start = page.index('<section class="card" aria-labelledby="outlet-')
    return page[start : page.index("</main>", start)]


def test_a_card_is_never_stale_whoever_changed_the_till(client, cashier, open_shift, simulator):
    """Within the same minute: a float changed on the till and read by a refresh, then a
    till renamed, both show at once, with nothing told to forget the cached card."""
    from sessions_app.models import Station
    from sessions_app.services.index import session_refresh

    client.login(username="cal", password=PASSWORD)
    assert "Float $200.00" in client.get("/").content.decode()

    stored = simulator.simulator.store.get("session", open_shift.id)
    simulator.simulator.store.delete("session", open_shift.id)
    simulator.simulator.store.insert("session", stored | {"openingAmount": "250.00"})
    session_refresh(open_shift)
    page = client.get("/").content.decode()
    assert "Float $250.00" in page and "Float $200.00" not in page

    Station.objects.filter(id=open_shift.station_id).update(name="Front till")
    assert "Front till" in client.get("/").content.decode()
