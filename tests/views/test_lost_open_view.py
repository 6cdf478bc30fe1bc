"""An open whose answer was lost is settled on evidence, never by one press: the shift found by
its sales, the till's status said plainly, a manager's word after looking at the till; and a
duplicate that exists anyway is found and repaired."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import AuditEntry, PendingOpen, SessionRecord
from sessions_app.services.index import shift_fetch
from tests.conftest import PASSWORD, STATION_A1, add_faults, record_sale
from tests.helpers import present

pytestmark = pytest.mark.django_db

URL = reverse("sessions_app:shift_open")
LOST_AFTER_LANDING = {
    "action": "drop",
    "method": "POST",
    "path_contains": "/session",
    "when": "after",
}


def _lose_an_open(client, simulator) -> str:
    add_faults(simulator, {**LOST_AFTER_LANDING, "times": 1})
    page = client.post(URL, {"station": STATION_A1, "opening_amount": "150.00"}).content.decode()
    assert "is not confirmed." in page and page.count("answer was lost") == 1
    return PendingOpen.objects.get(station_id=STATION_A1).session_number


def _upstream_open(simulator) -> list[dict]:
    return [
        session
        for session in simulator.simulator.store.find("session", open_only=True)
        if session["stationId"] == STATION_A1
    ]


def test_check_again_finds_the_shift_once_the_till_sells_on_it(client, cashier, tills, simulator):
    client.login(username="cal", password=PASSWORD)
    number = _lose_an_open(client, simulator)
    check = {"action": "check", "station": STATION_A1}

    not_yet = client.post(URL, check, follow=True).content.decode()
    assert "Not found yet" in not_yet and "look at" in not_yet
    [landed] = _upstream_open(simulator)
    record_sale(simulator, landed["id"], "12.00")

    found = client.post(URL, check, follow=True)

    assert (
        "Found it" in found.content.decode()
        and "Nothing was opened twice" in found.content.decode()
    )
    assert SessionRecord.objects.get(id=landed["id"]).session_number == number
    assert not PendingOpen.objects.exists()
    assert len(_upstream_open(simulator)) == 1


def test_a_cashier_has_no_press_that_opens_the_till_again(client, cashier, tills, simulator):
    client.login(username="cal", password=PASSWORD)
    number = _lose_an_open(client, simulator)
    page = client.get(f"{URL}?station={STATION_A1}").content.decode()
    assert "Check again" in page and "open it again as" not in page

    # Even a forged form with the old confirmation is refused.
    data = {
        "station": STATION_A1,
        "opening_amount": "150.00",
        "confirm_not_created": number,
        "not_created_checked": "on",
    }
    refused = client.post(URL, data).content.decode()

    assert "is not confirmed." in refused and refused.count("answer was lost") == 1
    assert len(_upstream_open(simulator)) == 1


def test_a_manager_confirms_after_looking_at_the_till(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    add_faults(simulator, {"action": "drop", "method": "POST", "times": 1})  # never landed
    client.post(URL, {"station": STATION_A1, "opening_amount": "150.00"})
    number = PendingOpen.objects.get().session_number
    data = {"station": STATION_A1, "opening_amount": "150.00", "confirm_not_created": number}

    unticked = client.post(URL, data).content.decode()
    assert (
        "is not confirmed." in unticked
        and unticked.count("answer was lost") == 1
        and not _upstream_open(simulator)
    )

    client.post(URL, data | {"not_created_checked": "on"})

    [opened] = _upstream_open(simulator)
    assert opened["sessionNumber"] == number
    audit = present(AuditEntry.objects.filter(action="open", accepted=True).first())
    assert "checked the till" in audit.summary and audit.actor_name == "Mia Manager"


def test_a_duplicate_is_found_and_the_empty_one_deleted(client, manager, tills, simulator):
    client.login(username="mia", password=PASSWORD)
    number = _lose_an_open(client, simulator)  # it landed, with no sales yet
    data = {"station": STATION_A1, "opening_amount": "150.00", "confirm_not_created": number}
    client.post(URL, data | {"not_created_checked": "on"})  # a manager was wrong
    first, second = sorted(_upstream_open(simulator), key=lambda s: s["createdAt"])
    record_sale(simulator, second["id"], "9.00")  # the shift in use sells
    shift_fetch(session_id=first["id"])  # the first is found (by id, or once it sells)

    page = client.get(reverse("sessions_app:shift_detail", args=[first["id"]])).content.decode()
    assert "Final POS holds another open shift numbered" in page

    client.post(reverse("sessions_app:duplicate_remove", args=[first["id"]]), follow=True)

    assert [s["id"] for s in _upstream_open(simulator)] == [second["id"]]
    assert SessionRecord.objects.get(id=first["id"]).deleted_at is not None
    assert AuditEntry.objects.filter(action="delete", object_id=first["id"]).exists()


def test_a_shift_deleted_in_final_pos_does_not_block_its_till(client, cashier, tills, simulator):
    from sessions_app.services.shift_open import shift_open

    gone = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("100.00")
    ).record
    simulator.simulator.store.delete("session", gone.id)  # deleted on the till or back office
    client.login(username="cal", password=PASSWORD)

    response = client.post(URL, {"station": STATION_A1, "opening_amount": "150.00"}, follow=True)

    assert "is open on Till 1" in response.content.decode()
    [opened] = _upstream_open(simulator)
    assert opened["id"] != gone.id
    assert SessionRecord.objects.get(id=opened["id"]).is_open
