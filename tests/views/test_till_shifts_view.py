"""Shifts the tills hold and close, on their pages: reviewed like ours, taken over when a till
is out of use, and two versions shown side by side when a till wrote over ours."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from finalpos_simulator.tills import TillActivity
from sessions_app.models import LedgerEntry, SessionRecord, ShiftConflict
from sessions_app.services.index import shift_fetch
from sessions_app.services.index_refresh import shifts_refresh
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from tests.conftest import PASSWORD, STATION_A1, quiet_till

pytestmark = pytest.mark.django_db


@pytest.fixture
def till(tills, simulator) -> TillActivity:
    return quiet_till(simulator, seed=5)


@pytest.fixture
def held_shift(till, simulator) -> SessionRecord:
    station = simulator.simulator.store.get("station", STATION_A1)
    session = till.open_session(station, cashier="Sam Rivera")
    till.sell(session, count=3)
    return shift_fetch(session_id=session["id"])


@pytest.fixture
def short_till_close(till, simulator) -> SessionRecord:
    """A shift the till opened and closed 30.00 short on cash, with its own JSON report."""
    station = simulator.simulator.store.get("station", STATION_A1)
    session = till.open_session(station, cashier="Sam Rivera")
    simulator.simulator.record_transaction(
        sessionId=session["id"], paymentMethod="cash", amount="80.00"
    )
    opening = Decimal(session["openingAmount"])
    declared = {"cash": f"{opening + 50:.2f}", "card": "0.00", "oliverPay": "0.00"}
    report = {
        "source": "final-pos-ipad",
        "totals": declared,
        "cashDrawer": {
            "expectedCash": f"{opening + 80:.2f}",
            "closingCash": declared["cash"],
            "overUnder": "-30.00",
        },
    }
    till._put(
        STATION_A1,
        {
            **session,
            "closedBy": "Sam Rivera",
            "closeTime": "2026-12-01T17:00:00.000Z",
            "closingAmount": declared["cash"],
            "closingAmounts": declared,
            "closingReportData": json.dumps(report),
        },
    )
    return shift_fetch(session_id=session["id"])


def _page(client, record) -> str:
    return client.get(reverse("sessions_app:shift_detail", args=[record.id])).content.decode()


def test_a_shift_the_till_holds_is_closed_on_the_till_not_here(client, cashier, held_shift):
    client.login(username="cal", password=PASSWORD)
    page = _page(client, held_shift)
    assert "Opened on the till, which holds it open" in page
    assert "Close this shift" not in page and "Take over from the till" not in page
    close = client.get(reverse("sessions_app:shift_close", args=[held_shift.id]), follow=True)
    assert "close it on the till" in close.content.decode()


def test_a_manager_takes_over_a_shift_from_a_broken_till(client, manager, held_shift):
    client.login(username="mia", password=PASSWORD)
    assert "Take over from the till" in _page(client, held_shift)
    url = reverse("sessions_app:shift_take_over", args=[held_shift.id])
    assert "This field is required" in client.post(url, {"reason": ""}).content.decode()

    response = client.post(url, {"reason": "The iPad is broken"}, follow=True)

    assert "is now held here" in response.content.decode()
    assert "Close this shift" in _page(client, held_shift)
    assert LedgerEntry.objects.filter(session_id=held_shift.id, kind="takeover").exists()


def test_cashiers_cannot_take_over_a_shift(client, cashier, held_shift):
    client.login(username="cal", password=PASSWORD)
    url = reverse("sessions_app:shift_take_over", args=[held_shift.id])
    assert client.post(url, {"reason": "mine now"}).status_code == 403


def test_a_short_till_close_is_reviewed_like_ours_and_leaves_the_queue(
    client, manager, short_till_close
):
    client.login(username="mia", password=PASSWORD)
    assert short_till_close.needs_review
    page = _page(client, short_till_close)
    assert "Approve shift" in page and "Reason for the difference" in page
    assert "Declared on the till" in page  # the till's report, read as figures
    assert "The report as the till wrote it" in page  # and whole behind a disclosure

    url = reverse("sessions_app:shift_approve", args=[short_till_close.id])
    refused = client.post(url, {"comment": "Spoke to Sam", "reason": ""}).content.decode()
    assert "give one" in refused
    client.post(url, {"comment": "Spoke to Sam", "reason": "Change given twice"}, follow=True)

    record = SessionRecord.objects.get(id=short_till_close.id)
    assert record.review_state == "approved" and record.variance_reason == "Change given twice"
    history = client.get(reverse("sessions_app:shift_history") + "?state=needs_review")
    assert short_till_close.session_number not in history.content.decode()


def test_the_tills_figures_and_ours_are_shown_where_they_differ(
    client, manager, cashier, held_shift, till, simulator
):
    client.login(username="cal", password=PASSWORD)
    client.post(
        reverse("sessions_app:cash_movement_new", args=[held_shift.id]),
        {
            "movement_id": "a" * 32,
            "kind": "pay_out",
            "amount": "20.00",
            "reason": "Supplies",
            "note": "",
        },
    )
    assert "Recorded here, not in Final POS yet" in _page(client, held_shift)
    till.close_session(simulator.simulator.store.get("session", held_shift.id))
    shifts_refresh()

    page = _page(client, held_shift)
    if "Expected cash:" in page:  # a JSON report: the till knows nothing of the pay-out
        assert "on the till" in page
    assert "Recorded here, not in Final POS yet" not in page


def test_a_manager_sees_both_versions_and_chooses(client, manager, cashier, tills, till, simulator):
    record = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("200.00")
    ).record
    open_copy = simulator.simulator.store.get("session", record.id)
    shift_close(
        record=record,
        closed_by_user=cashier,
        counted={"cash": Decimal("201.00")},
        seen_updated_at=None,
        close_request_id="d" * 32,
    )
    till.queue(STATION_A1, "stale", open_copy, ticks=1)
    till.send_queued(STATION_A1, all_now=True)
    shifts_refresh()
    client.login(username="mia", password=PASSWORD)

    page = _page(client, record)
    assert "Two versions of this shift" in page
    assert "Written here by Cal Cashier" in page and "In Final POS now" in page
    board = client.get(reverse("sessions_app:board")).content.decode()
    assert "1 shift has two versions" in board

    conflict = ShiftConflict.objects.get(session_id=record.id)
    url = reverse("sessions_app:conflict_resolve", args=[record.id, conflict.pk])
    response = client.post(url, {"choice": "apply_ours"}, follow=True)

    assert "is in Final POS again" in response.content.decode()
    assert simulator.simulator.store.get("session", record.id)["closingAmount"] == "201.00"
    assert "Two versions of this shift" not in _page(client, record)


def test_cashiers_cannot_settle_a_conflict(client, cashier, tills):
    client.login(username="cal", password=PASSWORD)
    url = reverse("sessions_app:conflict_resolve", args=["a" * 24, 1])
    assert client.post(url, {"choice": "apply_ours"}).status_code == 403


def test_a_till_close_has_the_same_drawer_takings_and_sales_as_a_close_here(
    client, manager, short_till_close
):
    client.login(username="mia", password=PASSWORD)
    page = _page(client, short_till_close)
    opening = short_till_close.opening_amount
    assert "Cash drawer" in page and "Takings" in page and "Sales by tender" in page
    assert "Bank deposit and next float" in page  # what to bank, as after a close here
    assert "+$80.00" in page  # the cash sales, in the drawer's make-up
    assert f"${opening + 80:,.2f}" in page  # expected in the drawer
    assert "−$30.00" in page  # counted against it
    assert re.search(r"Number of sales</dt><dd[^>]*>1<", page)

    receipt = client.get(reverse("sessions_app:z_receipt", args=[short_till_close.id]))
    printed = receipt.content.decode()
    assert "Cash sales" in printed and "$80.00" in printed  # the printed Z report too


def test_a_reopened_till_close_keeps_its_expected_figures_and_difference(
    client, manager, short_till_close, simulator
):
    client.login(username="mia", password=PASSWORD)
    url = reverse("sessions_app:shift_reopen", args=[short_till_close.id])
    client.post(url, {"reason": "Counted the wrong drawer"})
    page = _page(client, short_till_close)
    earlier = page[page.index('id="earlier-heading"') :]
    earlier = earlier[: earlier.index("</section>")]
    assert "Counted the wrong drawer" in earlier
    opening = short_till_close.opening_amount
    assert f"${opening + 80:,.2f}" in earlier  # what the till's sales made expected
    assert "−$30.00" in earlier  # and how far short the till's count was
    assert "Not available" not in earlier
    stored = simulator.simulator.store.get("session", short_till_close.id)["closingReportData"]
    assert stored.count("final-pos-ipad") == 1  # the till's own report, kept once


def test_the_board_says_a_shift_the_till_holds_must_be_closed_on_the_till(
    client, cashier, held_shift
):
    client.login(username="cal", password=PASSWORD)
    board = client.get(reverse("sessions_app:board")).content.decode()
    assert "Opened on the till: close it there." in board
    assert "it is closed there" not in board


def test_the_tills_own_report_names_its_tenders_as_the_report_does(
    client, manager, short_till_close
):
    client.login(username="mia", password=PASSWORD)
    page = _page(client, short_till_close)
    start = page.index("Declared on the till")
    declared = page[start : page.index("</table>", start)]
    assert all(
        f'<th scope="row">{name}</th>' in declared for name in ("Cash", "Card", "Oliver Pay")
    )
    assert "oliverPay" not in declared and '<th scope="row">cash</th>' not in declared
