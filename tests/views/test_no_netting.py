"""A cash shortage is never hidden by an overage on another tender: every place that shows a
shift's headline leads with cash and says "mixed"."""

import csv
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from sessions_app.models import SessionRecord
from sessions_app.services.shift_close import shift_close
from tests.conftest import PASSWORD, make_shifts

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(open_shift, cashier, manager):
    """Till 1 closed 30.42 short on cash and 30.42 over on card: netted, it read 'balanced'."""
    return shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("209.58"), "card": Decimal("90.42"), "oliverPay": Decimal(0)},
        variance_reason="Card batch printed twice",
        seen_updated_at=None,
        close_request_id="9" * 32,
    ).record


def _signed_in(client):
    client.login(username="mia", password=PASSWORD)
    return client


def test_the_close_message_says_cash_short_and_card_over(client, cashier, open_shift):
    client.login(username="cal", password=PASSWORD)
    url = reverse("sessions_app:shift_close", args=[open_shift.id])
    page = client.get(url).content.decode()
    request_id = page.split('name="close_request_id" value="')[1][:32]
    data = {
        "counted_cash": "209.58",
        "counted_card": "90.42",
        "counted_oliverPay": "0",
        "variance_reason": "Card batch printed twice",
        "close_request_id": request_id,
        "action": "confirm",
    }
    page = client.post(url, data, follow=True).content.decode()
    assert "Cash short by $30.42, Card over by $30.42" in page
    assert "closed and balanced" not in page


def test_the_board_and_history_lead_with_cash_and_say_mixed(client, mixed):
    client = _signed_in(client)
    for url in (reverse("sessions_app:board"), reverse("sessions_app:shift_history")):
        page = client.get(url).content.decode()
        assert "\u2212$30.42" in page and "Mixed" in page, url
        assert "Card +$30.42" in page, url


def test_the_shift_is_among_the_largest_differences_and_sorts_by_its_largest_tender(client, mixed):
    make_shifts(3, variance="-5.00", start=40)
    client = _signed_in(client)
    board = client.get(reverse("sessions_app:board"))
    [(code, largest)] = board.context["largest"]
    assert code == "USD" and largest[0] == mixed  # 30.42 off on card and in cash: above 5.00
    history = client.get(reverse("sessions_app:shift_history"), {"sort": "-variance"})
    assert history.context["rows"][0].id == mixed.id
    assert "largest difference on any one tender" in history.content.decode()
    filtered = client.get(reverse("sessions_app:shift_history"), {"result": "mixed"})
    assert [row.id for row in filtered.context["rows"]] == [mixed.id]


def test_the_csv_has_each_tenders_difference_and_the_review(client, mixed):
    client = _signed_in(client)
    response = client.get(reverse("sessions_app:shift_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["session_id"] == mixed.id]
    assert row["result"] == "mixed" and row["review_state"] == "needs_review"
    assert row["cash_difference"] == "-30.42" and row["card_difference"] == "30.42"
    assert row["variance_reason"] == "Card batch printed twice"
    assert "variance_total" not in row


@pytest.mark.django_db(transaction=True)  # the alert is queued when the close commits
def test_the_review_alert_names_both_tenders(mixed):
    [message] = mail.outbox
    assert "Cash short by $30.42, Card over by $30.42" in message.subject
    assert "Result: mixed" in message.body


def test_the_history_totals_add_cash_only_and_to_the_cent(client, manager, tills):
    make_shifts(3, variance="-0.10")
    make_shifts(2, variance="0.35", start=10)
    client = _signed_in(client)
    [totals] = client.get(reverse("sessions_app:shift_history")).context["totals"]
    assert totals.currency == "USD"  # one currency: one totals row
    assert totals.cash_variance == Decimal("0.40")
    assert totals.cash_short == Decimal("-0.30") and totals.cash_over == Decimal("0.70")
    assert totals.cash_counted == Decimal("1000.40")


def test_a_past_shift_is_migrated_to_per_tender_figures(transactional_db):
    """The migration recomputes what a netted index said from the stored counts."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("sessions_app", "0007_board_indexes")])
    old = executor.loader.project_state([("sessions_app", "0007_board_indexes")]).apps
    OldRecord = old.get_model("sessions_app", "SessionRecord")
    OldRecord.objects.create(
        id="0123456789abcdef01234567",
        session_number="S-2026-0001",
        station_id="aaaaaaaaaaaaaaaaaaaa0101",
        opened_by="Cal",
        open_time="2026-11-01T09:00:00Z",
        close_time="2026-11-01T17:00:00Z",
        business_date="2026-11-01",
        opening_amount="200.00",
        counted={"cash": "250.00", "card": "65.97"},
        expected={"cash": "280.42", "card": "35.55"},
        variance_total="0.00",
        variance_abs="0.00",
        result="balanced",
        fetched_at="2026-11-01T17:00:00Z",
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    record = SessionRecord.objects.get(id="0123456789abcdef01234567")
    assert record.result == "mixed" and record.cash_variance == Decimal("-30.42")
    assert record.variance_abs == Decimal("30.42")
    assert record.variances == {"cash": "-30.42", "card": "30.42"}
    assert record.other_tenders_off  # read by the insights since 0038
