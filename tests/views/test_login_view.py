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


def _fail(client, username="cal", address="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": "guess"}, REMOTE_ADDR=address
    )


def test_repeated_failures_lock_the_account_from_that_address(client, cashier, settings, caplog):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        _fail(client)
    response = client.post(
        reverse("login"), {"username": "cal", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 200  # the right password is not even checked
    assert b"Too many failed sign-ins. Wait 15 minutes" in response.content
    assert "Failed sign-in for 'cal' from 203.0.113.7 (3 in a row)" in caplog.text
    assert "Sign-in refused for 'cal' from 203.0.113.7: locked" in caplog.text
    other_place = client.post(
        reverse("login"), {"username": "cal", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4"
    )
    assert other_place.status_code == 302  # a guesser elsewhere cannot lock Cal out


def test_one_address_guessing_many_usernames_is_locked(client, cashier, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 4
    for number in range(4):
        _fail(client, username=f"user{number}")
    response = client.post(
        reverse("login"), {"username": "cal", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert b"Too many failed sign-ins" in response.content


def test_the_router_address_is_used_behind_the_paas_proxy(client, cashier, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # a PaaS router
    settings.LOGIN_FAILURE_LIMIT = 2
    for forged in ("1.1.1.1", "2.2.2.2"):  # a client forging the header cannot dodge the count
        client.post(
            reverse("login"),
            {"username": "cal", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
        )
    response = client.post(
        reverse("login"),
        {"username": "cal", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
    )
    assert b"Too many failed sign-ins" in response.content


def test_a_success_clears_the_count(client, cashier, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    _fail(client)
    _fail(client)
    client.post(
        reverse("login"), {"username": "cal", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    client.post(reverse("logout"))
    _fail(client)
    _fail(client)
    response = client.post(
        reverse("login"), {"username": "cal", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302


def test_a_session_expires(client, cashier):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(cashier)
    Session.objects.update(expire_date=timezone.now())
    assert client.get(reverse("sessions_app:board")).status_code == 302


def test_changing_the_password_signs_out_other_sessions(client, cashier):
    client.force_login(cashier)
    cashier.set_password("a-new-long-password-2026")
    cashier.save()
    response = client.get(reverse("sessions_app:board"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_session_cookie_lasts_one_long_shift(client, cashier, settings):
    client.post(reverse("login"), {"username": "cal", "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_without_trusted_proxies_the_header_is_ignored(client, cashier, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.LOGIN_FAILURE_LIMIT = 2
    for forged in ("1.1.1.1", "2.2.2.2"):  # a different "address" each time, all forged
        client.post(
            reverse("login"),
            {"username": "cal", "password": "guess"},
            HTTP_X_FORWARDED_FOR=forged,
            REMOTE_ADDR="198.51.100.4",
        )
    response = client.post(
        reverse("login"),
        {"username": "cal", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="3.3.3.3",
        REMOTE_ADDR="198.51.100.4",
    )
    assert b"Too many failed sign-ins" in response.content


def test_a_username_in_another_form_counts_as_the_same(client, cashier, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for typed in ("\uff43\uff41\uff4c", "CAL"):  # fullwidth "cal", then capitals
        client.post(reverse("login"), {"username": typed, "password": "guess"})
    response = client.post(reverse("login"), {"username": "cal", "password": PASSWORD})
    assert b"Too many failed sign-ins" in response.content
