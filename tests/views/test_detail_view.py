"""The shift report page (Z report)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import SessionRecord
from sessions_app.services.cash_movements import cash_movement_record
from sessions_app.services.shift_close import shift_close
from tests.conftest import PASSWORD
from tests.helpers import printed_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_shift(open_shift, cashier):
    return shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("215.00"), "card": Decimal("60.00")},
        cash_count={Decimal(100): 2, Decimal(5): 3},
        closing_note="Busy <i>lunch</i>",
        variance_reason="Gave change twice",
        seen_updated_at=None,
        close_request_id="b" * 32,
    ).record


def _url(shift):
    return reverse("sessions_app:shift_detail", args=[shift.id])


def test_it_shows_the_z_report(client, cashier, closed_shift):
    client.login(username="cal", password=PASSWORD)
    page = client.get(_url(closed_shift)).content.decode()
    for text in [
        "End-of-shift report",
        closed_shift.session_number,
        "Alpha Street",
        "Till 1",
        "Cal Cashier",
        "$240.00",
        "$215.00",
        "−$25.00",
        "Short",
        "Cash count",
        "Busy &lt;i&gt;lunch&lt;/i&gt;",
        "Gave change twice",
        "Needs review",
        "Timeline",
        "Read from Final POS just now",
        "data-print",
    ]:
        assert text in page, text
    assert "Approve shift" not in page  # cashiers cannot approve


def test_it_shows_what_to_bank_and_what_to_leave(client, cashier, closed_shift):
    client.login(username="cal", password=PASSWORD)
    page = client.get(_url(closed_shift)).content.decode()
    assert "Leave $200.00 in the drawer" in page and "take $15.00 to the bank" in page


def test_managers_get_the_approval_form(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    assert "Approve shift" in client.get(_url(closed_shift)).content.decode()


def test_other_outlets_and_bad_ids_are_not_found(client, cashier_b, closed_shift):
    client.login(username="cora", password=PASSWORD)
    assert client.get(_url(closed_shift)).status_code == 404
    assert client.get("/sessions/not-an-id/").status_code == 404


def test_the_page_reads_only_the_local_index(client, cashier, closed_shift, simulator):
    client.login(username="cal", password=PASSWORD)
    simulator.simulator.reset_log()
    client.get(_url(closed_shift))
    assert not simulator.simulator.requests


def test_a_reopened_shifts_earlier_corrections_list_only_what_changed(
    client, manager, close_open_shift
):
    """Cash and card corrected, Oliver Pay (the last tender) not: the earlier close's line
    names the two changes, one separator between them, none left over at either end."""
    from sessions_app.services.shift_review import shift_correct
    from sessions_app.services.shift_undo import shift_reopen

    closed = close_open_shift(cash="200.00", variance_reason="Float short")
    corrected = shift_correct(
        record=closed,
        corrected_by_user=manager,
        counted={"cash": Decimal("190.00"), "card": Decimal("72.20"), "oliverPay": Decimal(0)},
        closing_note="",
        reason="Missed a slip",
        seen_updated_at=None,
    ).record
    shift_reopen(
        record=corrected, reopened_by_user=manager, reason="Count again", seen_updated_at=None
    )
    client.login(username="mia", password=PASSWORD)
    page = client.get(_url(closed)).content.decode()
    line = re.search(r"Then corrected by Mia Manager \(Missed a slip\):(.*?)</p>", page, re.S)
    assert line is not None
    assert " ".join(line[1].split()) == "Cash $200.00 → $190.00; Card $60.00 → $72.20"


def test_the_printed_report_has_its_heading_once(client, cashier, closed_shift):
    client.login(username="cal", password=PASSWORD)
    printed = printed_text(client.get(_url(closed_shift)).content.decode())
    assert printed.startswith("Alpha Street")  # the print header: the outlet first
    assert printed.count("End-of-shift report") == 1
    assert f"End-of-shift report {closed_shift.session_number}" in printed
    assert "Print" not in printed and "Receipt (80 mm)" not in printed  # buttons stay off paper


def test_an_open_shifts_printed_page_has_its_heading_once(client, cashier, open_shift):
    client.login(username="cal", password=PASSWORD)
    printed = printed_text(client.get(_url(open_shift)).content.decode())
    assert printed.count("Open shift") == 1
    assert f"Open shift {open_shift.session_number}" in printed


def test_the_review_says_a_difference_is_above_the_approval_limit(client, manager, closed_shift):
    client.login(username="mia", password=PASSWORD)
    text = printed_text(client.get(_url(closed_shift)).content.decode())
    assert "A difference is above the approval limit of $20.00." in text  # cash short by $25.00
    assert "cash was moved above the limit" not in text.lower()


def _closed_after_a_pay_out_above_the_limit(open_shift, cashier, *, cash: str, reason: str = ""):
    """A $60.00 pay-out by the cashier (the limit is $50.00), then the close (expected cash
    $180.00)."""
    cash_movement_record(
        record=open_shift,
        recorded_by_user=cashier,
        movement_id="c" * 32,
        kind="pay_out",
        amount=Decimal("60.00"),
        reason="Supplies",
    )
    return shift_close(
        record=SessionRecord.objects.get(id=open_shift.id),
        closed_by_user=cashier,
        counted={"cash": Decimal(cash), "card": Decimal("60.00")},
        variance_reason=reason,
        seen_updated_at=None,
        close_request_id="d" * 32,
    ).record


def test_the_review_says_cash_was_moved_above_the_limit(client, manager, open_shift, cashier):
    """A balanced close reviewed for a pay-out above the limit says so, not "a difference"."""
    closed = _closed_after_a_pay_out_above_the_limit(open_shift, cashier, cash="180.00")
    assert closed.result == "balanced" and closed.needs_review
    client.login(username="mia", password=PASSWORD)
    text = printed_text(client.get(_url(closed)).content.decode())
    assert "Cash moved above the movement limit waits for approval." in text
    assert "difference is above" not in text


def test_the_review_names_both_causes_when_both_apply(client, manager, open_shift, cashier):
    closed = _closed_after_a_pay_out_above_the_limit(
        open_shift,
        cashier,
        cash="150.00",
        reason="Miscounted change",  # cash $30.00 short
    )
    client.login(username="mia", password=PASSWORD)
    text = printed_text(client.get(_url(closed)).content.decode())
    assert (
        "A difference is above the approval limit of $20.00, and cash moved above the movement "
        "limit waits for approval." in text
    )


def test_a_limit_in_another_currency_is_not_held_against_the_shift(client, manager, closed_shift):
    """A shift in dinars at an outlet whose limit is in dollars: the review names no limit."""
    SessionRecord.objects.filter(id=closed_shift.id).update(currency="KWD")
    client.login(username="mia", password=PASSWORD)
    text = printed_text(client.get(_url(closed_shift)).content.decode())
    assert "A difference is above the approval limit, or cash was moved above the limit." in text
    assert "approval limit of" not in text
