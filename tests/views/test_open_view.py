"""Opening a shift from the dashboard."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions_app.models import Outlet, SessionRecord
from sessions_app.services.outlet_settings import outlet_settings_update
from tests.conftest import OUTLET_A, PASSWORD, add_faults

pytestmark = pytest.mark.django_db
# Coins down to 0.05 only, as where cash is rounded to 0.05 (no smaller coin to count).
SWISS_LIKE_COINS = "100,50,20,10,5,2,1,0.50,0.20,0.10,0.05"
URL = reverse("sessions_app:shift_open")


@pytest.fixture
def signed_in(client, cashier, tills):
    client.login(username="cal", password=PASSWORD)
    return client


def test_it_offers_only_free_tills_of_the_users_outlets(signed_in, tills):
    page = signed_in.get(URL).content.decode()
    assert tills["a1"].id in page and tills["a2"].id in page and tills["b1"].id not in page


def test_it_opens_a_shift_and_returns_to_the_board(signed_in, tills, simulator):
    response = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": "150"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("sessions_app:board")
    assert "is open on Till 1" in response.content.decode()
    record = SessionRecord.objects.get()
    assert simulator.simulator.store.get("session", record.id)["openingAmount"] == "150.00"


def test_it_takes_the_float_from_the_denomination_count(signed_in, tills):
    signed_in.post(URL, {"station": tills["a1"].id, "count_50": "2", "count_0_25": "4"})
    record = SessionRecord.objects.get()  # the index keeps three decimals (any currency)
    assert record.opening_amount == Decimal("101.00") and record.currency == "USD"


@pytest.mark.parametrize(
    ("language", "note", "coin"),
    [("en", "$100", "$0.25"), ("de", "100\xa0$", "0,25\xa0$"), ("fr", "100\xa0$US", "0,25\xa0$US")],
)
def test_the_notes_and_coins_are_labelled_as_the_pages_money_reads(signed_in, language, note, coin):
    page = signed_in.get(URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    labels = re.findall(r'<label for="id_count_[^"]*">.*?</span>(.*?)</label>', page)
    assert labels[0] == note and coin in labels


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.50", "Hier trennt „.“ die Tausender und „,“ die Nachkommastellen"),
        ("150,00 €", "„€“ ist eine andere Währung: Geben Sie den Betrag in USD ein, etwa 125,50."),
    ],
)
def test_an_ambiguous_or_foreign_float_is_refused_in_german(signed_in, tills, typed, message):
    page = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": typed}, HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert message in page and f'value="{typed}"' in page
    assert not SessionRecord.objects.exists()


def test_a_total_that_disagrees_with_the_count_is_refused(signed_in, tills):
    page = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": "90", "count_50": "2"}
    ).content.decode()
    assert "does not match the notes and coins counted (100.00)" in page
    assert not SessionRecord.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-10", "cannot be negative"),
        ("10.005", "two decimals"),
        ("NaN", "like 125.50"),
        ("1e3", "like 125.50"),
        ("2000000000", "too large"),
        ("", "Enter the cash total"),
    ],
)
def test_bad_amounts_get_field_errors_and_keep_the_values(signed_in, tills, amount, message):
    response = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": amount, "opening_note": "Hi <b>"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "Hi &lt;b&gt;" in page and 'aria-invalid="true"' in page
    assert not SessionRecord.objects.exists()


def test_a_note_over_1000_characters_is_refused(signed_in, tills):
    page = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": "1", "opening_note": "x" * 1001}
    ).content.decode()
    assert "at most 1000 characters" in page


def test_a_till_of_another_outlet_cannot_be_opened(signed_in, tills):
    response = signed_in.post(URL, {"station": tills["b1"].id, "opening_amount": "1"})
    assert "Select a valid choice" in response.content.decode()
    assert not SessionRecord.objects.exists()


def test_when_final_pos_refuses_the_form_comes_back_with_a_message(signed_in, tills, simulator):
    add_faults(
        simulator,
        {"action": "status", "status": 400, "method": "POST", "messages": ["openingNote bad"]},
    )
    page = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": "123.45", "opening_note": "Safe"}
    ).content.decode()
    assert "Nothing was saved: Final POS" in page and "openingNote bad" in page
    assert 'value="123.45"' in page and "Safe</textarea>" in page
    assert not SessionRecord.objects.exists()


def test_when_the_answer_is_lost_the_till_is_held_and_the_page_says_so(signed_in, tills, simulator):
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST"})
    page = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": "123.45", "opening_note": "Safe"}
    ).content.decode()
    assert (
        "is not confirmed." in page
        and page.count("answer was lost") == 1
        and "Nothing was saved" not in page
    )
    assert 'value="123.45"' in page and "Safe</textarea>" in page
    # A cashier can look again; only a manager who looked at the till can open it again.
    assert "Check again" in page and "It was not created: open it again as" not in page


def test_a_till_someone_just_opened_says_who_not_a_raw_id(signed_in, tills, manager):
    from decimal import Decimal

    from sessions_app.services.shift_open import shift_open

    page = signed_in.get(URL).content.decode()  # the till is free when the form loads
    assert f'value="{tills["a1"].id}"' in page
    shift_open(till=tills["a1"], opened_by_user=manager, opening_amount=Decimal(100))
    page = signed_in.post(URL, {"station": tills["a1"].id, "opening_amount": "150"}).content
    page = page.decode()
    assert "already has an open shift" in page and "Mia Manager" in page
    assert "is not one of the available choices" not in page
    assert 'value="150"' in page


def test_a_busy_till_is_listed_but_cannot_be_chosen(signed_in, tills, open_shift):
    page = signed_in.get(URL).content.decode()
    assert re.search(rf'value="{tills["a1"].id}"[^>]*disabled', page)
    assert "open (Cal Cashier)" in page


def test_a_link_to_a_till_opened_meanwhile_says_so_and_chooses_none(signed_in, tills, open_shift):
    """The board linked to a free till; the till (or someone) opened a shift on it since."""
    page = signed_in.get(URL, {"station": tills["a1"].id}).content.decode()
    assert (
        f"Till 1 already has an open shift: {open_shift.session_number}, opened by Cal Cashier."
        in page
    )
    assert not re.search(rf'value="{tills["a1"].id}"[^>]*selected', page)
    assert re.search(r'<option value="" selected>Choose a till</option>', page)


def test_the_float_starts_at_what_the_last_shift_left(signed_in, tills, closed_shift):
    # closed_shift counted 230.00 cash against a 200.00 target: 200.00 was left in the drawer.
    page = signed_in.get(URL, {"station": tills["a1"].id}).content.decode()
    assert re.search(r'name="opening_amount" value="200.00"', page)
    assert 'data-handover-float="200.00"' in page


def test_opening_with_a_different_float_is_flagged(signed_in, tills, closed_shift):
    response = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": "180"}, follow=True
    )
    page = response.content.decode()
    assert "left $200.00 in the drawer; this one opened with $180.00" in page
    opened = SessionRecord.objects.get(station_id=tills["a1"].id, close_time__isnull=True)
    detail = signed_in.get(reverse("sessions_app:shift_detail", args=[opened.id]))
    assert "Float handover" in detail.content.decode()


def test_a_count_error_opens_the_notes_and_coins_panel(signed_in, tills):
    page = signed_in.post(URL, {"station": tills["a1"].id, "count_20": "-1"}).content.decode()
    assert re.search(r"<details[^>]*data-cash-count[^>]*open", page)


def test_the_form_costs_the_same_queries_for_three_tills_or_thirty(signed_in, tills, closed_shift):
    """Each till's float from its last shift comes from one query, not one per till."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sessions_app.models import Station
    from tests.conftest import OUTLET_A

    signed_in.get(URL)
    with CaptureQueriesContext(connection) as few:
        page = signed_in.get(URL).content.decode()
    assert f'data-handover-float="{closed_shift.left_in_drawer}"' in page
    now = timezone.now()
    Station.objects.bulk_create(
        Station(id=f"{n:024x}", outlet_id=OUTLET_A, name=f"Till {n}", fetched_at=now)
        for n in range(10, 37)
    )
    with CaptureQueriesContext(connection) as many:
        signed_in.get(URL)
    assert len(many) == len(few) <= 15


def test_the_page_after_an_open_tells_the_browser_to_forget_the_draft_once(signed_in, tills):
    """The key rides with the "open" message in its cookie: the open writes no session."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        signed_in.post(URL, {"station": tills["a1"].id, "opening_amount": "150"})
    session_writes = [
        q["sql"]
        for q in queries.captured_queries
        if '"django_session"' in q["sql"] and not q["sql"].startswith("SELECT")
    ]
    assert session_writes == []
    board = signed_in.get(reverse("sessions_app:board")).content.decode()
    assert '<meta name="drafts-accepted" content="open">' in board
    assert "is open on Till 1" in board and 'message--info">open<' not in board
    again = signed_in.get(reverse("sessions_app:board")).content.decode()
    assert '<meta name="drafts-accepted" content="">' in again and "is open on" not in again


def test_pieces_that_are_not_whole_counts_get_one_error_each_and_no_total_error(signed_in, tills):
    page = signed_in.post(
        URL,
        {
            "station": tills["a1"].id,
            "opening_amount": "105.75",
            "count_20": "5",
            "count_1": "-2",
            "count_5": "1.5",
            "count_0_25": "3",
        },
    ).content.decode()
    assert page.count("Count whole pieces: 0, 1, 2 …") == 2
    assert "does not match the notes and coins" not in page  # the pieces are what is wrong
    assert "greater than or equal to" not in page
    assert 'value="-2"' in page and 'value="1.5"' in page and 'value="105.75"' in page
    assert not SessionRecord.objects.exists()


def test_where_cash_is_rounded_to_005_a_float_of_odd_cents_is_refused(signed_in, tills, manager):
    outlet_settings_update(
        outlet=Outlet.objects.get(id=OUTLET_A),
        changes={"cash_rounding": Decimal("0.05"), "denominations": SWISS_LIKE_COINS},
        updated_by_user=manager,
    )
    page = signed_in.post(
        URL, {"station": tills["a1"].id, "opening_amount": "100.03"}
    ).content.decode()
    assert "counted in steps of 0.05, the smallest coin: 100.00 or 100.05?" in page
    assert 'value="100.03"' in page and not SessionRecord.objects.exists()

    signed_in.post(URL, {"station": tills["a1"].id, "opening_amount": "100.05"})
    assert SessionRecord.objects.get().opening_amount == Decimal("100.05")


def test_where_smaller_coins_are_still_counted_cash_is_not_held_to_the_rounding(
    signed_in, tills, manager
):
    outlet_settings_update(  # a euro outlet rounding to 0.05 still counts 1 and 2 cent coins
        outlet=Outlet.objects.get(id=OUTLET_A),
        changes={"cash_rounding": Decimal("0.05")},
        updated_by_user=manager,
    )
    signed_in.post(URL, {"station": tills["a1"].id, "count_100": "1", "count_0_01": "3"})
    assert SessionRecord.objects.get().opening_amount == Decimal("100.03")
