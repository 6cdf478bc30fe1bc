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
    assert "Your e-mail settings are saved: no e-mail." in page
    profile = StaffProfile.objects.get(user=manager)
    assert not profile.variance_alerts and not profile.weekly_digest
    client.post(URL, {"variance_alerts": "on"})
    profile.refresh_from_db()
    assert profile.variance_alerts and not profile.weekly_digest


def test_a_manager_without_a_profile_gets_one(client, manager):
    StaffProfile.objects.filter(user=manager).delete()
    client.login(username="mia", password=PASSWORD)
    assert client.get(URL).status_code == 200
    assert StaffProfile.objects.get(user=manager).variance_alerts


def test_cashiers_have_no_alert_settings(client, cashier):
    client.login(username="cal", password=PASSWORD)
    assert client.get(URL).status_code == 403


# --- Language (issue 24) -------------------------------------------------------------------


def test_everyone_chooses_a_language_kept_for_their_next_sign_in(client, cashier):
    from sessions_app.models import StaffProfile

    client.login(username=cashier.username, password=PASSWORD)
    url = reverse("sessions_app:language")
    page = client.get(url, headers={"accept-language": "fr-FR"})
    assert page.status_code == 200 and 'lang="fr"' in page.content.decode()
    client.post(url, {"language": "de"})
    assert StaffProfile.objects.get(user=cashier).language == "de"
    board = client.get(reverse("sessions_app:board"), headers={"accept-language": "fr-FR"})
    assert 'lang="de"' in board.content.decode()  # their choice over the browser's
    client.logout()
    client.login(username=cashier.username, password=PASSWORD)
    again = client.get(reverse("sessions_app:board"), headers={"accept-language": "es"})
    assert 'lang="de"' in again.content.decode()


def test_the_browsers_language_until_one_is_chosen(client, cashier):
    client.login(username=cashier.username, password=PASSWORD)
    page = client.get(reverse("sessions_app:board"), headers={"accept-language": "es-ES,es"})
    assert 'lang="es"' in page.content.decode()
    client.post(reverse("sessions_app:language"), {"language": ""})
    page = client.get(reverse("sessions_app:board"), headers={"accept-language": "fr"})
    assert 'lang="fr"' in page.content.decode()


def test_a_language_not_offered_is_refused(client, cashier):
    client.login(username=cashier.username, password=PASSWORD)
    page = client.post(reverse("sessions_app:language"), {"language": "xx"})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
