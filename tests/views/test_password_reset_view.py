""" "Forgot your password?" for someone signed out: the link is built from SITE_URL whatever
Host the request names, the page is not offered in production without SITE_URL, requests are
throttled per address and per account, and a known and an unknown address get the same
answer, with the same work in the request (the mail goes out from the worker)."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sessions_app import shared_cache
from sessions_app.password_reset import LINKS_PER_ACCOUNT, REQUESTS_PER_ADDRESS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://tills.example.com"
    shared_cache.forget_local()


def _ask(client, email: str, address: str = "203.0.113.7", **headers):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address, **headers)


def test_the_link_is_on_site_url_whatever_host_the_request_names(client, cashier, settings):
    settings.ALLOWED_HOSTS = ["*"]  # where a stranger could otherwise choose the link's host
    response = _ask(client, "cal@example.com", HTTP_HOST="evil.example")
    assert response.status_code == 302
    [message] = mail.outbox
    assert "evil.example" not in message.body
    assert re.search(r"https://tills\.example\.com/accounts/reset/\S+/\S+/", str(message.body))


def test_in_production_without_site_url_it_is_not_offered(client, cashier, settings):
    settings.SITE_URL = ""
    assert b"Forgot your password?" not in client.get(reverse("login")).content
    page = _ask(client, "cal@example.com").content.decode()
    assert "Ask your manager to set a new password" in page
    assert mail.outbox == []


def test_one_address_asking_again_and_again_is_refused(client, cashier):
    for _ in range(REQUESTS_PER_ADDRESS):
        assert _ask(client, "cal@example.com").status_code == 302
    page = _ask(client, "cal@example.com").content.decode()
    assert "Too many password links were asked for from this network" in page


def test_many_addresses_cannot_fill_one_inbox(client, cashier):
    for number in range(10):
        assert _ask(client, "cal@example.com", address=f"198.51.100.{number}").status_code == 302
    assert len(mail.outbox) == LINKS_PER_ACCOUNT


def test_a_known_and_an_unknown_address_get_the_same_answer_and_the_same_work(
    client, cashier, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    answers: list[tuple[int, str]] = []
    queries: list[list[str]] = []
    for email in ("cal@example.com", "nobody@example.com"):
        with CaptureQueriesContext(connection) as captured:
            response = _ask(client, email, address=f"192.0.2.{len(answers)}")
        answers.append((response.status_code, response["Location"]))
        queries.append([query["sql"].split(" ")[0] for query in captured.captured_queries])
    assert answers[0] == answers[1] == (302, reverse("password_reset_done"))
    assert queries[0] == queries[1]  # no lookup of the account while the person waits
    assert mail.outbox == []  # the worker mails, not the request
    assert (
        DBTaskResult.objects.filter(task_path="sessions_app.tasks.password_reset_mail").count() == 2
    )
