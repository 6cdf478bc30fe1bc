"""Adding a shift opened on a Final POS till to the history by its id."""

import pytest
from django.urls import reverse

from sessions_app.models import AuditEntry, SessionRecord
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("sessions_app:shift_add")


def _till_session(finalpos, station_id):
    from datetime import UTC, datetime
    from decimal import Decimal

    from sessions_app.finalpos.records import SessionInput

    return finalpos.session_create(
        SessionInput(
            station_id=station_id,
            session_number="T-77",
            opened_by="Till app",
            open_time=datetime(2026, 11, 20, 14, tzinfo=UTC),
            opening_amount=Decimal(50),
        )
    )


def test_a_manager_adds_a_shift_by_id(client, manager, tills, finalpos):
    session = _till_session(finalpos, tills["a1"].id)
    client.login(username="mia", password=PASSWORD)
    response = client.post(URL, {"session_id": f" {session.id} "})
    assert response.url == reverse("sessions_app:shift_detail", args=[session.id])
    assert SessionRecord.objects.get(id=session.id).opened_by == "Till app"
    assert AuditEntry.objects.get().action == "import"


def test_a_shift_at_another_outlet_is_refused(client, manager, tills, finalpos):
    session = _till_session(finalpos, tills["b1"].id)
    client.login(username="mia", password=PASSWORD)
    response = client.post(URL, {"session_id": session.id}, follow=True)
    assert "no shift with that id at your outlets" in response.content.decode()
    assert not SessionRecord.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("../../etc", "24 letters and digits"), ("a" * 24, "no shift with that id at your outlets")],
)
def test_bad_and_unknown_ids_are_explained(client, manager, tills, value, message):
    client.login(username="mia", password=PASSWORD)
    response = client.post(URL, {"session_id": value}, follow=True)
    assert message in response.content.decode()


def test_a_record_quoting_a_nul_is_refused_and_audited_on_every_database(
    client, manager, tills, finalpos, simulator
):
    session = _till_session(finalpos, tills["a1"].id)
    store = simulator.simulator.store
    stored = store.get("session", session.id)
    store.replace("session", stored | {"closingAmounts": {"gift\x00card": "not money"}})
    client.login(username="mia", password=PASSWORD)
    response = client.post(URL, {"session_id": session.id}, follow=True)
    assert response.status_code < 500
    [entry] = AuditEntry.objects.all()  # the refusal is kept, quoting the field without NUL
    assert "giftcard" in entry.error and "\x00" not in entry.error
    assert not SessionRecord.objects.exists()
