"""A till that tells Final POS it is in use, with no shift of it known: the board says so, and
opening a shift on it asks the person to check the till first."""

import pytest
from django.urls import reverse

from sessions_app.models import SessionRecord
from tests.conftest import PASSWORD, STATION_A1, record_sale, till_session

pytestmark = pytest.mark.django_db
URL = reverse("sessions_app:shift_open")


@pytest.fixture
def till_in_use(tills, simulator):
    """Till 1 reports IN_USE (its own shift has no sale yet, so nothing names it)."""
    store = simulator.simulator.store
    store.replace("station", {**store.get("station", STATION_A1), "status": "IN_USE"})
    from sessions_app.services.catalog import catalog_refresh

    catalog_refresh()
    return tills["a1"]


@pytest.fixture
def cal(client, cashier):
    client.login(username="cal", password=PASSWORD)
    return client


def test_the_board_says_the_shift_is_not_yet_seen(cal, till_in_use):
    page = cal.get(reverse("sessions_app:board")).content.decode()
    assert "In use on the till — shift not yet seen" in page


def test_opening_asks_for_confirmation_and_keeps_what_was_typed(cal, till_in_use):
    response = cal.post(
        URL, {"station": till_in_use.id, "opening_amount": "175.00", "opening_note": "Hi"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "tells Final POS it is in use" in page and "no sales yet" in page
    assert 'name="confirm_in_use"' in page and 'value="175.00"' in page
    assert "Hi</textarea>" in page
    assert not SessionRecord.objects.exists()


def test_confirming_opens_the_shift(cal, till_in_use, simulator):
    response = cal.post(
        URL, {"station": till_in_use.id, "opening_amount": "175.00", "confirm_in_use": "on"}
    )

    assert response.status_code == 302
    record = SessionRecord.objects.get()
    assert simulator.simulator.store.get("session", record.id)["openingAmount"] == "175.00"


def test_a_status_that_is_stale_in_the_cache_is_read_fresh(cal, till_in_use, simulator):
    store = simulator.simulator.store
    store.replace("station", {**store.get("station", STATION_A1), "status": "AVAILABLE"})

    response = cal.post(URL, {"station": till_in_use.id, "opening_amount": "175.00"})

    assert response.status_code == 302


def test_once_the_tills_shift_has_a_sale_it_is_found_and_blocks(cal, till_in_use, simulator):
    from sessions_app.services.discovery import shifts_discover

    shift = till_session(simulator, STATION_A1, "S-2026-0401", closed=False)
    record_sale(simulator, shift["id"], "9.50")
    shifts_discover()

    page = cal.get(reverse("sessions_app:board")).content.decode()
    assert "S-2026-0401" in page and "shift not yet seen" not in page
    response = cal.post(URL, {"station": till_in_use.id, "opening_amount": "175.00"})
    assert "already has an open shift" in response.content.decode()
