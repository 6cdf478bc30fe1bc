"""The X and Z reports on an 80 mm receipt printer's roll."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_z_receipt_has_the_takings_the_tenders_and_the_drawer(
    client, cashier, closed_shift, simulator
):
    client.login(username="cal", password=PASSWORD)
    page = client.get(reverse("sessions_app:z_receipt", args=[closed_shift.id])).content.decode()
    for words in (
        "Z report · end of shift",
        "Gross sales",
        "Net sales",
        "Counted against expected",
        "Cash drawer",
        "Short",
        "receipt.css",
    ):
        assert words in page, words
    assert 'class="site-header"' not in page  # the roll holds the report only


def test_the_takings_show_tax_tips_and_discounts_when_the_sales_carry_them(
    client, manager, open_shift, simulator, settings
):
    settings.BLIND_COUNT = False
    simulator.simulator.store.insert(
        "transaction",
        {
            "id": "f" * 24,
            "sessionId": open_shift.id,
            "paymentMethod": "credit_card",
            "amount": "108.00",
            "currency": "USD",
            "type": "sale",
            "paymentData": {"tax": "8.00", "tip": "15.00", "discount": "2.00"},
            "createdAt": "2026-12-01T10:00:00.000Z",
        },
    )
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:x_receipt", args=[open_shift.id])).content.decode()
    assert "X report · shift still open" in page
    assert "Tax included" in page and "$8.00" in page
    assert "Tips" in page and "$15.00" in page and "Discounts given" in page
    assert "$208.00" in page  # gross: 40 + 60 + 108 on every tender


def test_a_cashier_at_a_blind_outlet_gets_no_expected_on_the_x_receipt(
    client, cashier, open_shift, settings
):
    settings.BLIND_COUNT = True
    client.login(username="cal", password=PASSWORD)
    page = client.get(reverse("sessions_app:x_receipt", args=[open_shift.id])).content.decode()
    assert "Sales so far" in page and "Expected now" not in page


def test_an_open_shifts_z_receipt_is_its_x_receipt(client, cashier, open_shift):
    client.login(username="cal", password=PASSWORD)
    response = client.get(reverse("sessions_app:z_receipt", args=[open_shift.id]))
    assert response["Location"] == reverse("sessions_app:x_receipt", args=[open_shift.id])


def test_receipts_are_scoped_to_the_persons_outlets(client, cashier_b, closed_shift):
    client.login(username="cora", password=PASSWORD)
    assert client.get(reverse("sessions_app:z_receipt", args=[closed_shift.id])).status_code == 404
