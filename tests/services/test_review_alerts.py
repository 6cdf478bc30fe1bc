"""Review alerts: the outlet's managers get an e-mail when a shift closes needing review."""

import socket
from decimal import Decimal

import pytest
from django.core import mail

from sessions_app.models import SessionRecord, StaffProfile
from sessions_app.roles import MANAGER_GROUP
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_review import shift_correct
from tests.conftest import OUTLET_A

# Alerts are queued once the close commits (and run at once in tests): real commits here.
pytestmark = pytest.mark.django_db(transaction=True)


def _close(record, cashier, cash: str) -> SessionRecord:
    return shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal(cash), "card": Decimal("60.00")},
        variance_reason="Drawer was open during the rush",
        seen_updated_at=None,
        close_request_id="e" * 32,
    ).record


def test_the_outlets_managers_get_the_figures_and_a_link(
    open_shift, cashier, manager, manager_b, settings
):
    settings.SITE_URL = "https://tills.example.com"
    closed = _close(open_shift, cashier, "200.00")
    [message] = mail.outbox
    assert message.to == ["mia@example.com"]  # not bob, who manages outlet B
    assert message.subject == (
        f"Shift {closed.session_number} at Alpha Street needs review: Cash short by $40.00"
    )
    assert "Cash: counted $200.00, expected $240.00, \u2212$40.00 (short)" in message.body
    assert "Card: counted $60.00, expected $60.00, $0.00 (balanced)" in message.body
    assert "Result: short" in message.body
    assert "Reason given: Drawer was open during the rush" in message.body
    assert f"https://tills.example.com/sessions/{closed.id}/" in message.body


def test_a_manager_who_turned_alerts_off_gets_nothing(open_shift, cashier, manager, make_staff):
    StaffProfile.objects.filter(user=manager).update(variance_alerts=False)
    other = make_staff("max", MANAGER_GROUP, [OUTLET_A])
    _close(open_shift, cashier, "200.00")
    assert [message.to for message in mail.outbox] == [[other.email]]


def test_a_shift_within_limits_sends_nothing(open_shift, cashier, manager):
    _close(open_shift, cashier, "240.00")
    assert mail.outbox == []


def test_a_correction_that_makes_a_shift_need_review_alerts(open_shift, cashier, manager):
    closed = _close(open_shift, cashier, "240.00")
    shift_correct(
        record=closed,
        corrected_by_user=manager,
        counted={"cash": Decimal("180.00"), "card": Decimal("60.00")},
        closing_note="",
        reason="Bag recount",
        seen_updated_at=None,
    )
    assert len(mail.outbox) == 1 and "needs review" in mail.outbox[0].subject


def test_a_correction_of_a_shift_already_needing_review_sends_no_second_alert(
    open_shift, cashier, manager
):
    closed = _close(open_shift, cashier, "200.00")
    assert len(mail.outbox) == 1
    shift_correct(
        record=closed,
        corrected_by_user=manager,
        counted={"cash": Decimal("190.00"), "card": Decimal("60.00")},
        closing_note="",
        reason="Recounted the bag",
        seen_updated_at=None,
    )
    assert SessionRecord.objects.get(id=closed.id).needs_review
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_does_not_undo_the_close(open_shift, cashier, manager, settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    closed = _close(open_shift, cashier, "200.00")
    assert SessionRecord.objects.get(id=closed.id).needs_review


def test_a_name_with_a_line_break_never_reaches_the_subject_as_one(open_shift, cashier, manager):
    from sessions_app.models import Outlet

    Outlet.objects.filter(id=OUTLET_A).update(name="Alpha\r\nBcc: someone@example.com")
    _close(open_shift, cashier, "200.00")
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.to == ["mia@example.com"] and not message.bcc
