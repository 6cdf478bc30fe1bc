"""Reopening a closed shift."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.services.shift_open import shift_open
from tests.conftest import PASSWORD, add_faults

pytestmark = pytest.mark.django_db


def _url(shift):
    return reverse("sessions_app:shift_reopen", args=[shift.id])


def test_a_manager_reopens_with_a_reason(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    assert "Reason for reopening" in client.get(_url(closed_shift)).content.decode()
    page = client.post(_url(closed_shift), {"reason": "Cash bag found"}, follow=True)
    text = page.content.decode()
    assert "is open again" in text and "Reopened by Mia Manager: Cash bag found" in text
    assert SessionRecord.objects.get(id=closed_shift.id).is_open


def test_a_reason_is_required(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    page = client.post(_url(closed_shift), {"reason": ""}).content.decode()
    assert "This field is required" in page
    assert not SessionRecord.objects.get(id=closed_shift.id).is_open


def test_a_failure_keeps_the_reason(client, manager, closed_shift, simulator):
    client.login(username="mia", password=PASSWORD)
    add_faults(simulator, {"action": "status", "status": 500, "method": "PUT"})
    page = client.post(_url(closed_shift), {"reason": "Cash bag found"}).content.decode()
    assert "Nothing was saved" in page and "Cash bag found</textarea>" in page
    assert AuditEntry.objects.filter(action="reopen", accepted=False).exists()


def test_cashiers_and_other_outlets_are_refused(client, cashier, manager_b, closed_shift):
    client.login(username="cal", password=PASSWORD)
    assert client.post(_url(closed_shift), {"reason": "x"}).status_code == 403
    client.login(username="bob", password=PASSWORD)
    assert client.post(_url(closed_shift), {"reason": "x"}).status_code == 404
    assert not SessionRecord.objects.get(id=closed_shift.id).is_open


def test_while_another_shift_is_open_on_the_till_the_page_says_so_first(
    client, manager, cashier, closed_shift, tills
):
    shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("100.00"))
    client.login(username="mia", password=PASSWORD)
    page = client.get(_url(closed_shift)).content.decode()
    assert "is open on this till: it must be closed before this one can be reopened" in page
    assert re.search(r'class="button button--primary"[^>]*>Back to the report<', page)
    refused = client.post(_url(closed_shift), {"reason": "Recount"}).content.decode()
    assert "Close it before reopening this one." in refused
    assert "before opening a new one" not in refused
    assert not SessionRecord.objects.get(id=closed_shift.id).is_open
