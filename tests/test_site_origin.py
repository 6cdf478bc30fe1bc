"""Links in alert e-mails go to the address people use: SITE_URL when set, else the origin of
the request, else the last origin a signed-in person used."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from sessions_app.services.shift_close import shift_close
from sessions_app.site_origin import FALLBACK_ORIGIN, site_url
from tests.conftest import PASSWORD
from tests.helpers import present

pytestmark = pytest.mark.django_db(transaction=True)  # alerts are queued when the close commits

HOST = "tills.example.com"


@pytest.fixture
def site(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return settings


def _close_needing_review(client, shift, **request) -> str:
    """Closes the shift short through the close page, as the cashier would; returns the link in
    the alert e-mail."""
    url = reverse("sessions_app:shift_close", args=[shift.id])
    page = client.get(url, **request).content.decode()
    hidden = dict(
        re.findall(r'type="hidden" name="(close_request_id|updated_at)" value="([^"]*)"', page)
    )
    form = {"counted_cash": "200.00", "counted_card": "60.00", "counted_oliverPay": "0"}
    form |= {**hidden, "variance_reason": "Short after the rush", "action": "confirm"}
    client.post(url, form, **request)
    [message] = mail.outbox
    return present(
        re.search(
            r"Review and approve it \(you are asked to sign in first\): (\S+)", str(message.body)
        )
    )[1]


def test_the_alert_links_to_the_origin_of_the_close_request(
    site, client, cashier, manager, open_shift
):
    client.login(username="cal", password=PASSWORD)
    link = _close_needing_review(client, open_shift, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    assert link == f"https://{HOST}/sessions/{open_shift.id}/#review"


def test_site_url_wins_over_the_request(site, client, cashier, manager, open_shift):
    site.SITE_URL = "https://tills.example.org"
    client.login(username="cal", password=PASSWORD)
    link = _close_needing_review(client, open_shift, HTTP_HOST=HOST)
    assert link == f"https://tills.example.org/sessions/{open_shift.id}/#review"


def test_outside_a_request_the_last_origin_a_signed_in_person_used_is_kept(
    site, client, cashier, manager, open_shift
):
    client.login(username="mia", password=PASSWORD)
    client.get("/", HTTP_HOST=HOST, secure=True)
    assert site_url() == f"https://{HOST}"
    # A worker process, say, closing a shift with no request of its own.
    shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("200.00"), "card": Decimal("60.00")},
        variance_reason="Short after the rush",
        seen_updated_at=None,
        close_request_id="f" * 32,
    )
    [message] = mail.outbox
    assert f"https://{HOST}/sessions/{open_shift.id}/" in message.body


def test_a_request_from_someone_not_signed_in_is_not_remembered(site, client):
    client.get("/accounts/login/", HTTP_HOST=HOST)
    assert site_url() == FALLBACK_ORIGIN


def test_without_site_url_or_any_request_the_fallback_is_the_local_address(site):
    assert site_url() == "http://127.0.0.1:8000"


def test_each_process_checks_the_kept_origin_once_a_minute_not_on_every_page(
    site, client, cashier, monkeypatch
):
    from django.core.cache import cache

    from sessions_app import site_origin

    client.login(username="cal", password=PASSWORD)
    client.get("/", HTTP_HOST=HOST, secure=True)
    assert cache.get(site_origin.LAST_ORIGIN_KEY) == f"https://{HOST}"
    cache.set(site_origin.LAST_ORIGIN_KEY, "https://another.example.com")  # another process
    client.get("/", HTTP_HOST=HOST, secure=True)
    assert cache.get(site_origin.LAST_ORIGIN_KEY) == "https://another.example.com"
    client.get("/", HTTP_HOST=HOST)  # a new origin is kept at once
    assert cache.get(site_origin.LAST_ORIGIN_KEY) == f"http://{HOST}"
    cache.set(site_origin.LAST_ORIGIN_KEY, "https://another.example.com")
    monkeypatch.setattr(site_origin, "RECHECK_SECONDS", 0.0)  # a minute later
    client.get("/", HTTP_HOST=HOST)
    assert cache.get(site_origin.LAST_ORIGIN_KEY) == f"http://{HOST}"
