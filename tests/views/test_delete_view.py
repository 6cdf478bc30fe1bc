"""Deleting a shift: typed confirmation, a reason, and a tombstone."""

import pytest
from django.urls import reverse

from sessions_app.models import SessionRecord
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _url(shift):
    return reverse("sessions_app:shift_delete", args=[shift.id])


def test_the_shift_number_must_be_typed(client, manager, closed_shift, simulator):
    client.login(username="mia", password=PASSWORD)
    page = client.post(_url(closed_shift), {"confirmation": "yes", "reason": "Test"})
    assert "not this shift&#x27;s number" in page.content.decode()
    assert simulator.simulator.store.get("session", closed_shift.id) is not None


def test_a_confirmed_delete_leaves_a_tombstone_page(client, manager, closed_shift, simulator):
    client.login(username="mia", password=PASSWORD)
    data = {"confirmation": closed_shift.session_number.lower(), "reason": "Training shift"}
    page = client.post(_url(closed_shift), data, follow=True).content.decode()
    assert "deleted from Final POS" in page and "Training shift" in page
    assert simulator.simulator.store.get("session", closed_shift.id) is None
    assert SessionRecord.objects.get(id=closed_shift.id).deleted_at is not None
    history = client.get(reverse("sessions_app:shift_history")).content.decode()
    assert closed_shift.session_number not in history


def test_a_deleted_shift_cannot_be_deleted_or_corrected_again(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    data = {"confirmation": closed_shift.session_number, "reason": "Training shift"}
    client.post(_url(closed_shift), data)
    again = client.post(_url(closed_shift), data)
    assert again.status_code == 302
    correct = reverse("sessions_app:shift_correct", args=[closed_shift.id])
    assert client.get(correct).status_code == 302


def test_cashiers_and_other_outlets_are_refused(client, cashier, manager_b, closed_shift):
    data = {"confirmation": closed_shift.session_number, "reason": "x"}
    client.login(username="cal", password=PASSWORD)
    assert client.post(_url(closed_shift), data).status_code == 403
    client.login(username="bob", password=PASSWORD)
    assert client.post(_url(closed_shift), data).status_code == 404
    assert SessionRecord.objects.get(id=closed_shift.id).deleted_at is None


def test_a_deleted_shift_offers_no_refresh_from_final_pos(client, manager, open_shift):
    from django.utils import timezone

    from sessions_app.models import SessionRecord

    SessionRecord.objects.filter(id=open_shift.id).update(deleted_at=timezone.now())
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:shift_detail", args=[open_shift.id])).content
    assert b"was deleted from Final POS" in page and b"Refresh from Final POS" not in page
