"""The outlet's rules page: a manager sets the outlet's own rules, and every page follows."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import OutletSettings
from tests.conftest import OUTLET_A, OUTLET_B, PASSWORD, STATION_A1, till_session

pytestmark = pytest.mark.django_db


def _url(outlet_id: str) -> str:
    return reverse("sessions_app:outlet_settings", args=[outlet_id])


def test_the_page_shows_the_sites_defaults_for_blank_rules(mia, settings):
    page = mia.get(_url(OUTLET_A)).content.decode()
    assert "Rules of Alpha Street" in page
    assert "the site&#x27;s default, $5.00" in page  # the reason threshold
    assert settings.TIME_ZONE in page


def test_a_yen_outlets_page_reads_its_amounts_and_the_sites_defaults_in_yen(mia):
    data = {"time_zone": "Asia/Tokyo", "currency": "JPY", "target_float": "500.5"}
    page = mia.post(_url(OUTLET_A), data).content.decode()  # the currency changes here
    assert "500.5" in page and not OutletSettings.objects.exists()
    assert "JPY amounts have no decimals: type whole amounts." in page
    assert "the site&#x27;s default, ¥750" in page and "$5.00" not in page

    mia.post(_url(OUTLET_A), {**data, "target_float": "30000"})
    page = mia.get(_url(OUTLET_A)).content.decode()
    assert "the site&#x27;s default, ¥750" in page  # 5.00 USD, as big against a usual float

    back = {**data, "currency": "", "target_float": "200.50"}  # to the company's currency
    assert mia.post(_url(OUTLET_A), back).status_code == 302
    assert OutletSettings.objects.get(outlet_id=OUTLET_A).target_float == Decimal("200.50")


def test_a_manager_saves_the_outlets_rules(mia):
    response = mia.post(
        _url(OUTLET_A),
        {
            "time_zone": "America/Chicago",
            "variance_reason_threshold": "2.50",
            "variance_approval_threshold": "",
            "target_float": "150",
            "blind_count": "no",
            "movement_approval_limit": "",
        },
    )
    assert response.status_code == 302
    row = OutletSettings.objects.get(outlet_id=OUTLET_A)
    # Amounts are kept with three decimals since the money migration (any currency, exactly).
    assert (row.time_zone, row.variance_reason_threshold, row.blind_count) == (
        "America/Chicago",
        Decimal("2.50"),
        False,
    )
    assert row.variance_approval_threshold is None and row.target_float == Decimal("150.00")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice"),
        ("target_float", "-5", "cannot be negative"),
        ("variance_reason_threshold", "lots", "amount"),
        ("blind_count", "maybe", "Select a valid choice"),
    ],
)
def test_bad_rules_are_refused_and_every_value_comes_back(mia, field, value, message):
    data = {"time_zone": "America/Chicago", "target_float": "150.00", field: value}
    response = mia.post(_url(OUTLET_A), data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "150.00" in page or field == "target_float"
    assert not OutletSettings.objects.exists()


def test_another_outlets_rules_are_not_this_managers(mia):
    assert mia.get(_url(OUTLET_B)).status_code == 404
    assert mia.post(_url(OUTLET_B), {"target_float": "1"}).status_code == 404
    assert not OutletSettings.objects.exists()


def test_a_cashier_cannot_set_rules(client, cashier, tills):
    client.login(username="cal", password=PASSWORD)
    assert client.get(_url(OUTLET_A)).status_code == 403


def test_the_outlets_blind_count_rule_decides_what_a_cashier_sees(client, cashier, open_shift):
    OutletSettings.objects.create(outlet_id=OUTLET_A, blind_count=False)
    client.login(username="cal", password=PASSWORD)
    page = client.get(reverse("sessions_app:shift_close", args=[open_shift.id])).content
    assert b"Expected: $240.00" in page

    OutletSettings.objects.filter(outlet_id=OUTLET_A).update(blind_count=True)
    page = client.get(reverse("sessions_app:shift_close", args=[open_shift.id])).content
    assert b"Blind count" in page and b"Expected: $240.00" not in page


def test_a_shifts_page_reads_in_the_outlets_time(mia, simulator):
    from sessions_app.services.index import shift_fetch

    OutletSettings.objects.create(outlet_id=OUTLET_A, time_zone="Asia/Tokyo")
    shift = till_session(simulator, STATION_A1, "S-2026-0001", openTime="2026-11-23T06:00:00Z")
    shift_fetch(session_id=shift["id"])

    page = mia.get(reverse("sessions_app:shift_detail", args=[shift["id"]])).content.decode()
    assert "Times in the outlet's time zone, Asia/Tokyo" in page
    assert 'datetime="2026-11-23T15:00:00+09:00"' in page  # 06:00 UTC on a Tokyo clock
    board = mia.get(reverse("sessions_app:board")).content.decode()
    assert "+09:00" not in board  # the rest of the site stays in the site's time


@pytest.mark.parametrize(
    ("reason", "approval"),
    [("10.00", "8.00"), ("", "4.00"), ("30.00", "")],  # blank: the site's 5.00 and 20.00
    ids=["both-set", "approval-below-the-sites-reason", "reason-above-the-sites-approval"],
)
def test_rules_that_contradict_each_other_are_refused(mia, reason, approval):
    response = mia.post(
        _url(OUTLET_A),
        _rules_form(variance_reason_threshold=reason, variance_approval_threshold=approval),
    )
    assert response.status_code == 200
    assert "below the difference that needs a reason" in response.content.decode()
    assert not OutletSettings.objects.filter(outlet_id=OUTLET_A).exists()


def _rules_form(**changes):
    return {
        "time_zone": "",
        "currency": "",
        "cash_rounding": "",
        "cash_rounding_mode": "",
        "cash_rounding_applies_to": "",
        "denominations": "",
        "variance_reason_threshold": "",
        "variance_approval_threshold": "",
        "target_float": "",
        "blind_count": "",
        "movement_approval_limit": "",
    } | changes


def test_a_swiss_outlet_rounds_cash_and_counts_its_own_coins(mia):
    response = mia.post(
        _url(OUTLET_A),
        _rules_form(
            currency="CHF",
            cash_rounding="0.05",
            cash_rounding_mode="half_up",
            denominations="200, 100, 50, 20, 10, 5, 2, 1, 0.50, 0.20, 0.10, 0.05",
        ),
    )
    assert response.status_code == 302
    row = OutletSettings.objects.get(outlet_id=OUTLET_A)
    assert (row.currency, row.cash_rounding, row.cash_rounding_mode) == (
        "CHF",
        Decimal("0.05"),
        "half_up",
    )
    assert row.denominations.startswith("200,100,50") and row.denominations.endswith("0.05")


@pytest.mark.parametrize("step", ["0.03", "0.30", "7"])
def test_a_rounding_step_no_coin_has_is_refused_with_the_other_errors(mia, step):
    page = mia.post(
        _url(OUTLET_A), _rules_form(cash_rounding=step, denominations="20, ten, 5")
    ).content.decode()
    assert "Round to a coin" in page and "Type the notes and coins as amounts" in page
    assert not OutletSettings.objects.filter(outlet_id=OUTLET_A).exists()


def test_the_currency_of_an_outlet_with_shifts_is_refused_on_the_page(mia, closed_shift):
    page = mia.post(_url(OUTLET_A), _rules_form(currency="EUR")).content.decode()
    assert "1 shift in USD: its currency cannot change" in page
    assert not OutletSettings.objects.filter(outlet_id=OUTLET_A, currency="EUR").exists()


def test_notes_and_coins_that_are_not_amounts_are_refused(mia):
    page = mia.post(_url(OUTLET_A), _rules_form(denominations="20, ten, 5")).content.decode()
    assert "Type the notes and coins as amounts" in page


def _currencies_offered(page: str) -> set[str]:
    select = re.search(r'<select name="currency".*?</select>', page, re.S)
    assert select is not None
    return set(re.findall(r'<option value="([A-Z]{3})"', select[0]))


def test_only_currencies_in_use_today_are_offered(mia):
    offered = _currencies_offered(mia.get(_url(OUTLET_A)).content.decode())
    assert {"USD", "EUR", "JPY", "KWD", "CHF"} <= offered
    assert not {"ADP", "DEM", "FRF", "ESP"} & offered  # withdrawn for the euro long ago
    assert "HRK" not in offered  # withdrawn for the euro in 2023
    assert not {"XDR", "CHE", "USN"} & offered  # accounting and funds codes: no drawer holds them


def test_a_withdrawn_currency_is_refused(mia):
    page = mia.post(_url(OUTLET_A), _rules_form(currency="DEM")).content.decode()
    assert "Select a valid choice" in page
    assert not OutletSettings.objects.filter(outlet_id=OUTLET_A, currency="DEM").exists()


def test_an_outlet_keeps_the_currency_it_is_set_to_after_its_withdrawal(mia):
    """Croatia's kuna gave way to the euro in 2023: an outlet set to it still shows it, and
    saves its other rules with it."""
    OutletSettings.objects.create(outlet_id=OUTLET_A, currency="HRK")
    assert "HRK" in _currencies_offered(mia.get(_url(OUTLET_A)).content.decode())
    response = mia.post(_url(OUTLET_A), _rules_form(currency="HRK", target_float="150"))
    assert response.status_code == 302
    row = OutletSettings.objects.get(outlet_id=OUTLET_A)
    assert (row.currency, row.target_float) == ("HRK", Decimal("150.000"))
