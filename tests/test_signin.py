"""A sign-in lockout a manager can lift, and that holds without the cache: after too many
failed sign-ins, a new password (the Staff page, `manage.py staff password`, the e-mailed link)
or a manager's explicit unlock lets the person in at once, audited; the locked-out message
says what lifts it. The counts are in the database, so a dead cache neither lifts a lockout
nor breaks the sign-in page."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from sessions_app import shared_cache
from sessions_app.models import AuditEntry, SignInFailure
from sessions_app.notifications import password_link_send
from tests.conftest import OUTLET_A, PASSWORD
from tests.helpers import present

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"
ADDRESS = "203.0.113.7"
# A Redis nobody answers: every cache call fails at once (connection refused).
DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture(autouse=True)
def _fresh_fallback():
    shared_cache.forget_local()
    yield
    shared_cache.forget_local()


def _sign_in(client, password: str, username: str = "cal"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )


@pytest.fixture
def locked_out(client, cashier, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        _sign_in(client, "guess")
    page = _sign_in(client, PASSWORD).content.decode()
    assert "Too many failed sign-ins" in page
    return cashier


def test_the_locked_out_message_says_a_manager_can_unlock_or_a_new_password(locked_out, client):
    page = _sign_in(client, PASSWORD).content.decode()
    assert (
        "Too many failed sign-ins. Wait 15 minutes and try again, or ask a manager to unlock "
        "your account (a new password unlocks it too)."
    ) in page


def test_a_manager_sees_who_is_locked_out_and_unlocks_them_audited(
    locked_out, client, manager, django_user_model
):
    client.force_login(manager)
    listing = client.get(reverse("sessions_app:staff_list")).content.decode()
    assert "Locked out" in listing
    unlocked = client.post(
        reverse("sessions_app:staff_unlock", args=[locked_out.pk]), follow=True
    ).content.decode()
    assert "cal can sign in again now, with their current password." in unlocked
    entry = AuditEntry.objects.get(action="staff")
    assert entry.summary == "Unlocked sign-in for cal after failed attempts"
    assert entry.actor == manager and entry.outlet_id == OUTLET_A
    client.logout()
    assert _sign_in(client, PASSWORD).status_code == 302


def test_unlocking_someone_not_locked_out_changes_nothing(client, manager, cashier):
    client.force_login(manager)
    page = client.post(
        reverse("sessions_app:staff_unlock", args=[cashier.pk]), follow=True
    ).content.decode()
    assert "cal was not locked out: nothing to unlock." in page
    assert not AuditEntry.objects.exists()


def test_a_manager_of_another_outlet_cannot_unlock(locked_out, client, manager_b):
    client.force_login(manager_b)
    assert (
        client.post(reverse("sessions_app:staff_unlock", args=[locked_out.pk])).status_code == 404
    )
    assert SignInFailure.objects.exists()


def test_a_new_password_from_the_staff_page_lifts_the_lockout(locked_out, client, manager):
    client.force_login(manager)
    client.post(
        reverse("sessions_app:staff_password", args=[locked_out.pk]),
        {"password_method": "type", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert AuditEntry.objects.get().summary == (
        "Set a new password for cal, which lifted their sign-in lockout"
    )
    client.logout()
    assert _sign_in(client, NEW_PASSWORD).status_code == 302


def test_a_new_password_from_the_command_line_lifts_the_lockout(locked_out, client):
    call_command("staff", "password", "cal", "--stdin", stdin=io.StringIO(NEW_PASSWORD + "\n"))
    assert _sign_in(client, NEW_PASSWORD).status_code == 302


def test_a_new_password_from_the_e_mailed_link_lifts_the_lockout(locked_out, client, settings):
    settings.SITE_URL = "https://tills.example.com"
    password_link_send(member=locked_out, invitation=False)  # what the Staff page sends
    [message] = mail.outbox
    link = present(
        re.search(r"https://tills\.example\.com(/accounts/reset/\S+)", str(message.body))
    )[1]
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert AuditEntry.objects.get().summary == (
        "cal chose a new password from an e-mailed link, which lifted their sign-in lockout"
    )
    assert _sign_in(client, NEW_PASSWORD).status_code == 302


@override_settings(CACHES=DEAD_CACHE)
def test_with_the_cache_down_signing_in_works_and_a_lockout_still_holds(client, cashier, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    assert _sign_in(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        assert _sign_in(client, "guess").status_code == 200
    page = _sign_in(client, PASSWORD)
    assert page.status_code == 200 and "Too many failed sign-ins" in page.content.decode()
