"""Approving a shift that needs review."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import SessionRecord
from sessions_app.services.shift_close import shift_close
from tests.conftest import PASSWORD, add_faults
from tests.helpers import present

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_shift(open_shift, cashier):
    return shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("150.00"), "card": Decimal("60.00")},
        variance_reason="?",
        seen_updated_at=None,
        close_request_id="c" * 32,
    ).record


def _url(shift):
    return reverse("sessions_app:shift_approve", args=[shift.id])


def test_a_manager_approves_with_a_comment(client, manager, short_shift):
    client.login(username="mia", password=PASSWORD)
    response = client.post(_url(short_shift), {"comment": "Counted again with Cal"}, follow=True)
    assert "approved" in response.content.decode()
    assert SessionRecord.objects.get(id=short_shift.id).review_state == "approved"


def test_a_comment_is_required(client, manager, short_shift):
    client.login(username="mia", password=PASSWORD)
    page = client.post(_url(short_shift), {"comment": " "}).content.decode()
    assert "This field is required" in page
    assert SessionRecord.objects.get(id=short_shift.id).review_state == "needs_review"


def test_cashiers_cannot_approve(client, cashier, short_shift):
    client.login(username="cal", password=PASSWORD)
    assert client.post(_url(short_shift), {"comment": "me"}).status_code == 403


def test_managers_of_other_outlets_cannot_approve(client, manager_b, short_shift):
    client.login(username="bob", password=PASSWORD)
    assert client.post(_url(short_shift), {"comment": "me"}).status_code == 404


def test_a_failure_keeps_the_comment(client, manager, short_shift, simulator):
    client.login(username="mia", password=PASSWORD)
    add_faults(simulator, {"action": "status", "status": 503, "method": "PUT"})
    page = client.post(_url(short_shift), {"comment": "Keep me"}).content.decode()
    assert "Nothing was saved" in page and "Keep me</textarea>" in page


def test_after_a_change_made_meanwhile_the_same_form_approves(
    client, manager, short_shift, simulator
):
    client.login(username="mia", password=PASSWORD)
    seen = short_shift.upstream_updated_at.isoformat()
    stored = simulator.simulator.store.get("session", short_shift.id)
    simulator.simulator.store.replace(
        "session", stored | {"updatedAt": "2031-01-01T00:00:00.000+00:00"}
    )
    page = client.post(_url(short_shift), {"comment": "Recounted", "updated_at": seen})
    text = page.content.decode()
    assert "changed in Final POS" in text and "Recounted</textarea>" in text
    version = present(re.search(r'name="updated_at" value="([^"]+)"', text))[1]
    assert version.startswith("2031-01-01")
    retry = client.post(_url(short_shift), {"comment": "Recounted", "updated_at": version})
    assert retry.status_code == 302
    assert SessionRecord.objects.get(id=short_shift.id).review_state == "approved"
