"""shift_report: the report page's figures and timeline, from the index row alone."""

from decimal import Decimal

import pytest

from sessions_app.selectors.report import shift_report
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_review import shift_approve
from sessions_app.services.shift_undo import shift_reopen
from tests.helpers import present

pytestmark = pytest.mark.django_db


def _close_again(record, cashier, cash: str, request_id: str):
    return shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal(cash), "card": Decimal("60.00"), "oliverPay": Decimal(0)},
        variance_reason="Recounted",
        seen_updated_at=None,
        close_request_id=request_id,
    ).record


def test_the_timeline_of_a_reopened_shift_reads_in_order(closed_shift, manager, cashier):
    reopened = shift_reopen(
        record=closed_shift, reopened_by_user=manager, reason="Bag found", seen_updated_at=None
    ).record
    closed_again = _close_again(reopened, cashier, "240.00", "d" * 32)

    events = shift_report(closed_again).timeline
    assert [event.text for event in events] == [
        "Opened by Cal Cashier",
        "Closed by Cal Cashier",
        "Reopened by Mia Manager: Bag found",
        "Closed by Cal Cashier",
    ]
    times = [present(event.at) for event in events]
    assert times == sorted(times)


def test_an_approval_comes_after_the_close_it_approves(open_shift, cashier, manager):
    closed = _close_again(open_shift, cashier, "200.00", "e" * 32)
    approved = shift_approve(
        record=closed, approved_by_user=manager, comment="Checked", seen_updated_at=None
    ).record
    texts = [event.text for event in shift_report(approved).timeline]
    assert texts == ["Opened by Cal Cashier", "Closed by Cal Cashier", "Approved by Mia Manager"]


def test_each_method_line_has_its_own_difference(closed_shift):
    lines = {line.key: line for line in shift_report(closed_shift).lines}
    assert lines["cash"].variance == Decimal("-10.00") and lines["cash"].result == "short"
    assert lines["card"].variance == Decimal("0.00") and lines["card"].result == "balanced"


def test_a_reopened_shift_shows_every_earlier_close_with_its_figures(
    closed_shift, manager, cashier
):
    reopened = shift_reopen(
        record=closed_shift, reopened_by_user=manager, reason="Bag found", seen_updated_at=None
    ).record
    closed_again = _close_again(reopened, cashier, "240.00", "d" * 32)
    report = shift_report(closed_again)
    [earlier] = report.earlier_closes
    assert earlier.closed_by == "Cal Cashier" and earlier.reopened_by == "Mia Manager"
    assert earlier.reason == "Bag found" and earlier.result == "short"
    cash = next(line for line in earlier.lines if line.key == "cash")
    assert cash.counted == Decimal("230.00") and cash.variance == Decimal("-10.00")
    assert closed_again.result == "balanced"


def test_the_earlier_close_is_on_the_page(client, closed_shift, manager, cashier):
    from django.urls import reverse

    from tests.conftest import PASSWORD

    reopened = shift_reopen(
        record=closed_shift, reopened_by_user=manager, reason="Bag found", seen_updated_at=None
    ).record
    _close_again(reopened, cashier, "240.00", "d" * 32)
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:shift_detail", args=[closed_shift.id])).content
    page = page.decode()
    assert "Earlier closes of this shift" in page and "$230.00" in page and "Bag found" in page


def test_reopening_keeps_the_approval_correction_and_recount_of_the_close_it_undoes(
    open_shift, cashier, manager
):
    """Approve, correct the card to 72.20, reopen: nothing of the first close is dropped, and
    the corrected card is not passed off as the cashier's own count."""
    from sessions_app.services.shift_review import shift_correct

    closed = shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("200.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)},
        variance_reason="Float short",
        seen_updated_at=None,
        close_request_id="f" * 32,
    ).record
    approved = shift_approve(
        record=closed, approved_by_user=manager, comment="Checked", seen_updated_at=None
    ).record
    corrected = shift_correct(
        record=approved,
        corrected_by_user=manager,
        counted={"cash": Decimal("200.00"), "card": Decimal("72.20"), "oliverPay": Decimal(0)},
        closing_note="",
        reason="Missed a slip",
        seen_updated_at=None,
    ).record
    reopened = shift_reopen(
        record=corrected, reopened_by_user=manager, reason="Count again", seen_updated_at=None
    ).record

    report = shift_report(reopened)

    assert [event.text for event in report.timeline] == [
        "Opened by Cal Cashier",
        "Closed by Cal Cashier",
        "Approved by Mia Manager",
        "Corrected by Mia Manager: Missed a slip",
        "Reopened by Mia Manager: Count again",
    ]
    [earlier] = report.earlier_closes
    card = next(line for line in earlier.lines if line.key == "card")
    assert card.counted == Decimal("60.00")  # the cashier's own count
    [correction] = earlier.corrections
    assert [(line.name, line.after) for line in correction.lines if line.changed] == [
        ("Card", Decimal("72.20"))
    ]
    assert earlier.approved_by == "Mia Manager"
