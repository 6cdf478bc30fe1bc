"""The audit trail: every write, accepted or not, shown per shift and on its own page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.finalpos import FinalPOSRejected
from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.services.errors import OpenOutcomeUnknown
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from sessions_app.services.shift_review import shift_approve, shift_correct
from tests.conftest import PASSWORD, add_faults
from tests.helpers import present

pytestmark = pytest.mark.django_db


def test_open_close_and_approve_are_logged_with_before_and_after(tills, cashier, manager):
    record = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal(100)
    ).record
    closed = shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal(50)},
        variance_reason="x",
        seen_updated_at=None,
        close_request_id="d" * 32,
    ).record
    shift_approve(record=closed, approved_by_user=manager, comment="ok", seen_updated_at=None)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["open", "close", "approve"]
    assert all(e.accepted and e.object_id == record.id for e in entries)
    close = entries[1]
    assert (
        present(close.before)["close_time"] is None
        and present(close.after)["closing_amount"] == "50.00"
    )
    assert close.actor == cashier and close.outlet_id == tills["a1"].outlet_id


def test_a_refused_write_is_logged_as_not_accepted(tills, cashier, simulator):
    add_faults(
        simulator,
        {"action": "status", "status": 400, "method": "POST", "messages": ["bad float"]},
    )
    with pytest.raises(FinalPOSRejected):
        shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal(1))
    entry = AuditEntry.objects.get()
    assert not entry.accepted and entry.outcome == "refused" and "bad float" in entry.error


def test_an_open_whose_answer_was_lost_is_logged_as_unknown(tills, cashier, simulator):
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST"})
    with pytest.raises(OpenOutcomeUnknown):
        shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal(1))
    entry = AuditEntry.objects.get()
    assert not entry.accepted and entry.outcome == "unknown"
    assert "may have reached Final POS" in entry.summary


def test_the_audit_page_is_scoped_and_filterable(client, tills, cashier, manager_b):
    shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal(1))
    client.login(username="bob", password=PASSWORD)
    page = client.get(reverse("sessions_app:audit_list")).content.decode()
    assert "No entries match" in page  # outlet A is not Bob's


def test_managers_see_the_trail_on_the_shift(client, tills, cashier, manager):
    record = shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal(1)).record
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:shift_detail", args=[record.id])).content.decode()
    assert "Audit trail" in page and "Open a shift on Till 1" in page
    page = client.get(reverse("sessions_app:audit_list"), {"action": "open"}).content.decode()
    assert "Open a shift on Till 1" in page and "Saved in Final POS" in page


def test_the_audit_trails_actions_are_named_in_the_pages_language(client, tills, cashier, manager):
    shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal(1))
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:audit_list"), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "<td>Öffnung</td>" in text
    assert '<option value="movement">Bargeldbewegung</option>' in text
    assert '<option value="write_back">Zurückschreiben</option>' in text


def test_a_correction_in_the_audit_trail_says_what_it_changed(
    client, tills, cashier, manager, closed_shift
):
    shift_correct(
        record=closed_shift,
        corrected_by_user=manager,
        counted={"cash": Decimal("250.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)},
        closing_note="Busy night",
        reason="Found a bag",
        seen_updated_at=closed_shift.upstream_updated_at,
    )
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:audit_list"), {"action": "correct"}).content.decode()
    assert "Counted Cash $230.00 → $250.00" in page
    assert "Result Short → Over" in page
    assert "Float" not in page.split("<tbody>")[1]  # the float did not change
    detail = client.get(reverse("sessions_app:shift_detail", args=[closed_shift.id]))
    assert "Counted Cash $230.00 → $250.00" in detail.content.decode()


def test_what_changed_is_in_each_shifts_own_currency(client, tills, cashier, manager):
    record = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal(100)
    ).record
    SessionRecord.objects.filter(id=record.id).update(currency="KWD")  # a shift in dinars
    record.refresh_from_db()
    shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal("6.125")},
        variance_reason="x",
        seen_updated_at=None,
        close_request_id="e" * 32,
    )
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:audit_list"), {"action": "close"}).content.decode()
    assert "Counted Cash — → KWD\xa06.125" in page


def test_what_changed_leaves_out_an_amount_kept_with_other_decimals_and_names_a_new_reason():
    """An approval read the float back as 150.000 where the close kept 150.00: the same
    amount, so no line; the reason it added is a change."""
    from sessions_app.models import AuditEntry
    from sessions_app.selectors.audit import changes_text

    entry = AuditEntry(
        before={
            "currency": "USD",
            "opening_amount": "150.00",
            "counted": {"cash": "90.0"},
            "variance_reason": "",
            "review_state": "needs_review",
        },
        after={
            "currency": "USD",
            "opening_amount": "150.000",
            "counted": {"cash": "90.00"},
            "variance_reason": "Short changed a customer",
            "review_state": "approved",
        },
    )
    assert changes_text(entry) == (
        "Review needs review → approved · Reason for the difference — → Short changed a customer"
    )


def test_a_write_no_person_made_is_named_in_the_pages_language():
    from django.utils import translation

    from sessions_app.models import AuditEntry
    from sessions_app.selectors.audit import actor_text

    with translation.override("es"):
        assert actor_text(AuditEntry(actor_name=AuditEntry.SYSTEM_ACTOR)) == "El panel"
        assert actor_text(AuditEntry(actor_name="Mia Manager")) == "Mia Manager"
