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
