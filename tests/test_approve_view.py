"""Approving a shift that needs review."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import SessionRecord
from sessions_app.services import session_close
from tests.conftest import PASSWORD, add_faults

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_shift(open_shift, cashier):
    return session_close(
        record=open_shift, closed_by_user=cashier, counted={"cash": Decimal("150.00"),
        "card": Decimal("60.00")}, variance_reason="?", seen_updated_at=None,
        close_request_id="c" * 32,
    ).record  # fmt: skip


def _url(shift):
    return reverse("sessions_app:session_approve", args=[shift.id])


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
