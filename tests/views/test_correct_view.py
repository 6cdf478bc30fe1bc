"""Correcting a closed shift's figures from its report page."""

import re

import pytest
from django.urls import reverse

from sessions_app.models import LedgerEntry, SessionRecord
from tests.conftest import PASSWORD, add_faults

pytestmark = pytest.mark.django_db

RECOUNT = {
    "counted_cash": "240.00",
    "counted_card": "60.00",
    "counted_oliverPay": "0",
    "closing_note": "Busy night",
    "reason": "Found $10 under the tray",
}


def _url(shift):
    return reverse("sessions_app:shift_correct", args=[shift.id])


def test_the_form_starts_from_the_recorded_figures(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    page = client.get(_url(closed_shift)).content.decode()
    assert 'value="230.00"' in page and "Busy night</textarea>" in page
    assert "Reason for the correction" in page


def test_a_german_manager_saves_the_form_as_it_was_shown(client, manager, closed_shift):
    """The recorded figures are shown as German writes them, so the fields the manager did not
    touch are read back as shown, not refused for a thousands dot."""
    client.login(username="mia", password=PASSWORD)
    german = {"accept-language": "de-DE"}
    page = client.get(_url(closed_shift), headers=german).content.decode()
    shown = dict(re.findall(r'name="(counted_\w+|updated_at)"[^>]*value="([^"]*)"', page))
    assert shown["counted_cash"] == "230,00"
    sent = shown | {"counted_cash": "240,00", "closing_note": "Busy night", "reason": "Nachgezählt"}
    response = client.post(_url(closed_shift), sent, headers=german, follow=True)
    assert "Geben Sie einen Betrag wie" not in response.content.decode()
    assert LedgerEntry.objects.filter(session_id=closed_shift.id, kind="correction").exists()


def test_a_manager_corrects_and_sees_the_original_beside_it(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    data = RECOUNT | {"updated_at": closed_shift.upstream_updated_at.isoformat()}
    response = client.post(_url(closed_shift), data, follow=True)
    page = response.content.decode()
    assert "corrected; the original figures are kept" in page
    assert "Corrected by Mia Manager" in page and "Found $10 under the tray" in page
    assert "$230.00" in page and "$240.00" in page  # before and after
    assert SessionRecord.objects.get(id=closed_shift.id).result == "balanced"


def test_a_reason_is_required_and_values_are_kept(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    page = client.post(_url(closed_shift), RECOUNT | {"reason": ""}).content.decode()
    assert "This field is required" in page and 'value="240.00"' in page


def test_a_bad_amount_is_refused_with_the_others_kept(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    page = client.post(_url(closed_shift), RECOUNT | {"counted_card": "-5"}).content.decode()
    assert 'value="240.00"' in page and "Found $10 under the tray</textarea>" in page
    assert SessionRecord.objects.get(id=closed_shift.id).closing_amount == 230


def test_an_upstream_failure_keeps_every_value(client, manager, closed_shift, simulator):
    client.login(username="mia", password=PASSWORD)
    add_faults(simulator, {"action": "status", "status": 503, "method": "PUT"})
    page = client.post(_url(closed_shift), RECOUNT).content.decode()
    assert "Nothing was saved" in page
    assert 'value="240.00"' in page and "Found $10 under the tray</textarea>" in page


def test_a_change_made_meanwhile_is_shown_and_the_retry_succeeds(
    client, manager, closed_shift, simulator
):
    client.login(username="mia", password=PASSWORD)
    stale = RECOUNT | {"updated_at": closed_shift.upstream_updated_at.isoformat()}
    stored = simulator.simulator.store.get("session", closed_shift.id)
    simulator.simulator.store.replace(
        "session", stored | {"updatedAt": "2031-01-01T00:00:00.000+00:00"}
    )
    page = client.post(_url(closed_shift), stale).content.decode()
    assert "changed in Final POS" in page
    retry = dict(stale, updated_at="2031-01-01T00:00:00+00:00")
    assert client.post(_url(closed_shift), retry).status_code == 302


def test_cashiers_cannot_correct(client, cashier, closed_shift):
    client.login(username="cal", password=PASSWORD)
    assert client.get(_url(closed_shift)).status_code == 403
    assert client.post(_url(closed_shift), RECOUNT).status_code == 403


def test_managers_of_other_outlets_get_404(client, manager_b, closed_shift):
    client.login(username="bob", password=PASSWORD)
    assert client.post(_url(closed_shift), RECOUNT).status_code == 404
    assert SessionRecord.objects.get(id=closed_shift.id).closing_amount == 230


def test_an_open_shift_sends_the_manager_to_its_report(client, manager, open_shift):
    client.login(username="mia", password=PASSWORD)
    response = client.get(_url(open_shift))
    assert response.status_code == 302
    assert response.url == reverse("sessions_app:shift_detail", args=[open_shift.id])
