"""A manager turns review alerts off and on."""

import pytest
from django.urls import reverse

from sessions_app.models import StaffProfile
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("sessions_app:preferences")


def test_a_manager_turns_alerts_off_and_on(client, manager):
    client.login(username="mia", password=PASSWORD)
    assert "E-mail me when a shift" in client.get(URL).content.decode()
    page = client.post(URL, {}, follow=True).content.decode()
    assert "Review alerts are off for you" in page
    assert not StaffProfile.objects.get(user=manager).variance_alerts
    client.post(URL, {"variance_alerts": "on"})
    assert StaffProfile.objects.get(user=manager).variance_alerts


def test_a_manager_without_a_profile_gets_one(client, manager):
    StaffProfile.objects.filter(user=manager).delete()
    client.login(username="mia", password=PASSWORD)
    assert client.get(URL).status_code == 200
    assert StaffProfile.objects.get(user=manager).variance_alerts


def test_cashiers_have_no_alert_settings(client, cashier):
    client.login(username="cal", password=PASSWORD)
    assert client.get(URL).status_code == 403
