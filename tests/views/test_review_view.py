"""The review queue: every shift waiting for a manager, approved straight from the list."""

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions_app.closing.drawer import PAY_OUT, CashMovement
from sessions_app.models import LedgerEntry, SessionRecord
from sessions_app.services.shift_close import shift_close
from tests.conftest import OUTLET_A, PASSWORD, STATION_A2, add_faults, make_shifts, till_session
from tests.helpers import present

pytestmark = pytest.mark.django_db

URL = reverse("sessions_app:review_queue")


@pytest.fixture
def short_shift(open_shift, cashier):
    return shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("150.00"), "card": Decimal("60.00")},
        variance_reason="Gave change from the wrong drawer",
        seen_updated_at=None,
        close_request_id="c" * 32,
    ).record


@pytest.fixture
def till_close(tills, simulator):
    """A shift a till closed 40.00 short on cash, with no reason (the till takes none)."""
    from sessions_app.services.index import shift_fetch

    document = till_session(
        simulator,
        STATION_A2,
        "S-2026-0777",
        closingAmounts={"cash": "110.00", "card": "0.00", "oliverPay": "0.00"},
        closingAmount="110.00",
    )
    return shift_fetch(session_id=document["id"])


def test_the_queue_lists_every_shift_waiting_with_what_approving_needs(
    mia, short_shift, till_close
):
    page = mia.get(URL).content.decode()
    assert "2 shifts wait for you" in page
    assert short_shift.session_number in page and till_close.session_number in page
    assert "Gave change from the wrong drawer" in page  # the cashier's reason
    assert "No reason given yet" in page  # the till's close asks the manager for one
    assert f"Approve {short_shift.session_number}" in page


def test_a_manager_approves_from_the_queue_and_stays_on_it(mia, short_shift, till_close):
    url = reverse("sessions_app:shift_approve", args=[till_close.id]) + f"?next={URL}"
    response = mia.post(
        url,
        {
            "comment": "Counted again with Sam",
            "reason": "A note stuck in the tray",
            "updated_at": till_close.upstream_updated_at.isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == URL
    page = response.content.decode()
    assert f"Shift {till_close.session_number} approved" in page
    assert "1 shift waits for you" in page
    assert SessionRecord.objects.get(id=till_close.id).review_state == "approved"


def _approve_url(shift, sent_from: str = URL) -> str:
    return reverse("sessions_app:shift_approve", args=[shift.id]) + f"?next={quote(sent_from)}"


def test_a_refused_approval_comes_back_to_the_queue_with_every_error_and_value(mia, till_close):
    queue = f"{URL}?outlet={OUTLET_A}"
    response = mia.post(
        _approve_url(till_close, queue),
        {"comment": "", "reason": "", "with_movements": "on"},
        follow=True,
    )
    assert response.redirect_chain[0][0] == f"{queue}#review-{till_close.id}"
    page = response.content.decode()
    assert f"Shift {till_close.session_number} was not approved. Some values need fixing" in page
    item = page[page.index(f'id="review-{till_close.id}"') :]
    assert "This field is required." in item  # the comment
    assert "no reason for its difference yet: give one" in item  # and the reason, at once
    assert SessionRecord.objects.get(id=till_close.id).review_state == "needs_review"

    typed = mia.post(
        _approve_url(till_close, queue), {"comment": "Spoke to Sam", "reason": ""}, follow=True
    ).content.decode()
    assert "Spoke to Sam</textarea>" in typed and "give one" in typed
    assert "This field is required." not in typed
    assert "Spoke to Sam" not in mia.get(queue).content.decode()  # shown once, then forgotten


def test_what_final_pos_refuses_is_told_on_the_queue_with_the_values_kept(
    mia, till_close, simulator
):
    add_faults(simulator, {"action": "status", "status": 503, "method": "PUT"})
    response = mia.post(
        _approve_url(till_close),
        {
            "comment": "Counted again",
            "reason": "A note stuck in the tray",
            "updated_at": till_close.upstream_updated_at.isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{URL}#review-{till_close.id}"
    page = response.content.decode()
    assert page.count("Nothing was saved") == 1 and "was not approved" in page
    assert "Counted again</textarea>" in page and "A note stuck in the tray</textarea>" in page


def test_the_report_page_tells_every_missing_value_at_once(mia, till_close):
    url = reverse("sessions_app:shift_approve", args=[till_close.id])
    page = mia.post(url, {"comment": "", "reason": ""}).content.decode()
    assert "This field is required." in page and "give one (what you found)" in page


def test_an_approval_goes_back_to_the_queues_outlet(mia, short_shift):
    queue = f"{URL}?outlet={OUTLET_A}"
    response = mia.post(_approve_url(short_shift, queue), {"comment": "Fine"})
    assert response["Location"] == queue


@pytest.mark.parametrize("elsewhere", ["https://evil.example/review/", "//evil.example/review/"])
def test_an_approval_never_sends_anyone_to_another_site(mia, short_shift, elsewhere):
    response = mia.post(_approve_url(short_shift, elsewhere), {"comment": ""})
    assert response.status_code == 200  # the report page's form again, not a redirect
    response = mia.post(_approve_url(short_shift, elsewhere), {"comment": "Fine"})
    assert response["Location"] == reverse("sessions_app:shift_detail", args=[short_shift.id])


def test_an_empty_queue_says_so(mia, tills):
    assert "Nothing waits for your review" in mia.get(URL).content.decode()


def test_cashiers_have_no_queue(client, cashier):
    client.login(username="cal", password=PASSWORD)
    assert client.get(URL).status_code == 403


def test_another_outlets_manager_sees_none_of_it(client, manager_b, short_shift):
    client.login(username="bob", password=PASSWORD)
    page = client.get(URL).content.decode()
    assert short_shift.session_number not in page


def _queue_of(count: int, *, start: int) -> None:
    """`count` closed shifts waiting for review at outlet A, each with a pay-out recorded here
    that waits for a manager's approval (read from the ledger)."""
    make_shifts(count, start=start, variance="-45.00")
    waiting = SessionRecord.objects.filter(review_state="")
    for record in waiting:
        closed_at = present(record.close_time)
        movement = CashMovement(
            id=f"m-{record.id}",
            kind=PAY_OUT,
            amount=Decimal("80.00"),
            reason="Supplies",
            note="",
            by="Cal Cashier",
            at=closed_at,
            approval_required=True,
        )
        LedgerEntry.objects.create(
            session_id=record.id,
            kind=LedgerEntry.MOVEMENT,
            key=movement.id,
            recorded_at=closed_at,
            recorded_by="Cal Cashier",
            part=movement.to_document(),
            state=LedgerEntry.PENDING,
        )
    waiting.update(review_state="needs_review")


def test_the_query_count_does_not_grow_with_the_queue(mia):
    _queue_of(2, start=0)
    with CaptureQueriesContext(connection) as few:
        page = mia.get(URL).content.decode()
    assert "2 shifts wait for you" in page
    assert page.count("1 cash movement waits for approval too") == 2
    _queue_of(8, start=100)
    with CaptureQueriesContext(connection) as many:
        page = mia.get(URL).content.decode()
    assert "10 shifts wait for you" in page
    assert page.count("1 cash movement waits for approval too") == 10
    # What the approval's checkbox approves too is on each card, in the shift's money.
    assert page.count("<strong>Pay-out $80.00</strong> · Supplies") == 10
    assert page.count('<span class="muted">by Cal Cashier, <time') == 10
    # What approving it means: the cash is gone from the drawer either way.
    assert page.count("Expected already counts this cash: approving records that it") == 10
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
