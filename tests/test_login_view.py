"""Signing in and out, and the login wall in front of every other page."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_shows_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content
    assert b'autocomplete="current-password"' in response.content


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("sessions_app:board"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_it_signs_in_a_cashier(client, cashier):
    response = client.post(reverse("login"), {"username": "cal", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions_app:board")
    assert client.get(reverse("sessions_app:board")).status_code == 200


def test_it_rejects_a_wrong_password_and_keeps_the_username(client, cashier):
    response = client.post(reverse("login"), {"username": "cal", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert b'value="cal"' in response.content


def test_it_ignores_an_offsite_next(client, cashier):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "cal", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions_app:board")


def test_it_signs_out_with_post(client, cashier):
    client.force_login(cashier)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("sessions_app:board")).status_code == 302


def test_it_does_not_sign_out_with_get(client, cashier):
    client.force_login(cashier)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("sessions_app:board")).status_code == 200


def test_demo_accounts_are_advertised_only_in_demo_mode(client, settings):
    settings.FINALPOS_DEMO_MODE = True
    assert b"manager-demo" in client.get(reverse("login")).content
    settings.FINALPOS_DEMO_MODE = False
    assert b"manager-demo" not in client.get(reverse("login")).content
