"""The setup pages: outlets and tills, written through Final POS, scoped to the manager."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import Outlet, Station
from sessions_app.services.shift_open import shift_open
from tests.conftest import OUTLET_A, OUTLET_B, PASSWORD, add_faults

pytestmark = pytest.mark.django_db

NEW_OUTLET = {
    "name": "Harbour Street",
    "alias": "HS",
    "address": "2 Quay Rd",
    "address2": "",
    "city": "Portland",
    "state": "ME",
    "post_code": "04101",
    "country": "US",
    "phone": "+1 207 555 0111",
}


def test_a_manager_sees_only_their_outlets_and_tills(client, manager, tills):
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:setup_overview")).content.decode()
    assert "Alpha Street" in page and "Till 1" in page and "Till 2" in page
    assert "Beta Mall" not in page and "Beta till" not in page


def test_cashiers_cannot_open_setup(client, cashier, tills):
    client.login(username="cal", password=PASSWORD)
    assert client.get(reverse("sessions_app:setup_overview")).status_code == 403
    assert client.post(reverse("sessions_app:outlet_create"), NEW_OUTLET).status_code == 403


def test_a_manager_creates_an_outlet_and_then_sees_it(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    response = client.post(reverse("sessions_app:outlet_create"), NEW_OUTLET, follow=True)
    assert "Outlet Harbour Street created" in response.content.decode()
    outlet = Outlet.objects.get(name="Harbour Street")
    assert simulator.simulator.store.get("outlet", outlet.id)["phone"] == "+1 207 555 0111"
    assert "Harbour Street" in client.get(reverse("sessions_app:setup_overview")).content.decode()


def test_invalid_outlet_values_are_refused_and_the_rest_kept(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    page = client.post(
        reverse("sessions_app:outlet_create"), NEW_OUTLET | {"phone": "call me", "city": ""}
    ).content.decode()
    assert "Enter a phone number" in page and "This field is required" in page
    assert 'value="2 Quay Rd"' in page
    assert not Outlet.objects.filter(name="Harbour Street").exists()


@pytest.mark.parametrize("country", ["Switzerland", "XX", "C", "EU", "ZZ"])
def test_a_country_that_is_not_a_two_letter_code_is_refused(
    client, manager, tills, simulator, country
):
    client.login(username="mia", password=PASSWORD)
    page = client.post(
        reverse("sessions_app:outlet_create"), NEW_OUTLET | {"country": country}
    ).content.decode()
    assert "two-letter code, like CH for Switzerland or US." in page
    assert f'value="{country}"' in page
    assert not Outlet.objects.filter(name="Harbour Street").exists()


def test_a_country_code_is_taken_in_any_case_and_kept_in_capitals(
    client, manager, tills, simulator
):
    client.login(username="mia", password=PASSWORD)
    client.post(reverse("sessions_app:outlet_create"), NEW_OUTLET | {"country": "ch"})
    assert Outlet.objects.get(name="Harbour Street").country == "CH"


def test_an_upstream_failure_keeps_the_outlet_form(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    add_faults(simulator, {"action": "status", "status": 500, "method": "POST"})
    page = client.post(reverse("sessions_app:outlet_create"), NEW_OUTLET).content.decode()
    assert "Nothing was saved" in page and 'value="Harbour Street"' in page


def test_a_manager_edits_their_outlet_but_not_another(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    edit_a = reverse("sessions_app:outlet_edit", args=[OUTLET_A])
    assert 'value="Alpha Street"' in client.get(edit_a).content.decode()
    client.post(edit_a, NEW_OUTLET | {"name": "Alpha St."})
    assert simulator.simulator.store.get("outlet", OUTLET_A)["name"] == "Alpha St."
    edit_b = reverse("sessions_app:outlet_edit", args=[OUTLET_B])
    assert client.post(edit_b, NEW_OUTLET).status_code == 404
    assert simulator.simulator.store.get("outlet", OUTLET_B)["name"] == "Beta Mall"


def test_tills_are_added_renamed_and_deleted(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    client.post(reverse("sessions_app:till_create", args=[OUTLET_A]), {"name": "Patio"})
    patio = Station.objects.get(name="Patio")
    client.post(reverse("sessions_app:till_edit", args=[patio.id]), {"name": "Terrace"})
    assert simulator.simulator.store.get("station", patio.id)["name"] == "Terrace"
    response = client.post(reverse("sessions_app:till_delete", args=[patio.id]), follow=True)
    assert "Till Terrace deleted" in response.content.decode()
    assert simulator.simulator.store.get("station", patio.id) is None


def test_a_till_with_an_open_shift_is_not_deleted(client, manager, cashier, tills, simulator):
    shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("50"))
    client.login(username="mia", password=PASSWORD)
    page = client.post(reverse("sessions_app:till_delete", args=[tills["a1"].id]))
    assert "Close it before deleting the till" in page.content.decode()
    assert simulator.simulator.store.get("station", tills["a1"].id) is not None


def test_tills_of_other_outlets_cannot_be_touched(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    beta = tills["b1"].id
    assert (
        client.post(reverse("sessions_app:till_edit", args=[beta]), {"name": "Mine"}).status_code
        == 404
    )
    assert client.post(reverse("sessions_app:till_delete", args=[beta])).status_code == 404
    assert (
        client.post(
            reverse("sessions_app:till_create", args=[OUTLET_B]), {"name": "Mine"}
        ).status_code
        == 404
    )
    assert simulator.simulator.store.get("station", beta)["name"] == "Beta till"


def test_refresh_reloads_the_lists(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    store = simulator.simulator.store
    store.replace("station", store.get("station", tills["a2"].id) | {"name": "Renamed on till"})
    client.post(reverse("sessions_app:catalog_refresh"))
    assert Station.objects.get(id=tills["a2"].id).name == "Renamed on till"


def test_names_with_line_breaks_are_refused(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    page = client.post(
        reverse("sessions_app:outlet_create"), NEW_OUTLET | {"name": "Harbour\r\nBcc: x@y"}
    ).content.decode()
    assert "Use one line of plain text" in page
    page = client.post(
        reverse("sessions_app:till_create", args=[OUTLET_A]), {"name": "Till\n2"}
    ).content.decode()
    assert "Use one line of plain text" in page
    assert not simulator.simulator.store.find("station")[3:]
