"""Addresses that only take a form's POST, opened by hand (a reload, a bookmark, the history):
they lead to the page that holds the form instead of a blank 405."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _addresses(shift_id: str, member_id: int) -> list[tuple[str, str]]:
    """Each POST-only address, and the page that holds its form."""
    shift = reverse("sessions_app:shift_detail", args=[shift_id])
    setup = reverse("sessions_app:setup_overview")
    return [
        (reverse("sessions_app:board_refresh"), reverse("sessions_app:board")),
        (reverse("sessions_app:shift_add"), reverse("sessions_app:shift_history")),
        (reverse("sessions_app:shift_approve", args=[shift_id]), shift),
        (reverse("sessions_app:shift_refresh", args=[shift_id]), shift),
        (reverse("sessions_app:till_status_retry", args=[shift_id]), shift),
        (reverse("sessions_app:duplicate_remove", args=[shift_id]), shift),
        (reverse("sessions_app:conflict_resolve", args=[shift_id, 1]), shift),
        (reverse("sessions_app:cash_movement_approve", args=[shift_id, "m-1"]), shift),
        (
            reverse("sessions_app:staff_active", args=[member_id]),
            reverse("sessions_app:staff_edit", args=[member_id]),
        ),
        (
            reverse("sessions_app:staff_unlock", args=[member_id]),
            reverse("sessions_app:staff_list"),
        ),
        (reverse("sessions_app:catalog_refresh"), setup),
        (reverse("sessions_app:catalog_removals_confirm"), setup),
    ]


def test_opening_one_by_hand_leads_to_the_page_with_its_form(
    client, superuser, manager, closed_shift
):
    client.login(username="root", password=PASSWORD)
    for address, form_page in _addresses(closed_shift.id, manager.id):
        response = client.get(address)
        assert (response.status_code, response["Location"]) == (302, form_page), address
        assert client.get(form_page).status_code == 200, form_page
        assert client.head(address)["Location"] == form_page, address


def test_other_methods_than_post_are_still_refused(client, superuser, manager, closed_shift):
    client.login(username="root", password=PASSWORD)
    for address, _form_page in _addresses(closed_shift.id, manager.id):
        for method in (client.put, client.patch, client.delete):
            response = method(address)
            assert (response.status_code, response["Allow"]) == (405, "POST"), address


def test_a_post_still_reaches_the_view(client, manager, tills):
    client.login(username="mia", password=PASSWORD)
    response = client.post(reverse("sessions_app:board_refresh"), follow=True)
    assert "Checked Final POS" in response.content.decode()
