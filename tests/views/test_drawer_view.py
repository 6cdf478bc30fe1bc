"""The drawer pages: cash in and out during a shift, and the X report."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from sessions_app.models import Outlet, SessionRecord
from sessions_app.services.outlet_settings import outlet_settings_update
from tests.conftest import PASSWORD, add_faults
from tests.helpers import printed_text

pytestmark = pytest.mark.django_db
# Coins down to 0.05 only, as where cash is rounded to 0.05 (no smaller coin to count).
SWISS_LIKE_COINS = "100,50,20,10,5,2,1,0.50,0.20,0.10,0.05"


@pytest.fixture
def cal(client, cashier):
    client.login(username="cal", password=PASSWORD)
    return client


def _movement_form(client, shift) -> dict:
    page = client.get(reverse("sessions_app:cash_movement_new", args=[shift.id])).content.decode()
    [movement_id] = re.findall(r'name="movement_id" value="([0-9a-f]{32})"', page)
    return {"movement_id": movement_id}


def test_a_cashier_records_a_pay_out_and_sees_the_x_report(cal, open_shift, settings):
    settings.BLIND_COUNT = False  # an outlet whose cashiers see expected
    data = _movement_form(cal, open_shift) | {
        "kind": "pay_out",
        "amount": "12.50",
        "reason": "Supplies",
        "note": "Milk",
    }
    url = reverse("sessions_app:cash_movement_new", args=[open_shift.id])
    response = cal.post(url, data, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("sessions_app:x_report", args=[open_shift.id])
    assert "Pay-out of $12.50 recorded" in page
    # Float 200.00 + cash sales 40.00 - pay-out 12.50: the drawer should hold 227.50 now.
    assert "Expected in the drawer" in page and "$227.50" in page
    assert "Milk" in page


def test_the_x_report_shows_what_each_tender_should_come_to_now(cal, open_shift, settings):
    settings.BLIND_COUNT = False
    page = cal.get(reverse("sessions_app:x_report", args=[open_shift.id])).content.decode()
    assert "X report" in page and "nothing is closed or counted" in page
    assert "$240.00" in page and "$60.00" in page  # cash and card expected now
    assert "2 sales so far" in page


def test_at_a_blind_outlet_a_cashiers_x_report_shows_sales_not_expected(cal, open_shift, settings):
    settings.BLIND_COUNT = True
    page = cal.get(reverse("sessions_app:x_report", args=[open_shift.id])).content.decode()
    assert "Sales so far, per tender" in page and "$40.00" in page  # the cash sales
    assert "Expected" not in page and "$240.00" not in page
    assert "counts blind" in page


def test_at_a_blind_outlet_a_manager_sees_expected(client, manager, open_shift, settings):
    settings.BLIND_COUNT = True
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("sessions_app:x_report", args=[open_shift.id])).content.decode()
    assert "Expected now, per tender" in page and "$240.00" in page


def test_an_x_report_without_the_sales_says_so(cal, open_shift, simulator):
    add_faults(simulator, {"action": "status", "status": 500, "path_contains": "transactions"})
    page = cal.get(reverse("sessions_app:x_report", args=[open_shift.id])).content.decode()
    assert "did not return the shift's sales just now" in page


def test_a_closed_shift_has_no_x_report(cal, closed_shift):
    response = cal.get(reverse("sessions_app:x_report", args=[closed_shift.id]))
    assert response.status_code == 302


def test_a_bad_movement_keeps_every_value_and_says_why(cal, open_shift):
    data = _movement_form(cal, open_shift) | {
        "kind": "pay_out",
        "amount": "-3",
        "reason": "Other",
        "note": "",
    }
    url = reverse("sessions_app:cash_movement_new", args=[open_shift.id])
    page = cal.post(url, data).content.decode()
    assert "Amounts cannot be negative" in page and "Say what the cash was for" in page
    assert 'value="-3"' in page and re.search(r'value="pay_out"[^>]*checked', page)


def test_a_movement_final_pos_refused_keeps_the_form(cal, open_shift, simulator):
    add_faults(simulator, {"action": "status", "status": 503, "method": "PUT"})
    data = _movement_form(cal, open_shift) | {
        "kind": "drop",
        "amount": "100",
        "reason": "Safe drop",
        "note": "Bag 12",
    }
    url = reverse("sessions_app:cash_movement_new", args=[open_shift.id])
    page = cal.post(url, data).content.decode()
    assert "Nothing was saved" in page and 'value="100"' in page and "Bag 12" in page
    assert not SessionRecord.objects.get(id=open_shift.id).report


def test_a_manager_approves_a_large_movement_from_the_report(
    client, cal, manager, open_shift, settings
):
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("50.00")
    data = _movement_form(cal, open_shift) | {
        "kind": "pay_out",
        "amount": "75",
        "reason": "Supplies",
        "note": "",
    }
    page = cal.post(
        reverse("sessions_app:cash_movement_new", args=[open_shift.id]), data, follow=True
    ).content.decode()
    assert "a manager must approve it" in page
    client.logout()
    client.login(username="mia", password=PASSWORD)
    detail = client.get(reverse("sessions_app:shift_detail", args=[open_shift.id]))
    assert "waiting for a manager" in detail.content.decode()
    movement_id = data["movement_id"]
    approve = reverse("sessions_app:cash_movement_approve", args=[open_shift.id, movement_id])
    page = client.post(approve, follow=True).content.decode()
    assert "Cash movement approved" in page and "Approved by Mia Manager" in page


def test_cashiers_cannot_approve_movements(cal, open_shift):
    url = reverse("sessions_app:cash_movement_approve", args=[open_shift.id, "a" * 32])
    assert cal.post(url).status_code == 403


def test_the_z_report_explains_the_drawer(cal, closed_shift):
    page = cal.get(reverse("sessions_app:shift_detail", args=[closed_shift.id])).content.decode()
    for words in (
        "Cash drawer",
        "Opening float",
        "Cash sales",
        "Expected in the drawer",
        "Sales by tender",
        "Bank deposit and next float",
        "Cashier",  # the signature line, printed
    ):
        assert words in page, words


def test_the_printed_x_report_has_its_heading_once(cal, open_shift):
    page = cal.get(reverse("sessions_app:x_report", args=[open_shift.id])).content.decode()
    printed = printed_text(page)
    assert printed.startswith("Alpha Street")  # the print header: the outlet first
    assert printed.count("X report") == 1
    assert f"X report · {open_shift.session_number}" in printed


def test_a_reason_that_does_not_fit_the_kind_of_movement_is_refused(cal, open_shift, simulator):
    data = _movement_form(cal, open_shift) | {
        "kind": "pay_in",
        "amount": "20.00",
        "reason": "Safe drop",
        "note": "Bag 7",
    }
    url = reverse("sessions_app:cash_movement_new", args=[open_shift.id])
    page = cal.post(url, data).content.decode()
    assert "“Safe drop” is not a reason for a pay-in" in page
    assert "choose one of: Change for the till, Float top-up, Other." in page
    assert 'value="20.00"' in page and "Bag 7" in page
    assert re.search(r'value="pay_in"[^>]*checked', page)
    assert not SessionRecord.objects.get(id=open_shift.id).report  # nothing written


def test_each_reason_names_the_kinds_it_is_for(cal, open_shift, settings):
    settings.CASH_PAY_OUT_REASONS = ["Supplies", "Correction", "Other"]
    settings.CASH_PAY_IN_REASONS = ["Correction", "Other"]
    settings.CASH_DROP_REASONS = ["Evening drop", "Other"]
    settings.CASH_MOVEMENT_REASONS = ["Till error", "Other"]  # for every kind
    page = cal.get(reverse("sessions_app:cash_movement_new", args=[open_shift.id]))
    assert re.search(r'<select name="reason"[^>]* required', page.content.decode())
    options = dict(
        re.findall(r'<option value="([^"]+)" data-kinds="([^"]+)"', page.content.decode())
    )
    assert options == {
        "Supplies": "pay_out",
        "Correction": "pay_out pay_in",
        "Other": "pay_out pay_in drop",
        "Evening drop": "drop",
        "Till error": "pay_out pay_in drop",
    }


def test_the_default_reasons_are_shown_in_the_pages_language(cal, open_shift):
    data = _movement_form(cal, open_shift) | {
        "kind": "pay_out",
        "amount": "12.50",
        "reason": "Tips paid out",
        "note": "",
    }
    url = reverse("sessions_app:cash_movement_new", args=[open_shift.id])
    assert cal.post(url, data).status_code == 302
    form = cal.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'value="Supplies" data-kinds="pay_out">Verbrauchsmaterial</option>' in form
    x_report = cal.get(
        reverse("sessions_app:x_report", args=[open_shift.id]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Ausgezahltes Trinkgeld" in x_report and "Tips paid out" not in x_report


@pytest.mark.parametrize(
    ("language", "named"),
    [
        ("en", "Needed for “Other”."),
        ("de", "Erforderlich beim Grund „Sonstiges“."),
        ("fr", "Obligatoire pour le motif « Autre »."),
        ("es", "Obligatorio si el motivo es «Otro»."),
    ],
)
def test_the_note_names_the_reason_that_needs_it_as_the_reason_list_does(
    cal, open_shift, language, named
):
    url = reverse("sessions_app:cash_movement_new", args=[open_shift.id])
    page = cal.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert named in page


def test_the_note_names_no_reason_that_is_not_offered(cal, open_shift, settings):
    settings.CASH_PAY_OUT_REASONS = ["Supplies"]
    settings.CASH_PAY_IN_REASONS = ["Change for the till"]
    settings.CASH_DROP_REASONS = ["Safe drop"]
    settings.CASH_MOVEMENT_REASONS = []
    url = reverse("sessions_app:cash_movement_new", args=[open_shift.id])
    page = cal.get(url).content.decode()
    assert "What it was for: the supplier, a receipt number." in page
    assert "Needed for" not in page


def test_reasons_set_with_spaces_twice_or_not_at_all_are_offered_once(cal, open_shift, settings):
    settings.CASH_PAY_OUT_REASONS = ["Supplies", " Supplies", "Other "]
    settings.CASH_PAY_IN_REASONS = []
    settings.CASH_MOVEMENT_REASONS = []
    page = cal.get(reverse("sessions_app:cash_movement_new", args=[open_shift.id]))
    options = re.findall(r'<option value="([^"]+)" data-kinds="([^"]+)"', page.content.decode())
    assert options == [
        ("Supplies", "pay_out"),
        ("Safe drop", "drop"),
        ("Bank deposit", "drop"),
        ("Other", "pay_out pay_in drop"),
    ]

    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "CASH_PAY_IN_REASONS is empty" in out.getvalue()


def test_cash_moved_is_in_whole_coins_where_cash_is_rounded(cal, open_shift, manager):
    outlet_settings_update(
        outlet=Outlet.objects.get(id=open_shift.outlet_id),
        changes={"cash_rounding": Decimal("0.05"), "denominations": SWISS_LIKE_COINS},
        updated_by_user=manager,
    )
    data = _movement_form(cal, open_shift) | {
        "kind": "pay_out",
        "amount": "12.52",
        "reason": "Supplies",
        "note": "",
    }
    page = cal.post(reverse("sessions_app:cash_movement_new", args=[open_shift.id]), data)
    assert "12.50 or 12.55?" in page.content.decode()
