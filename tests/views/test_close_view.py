"""Closing a shift: count, confirm, then one write; nothing typed is ever lost."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import Outlet, SessionRecord
from sessions_app.services.outlet_settings import outlet_settings_update
from tests.conftest import PASSWORD, add_faults
from tests.helpers import present

pytestmark = pytest.mark.django_db
# Coins down to 0.05 only, as where cash is rounded to 0.05 (no smaller coin to count).
SWISS_LIKE_COINS = "100,50,20,10,5,2,1,0.50,0.20,0.10,0.05"


def _url(shift):
    return reverse("sessions_app:shift_close", args=[shift.id])


def _start(client, shift) -> dict:
    """Loads the close form and returns its hidden fields, as a browser would send them."""
    page = client.get(_url(shift)).content.decode()
    hidden = dict(
        re.findall(r'type="hidden" name="(close_request_id|updated_at)" value="([^"]*)"', page)
    )
    assert set(hidden) == {"close_request_id", "updated_at"}
    return hidden


COUNTS = {"counted_cash": "240.00", "counted_card": "60.00", "counted_oliverPay": "0"}


@pytest.fixture
def cal(client, cashier):
    client.login(username="cal", password=PASSWORD)
    return client


def test_a_cashier_counts_blind(cal, open_shift, settings):
    settings.BLIND_COUNT = True
    page = cal.get(_url(open_shift)).content.decode()
    assert "Blind count" in page and "Expected:" not in page and "$240.00" not in page


def test_a_manager_sees_the_expected_figures_while_counting(client, manager, open_shift):
    client.login(username="mia", password=PASSWORD)
    page = client.get(_url(open_shift)).content.decode()
    assert "Expected: $240.00" in page and "Expected: $60.00" in page


def test_the_review_step_shows_the_summary_and_writes_nothing(cal, open_shift, simulator):
    hidden = _start(cal, open_shift)
    simulator.simulator.reset_log()
    page = cal.post(
        _url(open_shift), {**COUNTS, "counted_cash": "238.00", **hidden, "action": "review"}
    ).content.decode()
    assert "Check and close Till 1" in page
    assert "−$2.00" in page and "Short" in page and "$240.00" in page
    assert not any(r.method == "PUT" for r in simulator.simulator.requests)
    assert SessionRecord.objects.get(id=open_shift.id).is_open


def test_confirming_closes_and_shows_the_report(cal, open_shift, simulator):
    hidden = _start(cal, open_shift)
    response = cal.post(
        _url(open_shift),
        {**COUNTS, **hidden, "action": "confirm", "closing_note": "<script>x</script>"},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "sessions_app:shift_detail", args=[open_shift.id]
    )
    assert "closed and balanced" in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page
    assert "closeTime" in simulator.simulator.store.get("session", open_shift.id)


def test_a_double_submit_closes_once(cal, open_shift, simulator):
    hidden = _start(cal, open_shift)
    data = {**COUNTS, **hidden, "action": "confirm"}
    cal.post(_url(open_shift), data)
    simulator.simulator.reset_log()
    response = cal.post(_url(open_shift), data, follow=True)
    assert response.status_code == 200
    assert not any(
        r.method == "PUT" and "/session/" in r.path for r in simulator.simulator.requests
    )


def test_a_large_difference_asks_for_a_reason_and_keeps_every_value(cal, open_shift, settings):
    settings.VARIANCE_REASON_THRESHOLD = 5
    hidden = _start(cal, open_shift)
    data = {
        **COUNTS,
        "counted_cash": "200.00",
        "closing_note": "Long day",
        **hidden,
        "action": "confirm",
    }
    page = cal.post(_url(open_shift), data).content.decode()
    assert "give a reason" in page
    assert 'value="200.00"' in page and 'value="Long day"' in page
    assert SessionRecord.objects.get(id=open_shift.id).is_open


def test_above_the_approval_limit_the_shift_closes_needing_review(cal, open_shift, settings):
    settings.VARIANCE_APPROVAL_THRESHOLD = 20
    hidden = _start(cal, open_shift)
    response = cal.post(
        _url(open_shift),
        {
            **COUNTS,
            "counted_cash": "200.00",
            **hidden,
            "variance_reason": "Robbed",
            "action": "confirm",
        },
        follow=True,
    )
    assert "a manager must review this shift" in response.content.decode()
    assert SessionRecord.objects.get(id=open_shift.id).review_state == "needs_review"


@pytest.mark.parametrize(
    "fault",
    [
        {"action": "status", "status": 503},
        {"action": "status", "status": 401},
        {"action": "status", "status": 400, "messages": ["closingAmount is invalid"]},
    ],
)
def test_when_final_pos_fails_the_values_and_a_message_come_back(cal, open_shift, simulator, fault):
    hidden = _start(cal, open_shift)
    add_faults(simulator, {**fault, "method": "PUT", "path_contains": "/session/"})
    page = cal.post(
        _url(open_shift),
        {
            **COUNTS,
            "counted_cash": "239.99",
            "closing_note": "n1",
            "variance_reason": "r1",
            **hidden,
            "action": "confirm",
        },
    ).content.decode()
    assert "Nothing was saved:" in page
    assert (
        'value="239.99"' in page
        and 'value="n1"' in page
        and ">r1</textarea>" in page.replace("\n", "")
    )
    assert SessionRecord.objects.get(id=open_shift.id).is_open


def test_final_pos_failing_is_told_in_the_cashiers_language(cal, open_shift, simulator):
    hidden = _start(cal, open_shift)
    add_faults(simulator, {"action": "status", "status": 401, "method": "PUT"})
    german = {"counted_cash": "239,99", "counted_card": "60", "counted_oliverPay": "0"}
    page = cal.post(
        _url(open_shift),
        {**german, "variance_reason": "Wechselgeld", **hidden, "action": "confirm"},
        headers={"accept-language": "de-DE"},
    ).content.decode()
    assert "Nichts wurde gespeichert: Final POS hat den API-Schlüssel des Dashboards" in page
    assert "refused the dashboard" not in page and 'value="239,99"' in page


def test_a_close_whose_answer_never_came_is_not_confirmed_until_it_could_have_landed(
    cal, open_shift, simulator, settings
):
    """The connection dropped after the close was sent: Final POS may still save it, so the
    cashier is not told "nothing was saved" (nor invited to close again) until it could no
    longer land; then the count comes back as typed."""
    hidden = _start(cal, open_shift)
    add_faults(simulator, {"action": "drop", "method": "PUT", "path_contains": "/session/"})
    typed = {
        **COUNTS,
        "counted_cash": "239.99",
        "closing_note": "n1",
        "variance_reason": "r1",
        **hidden,
        "action": "confirm",
    }
    response = cal.post(_url(open_shift), typed)
    outcome = reverse("sessions_app:write_outcome", args=[open_shift.id])
    assert response.status_code == 302 and response["Location"] == outcome
    page = cal.get(outcome).content.decode()
    assert "Not confirmed yet" in page and "Nothing was saved" not in page
    assert "Close shift" not in page

    simulator.simulator.faults.rules.clear()
    settings.FINALPOS_SETTLED_AFTER = timedelta(0)  # it could have landed by now
    page = cal.post(outcome, follow=True).content.decode()
    assert "Not saved: Final POS does not have the close" in page
    assert 'name="counted_cash" value="239.99"' in page  # back on the count, as typed
    assert ">n1</textarea>" in page.replace("\n", "")
    assert 'name="variance_reason" value="r1"' in page
    assert SessionRecord.objects.get(id=open_shift.id).is_open


def test_a_change_made_meanwhile_is_refused_with_the_latest_version(cal, open_shift, simulator):
    hidden = _start(cal, open_shift)
    store = simulator.simulator.store
    store.replace(
        "session",
        store.get("session", open_shift.id) | {"updatedAt": "2030-01-01T00:00:00.000+00:00"},
    )
    page = cal.post(_url(open_shift), {**COUNTS, **hidden, "action": "confirm"}).content.decode()
    assert "changed in Final POS while you were working" in page
    assert "2030-01-01T00:00:00+00:00" in page  # the form now carries the new version


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("counted_cash", "-1", "negative"),
        ("counted_card", "", "0 if none"),
        ("counted_card", "1e9", "like 125.50"),
        ("closing_note", "y" * 1001, "1000 characters"),
    ],
)
def test_bad_input_gets_field_errors(cal, open_shift, field, value, message):
    hidden = _start(cal, open_shift)
    page = cal.post(
        _url(open_shift), {**COUNTS, field: value, **hidden, "action": "review"}
    ).content.decode()
    assert message in page and "Close the shift on Till 1" in page


def test_a_shift_at_another_outlet_is_not_found(client, cashier_b, open_shift):
    client.login(username="cora", password=PASSWORD)
    assert client.get(_url(open_shift)).status_code == 404
    assert client.post(_url(open_shift), {**COUNTS, "action": "confirm"}).status_code == 404


def test_a_closed_shift_sends_you_to_its_report(cal, open_shift):
    hidden = _start(cal, open_shift)
    cal.post(_url(open_shift), {**COUNTS, **hidden, "action": "confirm"})
    response = cal.get(_url(open_shift))
    assert response.status_code == 302 and response.url.endswith(f"/sessions/{open_shift.id}/")


def test_a_recount_after_seeing_expected_is_traced(cal, open_shift, settings):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = True
    hidden = _start(cal, open_shift)
    first = {**COUNTS, "counted_cash": "250.00", **hidden}
    cal.post(_url(open_shift), {**first, "action": "review"})
    page = cal.post(_url(open_shift), {**first, "action": "edit"}).content.decode()
    assert "Close the shift on" in page  # back to the count form
    recount = {**COUNTS, **hidden, "action": "confirm"}  # now typed as expected: 240.00
    page = cal.post(_url(open_shift), recount, follow=True).content.decode()
    assert "Recounted after seeing expected" in page and "$250.00" in page
    closed = SessionRecord.objects.get(id=open_shift.id)
    assert present(closed.report)["blindCount"]["firstCount"]["cash"] == "250.00"
    assert not closed.needs_review  # the blind count was 10.00 over: under the $20 review


def test_a_recount_that_clears_a_difference_a_manager_reviews_still_goes_to_review(
    cal, open_shift, settings
):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = True
    hidden = _start(cal, open_shift)
    blind = {**COUNTS, "counted_cash": "200.00", **hidden}  # 40.00 short of the 240.00 expected
    cal.post(_url(open_shift), {**blind, "action": "review"})
    cal.post(_url(open_shift), {**blind, "action": "edit"})
    page = cal.post(_url(open_shift), {**COUNTS, **hidden, "action": "review"}).content.decode()
    assert "The first count, made before expected was shown, was off by more than" in page
    recount = {**COUNTS, **hidden, "action": "confirm"}  # typed as expected after seeing it
    page = cal.post(_url(open_shift), recount).content.decode()
    assert "give a reason for the manager" in page  # the manager will ask why
    recount["variance_reason"] = "Miscounted the twenties"
    page = cal.post(_url(open_shift), recount, follow=True).content.decode()
    assert (
        "is closed and balanced. The first count, made before expected was shown, was off by "
        "more than the review limit: a manager must review this shift." in page
    )  # one message, saying why

    closed = SessionRecord.objects.get(id=open_shift.id)
    assert closed.result == "balanced" and closed.closing_amount == 240
    assert closed.needs_review and closed.variance_reason == "Miscounted the twenties"
    assert "Recounted after seeing expected" in page and "$200.00" in page
    assert "A difference is above the approval limit" not in page


def test_when_the_first_count_is_final_there_is_no_way_back_to_edit(cal, open_shift, settings):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = False
    hidden = _start(cal, open_shift)
    first = {**COUNTS, "counted_cash": "250.00", **hidden}
    page = cal.post(_url(open_shift), {**first, "action": "review"}).content.decode()
    assert "Back to edit the count" not in page and "is final" in page
    page = cal.post(_url(open_shift), {**first, "action": "edit"}).content.decode()
    assert "Check and close Till 1" in page  # the edit step is not offered
    changed = {**COUNTS, "counted_cash": "240.00", **hidden, "action": "review"}
    page = cal.post(_url(open_shift), changed).content.decode()
    assert "cannot be changed" in page


def test_back_to_edit_after_the_reveal_no_longer_calls_the_count_blind(cal, open_shift, settings):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = True
    hidden = _start(cal, open_shift)
    first = {**COUNTS, "counted_cash": "250.00", **hidden}
    cal.post(_url(open_shift), {**first, "action": "review"})
    page = cal.post(_url(open_shift), {**first, "action": "edit"}).content.decode()
    assert "Close the shift on Till 1" in page and 'value="250.00"' in page
    assert "Blind count" not in page
    assert "You saw the expected figures at" in page and "your first count stays" in page
    assert "Expected: $240.00" in page and "Expected: $60.00" in page
    again = cal.get(_url(open_shift)).content.decode()  # the same once the page is left
    assert "Blind count" not in again and "Expected: $240.00" in again


def test_a_final_count_refused_as_changed_says_it_is_final(cal, open_shift, settings):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = False
    hidden = _start(cal, open_shift)
    cal.post(_url(open_shift), {**COUNTS, "counted_cash": "250.00", **hidden, "action": "review"})
    page = cal.post(_url(open_shift), {**COUNTS, **hidden, "action": "review"}).content.decode()
    assert "cannot be changed" in page and "Blind count" not in page
    assert "so the count you sent then is final" not in page  # one message: the refusal
    again = cal.get(_url(open_shift)).content.decode()
    assert "so the count you sent then is final" in again and "Blind count" not in again


def test_a_count_sent_back_with_an_error_keeps_the_expected_figures(client, manager, open_shift):
    client.login(username="mia", password=PASSWORD)
    hidden = _start(client, open_shift)
    page = client.post(
        _url(open_shift), {**COUNTS, "counted_card": "", **hidden, "action": "review"}
    ).content.decode()
    assert "0 if none" in page and "Expected: $240.00" in page
    assert "Expected figures are not available" not in page


def _pay_out(client, shift, amount: str) -> None:
    url = reverse("sessions_app:cash_movement_new", args=[shift.id])
    [movement_id] = re.findall(
        r'name="movement_id" value="([0-9a-f]{32})"', client.get(url).content.decode()
    )
    data = {
        "kind": "pay_out",
        "amount": amount,
        "reason": "Supplies",
        "note": "",
        "movement_id": movement_id,
    }
    assert client.post(url, data).status_code == 302


@pytest.mark.parametrize(
    ("first_cash", "recount_cash", "review"),
    [
        ("240.00", "200.00", False),  # balanced when checked; the pay-out explains the recount
        ("200.00", "201.00", True),  # 40.00 short when checked, then a pay-out to "explain" it
        ("200.00", "200.00", True),  # the same, the count left as it was
    ],
)
def test_a_recount_is_judged_by_what_was_expected_when_the_first_count_was_checked(
    cal, open_shift, settings, first_cash, recount_cash, review
):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = True
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("1000.00")  # the pay-out needs no approval
    hidden = _start(cal, open_shift)
    first = {**COUNTS, "counted_cash": first_cash, **hidden}
    page = cal.post(_url(open_shift), {**first, "action": "review"}).content.decode()
    assert "$240.00" in page  # what cash was expected when the first count was checked
    cal.post(_url(open_shift), {**first, "action": "edit"})
    _pay_out(cal, open_shift, "40.00")  # cash expected now: 200.00

    hidden = _start(cal, open_shift)  # back to the count, which the pay-out changed
    recount = {**COUNTS, "counted_cash": recount_cash, **hidden, "action": "confirm"}
    if review:
        recount["variance_reason"] = "Recounted"
    cal.post(_url(open_shift), recount)

    closed = SessionRecord.objects.get(id=open_shift.id)
    assert not closed.is_open and closed.needs_review is review
    blind = present(closed.report)["blindCount"]
    assert blind["firstCount"]["cash"] == first_cash
    assert blind["expectedAtReveal"]["cash"] == "240.00"
    if first_cash != recount_cash:
        report = cal.get(reverse("sessions_app:shift_detail", args=[open_shift.id]))
        assert f"Cash: ${first_cash}, when $240.00 was expected" in report.content.decode()


def test_a_first_count_off_is_a_cause_of_review_beside_cash_moved_that_waits_for_approval(
    client, cal, open_shift, manager, settings
):
    """Cash moved above its limit already sends the shift to review: the first count, off by
    more than the review limit, is still asked a reason for and named as a cause, so approving
    the pay-out never hides it."""
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = True
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("10.00")  # the pay-out waits for approval
    hidden = _start(cal, open_shift)
    first = {**COUNTS, "counted_cash": "100.00", **hidden}  # 140.00 short of the 240.00
    cal.post(_url(open_shift), {**first, "action": "review"})
    cal.post(_url(open_shift), {**first, "action": "edit"})
    _pay_out(cal, open_shift, "40.00")  # cash expected now: 200.00
    hidden = _start(cal, open_shift)
    recount = {**COUNTS, "counted_cash": "200.00", **hidden, "action": "confirm"}
    page = cal.post(_url(open_shift), recount).content.decode()
    assert "was off by more than the review limit: give a reason for the manager" in page
    recount["variance_reason"] = "Counted the float twice"
    page = cal.post(_url(open_shift), recount, follow=True).content.decode()
    assert (  # one message, naming both causes
        "off by more than the review limit: a manager must review this shift. Cash moved above "
        "the movement limit waits for approval." in page
    )
    closed = SessionRecord.objects.get(id=open_shift.id)
    assert closed.needs_review and closed.result == "balanced"

    client.logout()
    client.login(username=manager.username, password=PASSWORD)
    report = client.get(reverse("sessions_app:shift_detail", args=[open_shift.id]))
    review = report.content.decode().split('id="review-heading"')[1].split("<form")[0]
    assert "The first count, made before expected was shown, was off by more than" in review
    assert "Cash moved above the movement limit waits for approval." in review


def test_a_recount_of_any_tender_is_on_the_report_and_in_the_audit_trail(
    cal, client, manager, open_shift, settings
):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = True
    hidden = _start(cal, open_shift)
    first = {**COUNTS, "counted_card": "0.00", **hidden}  # the card total forgotten
    cal.post(_url(open_shift), {**first, "action": "review"})
    cal.post(_url(open_shift), {**first, "action": "edit"})
    recount = {**COUNTS, **hidden, "action": "confirm", "variance_reason": "Card slip found"}
    cal.post(_url(open_shift), recount)

    client.login(username="mia", password=PASSWORD)
    report = client.get(reverse("sessions_app:shift_detail", args=[open_shift.id]))
    page = report.content.decode()
    recounts = page[page.index("Recounted after seeing expected. The first, blind count:") :]
    recounts = recounts[: recounts.index("</ul>")]
    assert "Card: $0.00, when $60.00 was expected" in recounts
    assert "Cash" not in recounts  # cash was not changed
    audit = client.get(reverse("sessions_app:audit_list")).content.decode()
    assert "Card first $0.00, then $60.00" in audit


def test_cash_counted_is_in_whole_coins_where_cash_is_rounded(cal, open_shift, manager):
    outlet_settings_update(
        outlet=Outlet.objects.get(id=open_shift.outlet_id),
        changes={"cash_rounding": Decimal("0.05"), "denominations": SWISS_LIKE_COINS},
        updated_by_user=manager,
    )
    hidden = _start(cal, open_shift)
    page = cal.post(
        _url(open_shift), {**COUNTS, "counted_cash": "240.03", **hidden, "action": "review"}
    ).content.decode()
    assert "240.00 or 240.05?" in page and "Close the shift on Till 1" in page
    assert 'value="240.03"' in page
    card = cal.post(
        _url(open_shift), {**COUNTS, "counted_card": "60.03", **hidden, "action": "review"}
    ).content.decode()
    assert "Check and close Till 1" in card  # a card total is not made of coins
