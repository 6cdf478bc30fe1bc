"""Shift history: filters in the URL, totals, pagination, scoping, constant query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import (
    OUTLET_B,
    PASSWORD,
    STATION_A2,
    STATION_B1,
    make_shifts,
)

pytestmark = pytest.mark.django_db
URL = reverse("sessions_app:shift_history")


def test_it_lists_filters_and_totals(mia):
    make_shifts(3, variance="-2.50")
    make_shifts(2, station=STATION_A2, variance="4.00", opened_by="Dee", start=10)
    page = mia.get(URL, {"result": "short"}).content.decode()
    assert "3 shifts" in page and "Totals for 3 shifts" in page and "−$7.50" in page
    page = mia.get(URL, {"cashier": "dee", "sort": "-variance"}).content.decode()
    assert "2 shifts" in page and "+$8.00" in page
    page = mia.get(URL, {"min_variance": "3"}).content.decode()
    assert "2 shifts" in page


def test_date_filters_use_the_business_day(mia):
    make_shifts(10)
    today = timezone.localdate()
    page = mia.get(
        URL, {"date_from": (today - timedelta(days=2)).isoformat(), "date_to": today.isoformat()}
    ).content.decode()
    assert "3 shifts" in page


def test_bad_filters_are_explained_not_crashed(mia):
    make_shifts(2)
    response = mia.get(URL, {"date_from": "2026-02-30", "min_variance": "NaN", "sort": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid date" in page and "like 125.50" in page
    # The list still shows, and says it is not filtered by what needs fixing.
    assert "2 shifts" in page and "not filtered by the fields marked above" in page
    assert "not filtered by" not in mia.get(URL, {"date_from": "2026-02-01"}).content.decode()


def test_an_empty_result_says_so(mia):
    assert "No shifts match these filters." in mia.get(URL, {"result": "over"}).content.decode()


def test_a_manager_sees_nothing_of_other_outlets(mia):
    make_shifts(2, outlet=OUTLET_B, station=STATION_B1)
    page = mia.get(URL).content.decode()
    assert "0 shifts" in page
    page = mia.get(URL, {"outlet": OUTLET_B}).content.decode()
    assert "Select a valid choice" in page and "0 shifts" in page


def test_cashiers_cannot_see_history(client, cashier, tills):
    client.login(username="cal", password=PASSWORD)
    assert client.get(URL).status_code == 403


def test_pages_of_fifty(mia):
    make_shifts(120)
    page = mia.get(URL, {"page": 3, "result": "short"}).content.decode()
    assert "Page 3 of 3" in page and "?result=short&page=2" in page


def test_the_query_count_does_not_grow_with_the_rows(mia):
    make_shifts(5)
    with CaptureQueriesContext(connection) as few:
        mia.get(URL)
    make_shifts(200, start=100)
    with CaptureQueriesContext(connection) as many:
        mia.get(URL)
    assert len(many) == len(few)
    over_shifts = [q["sql"] for q in many.captured_queries if "sessionrecord" in q["sql"].lower()]
    assert not [sql for sql in over_shifts if "COUNT(" in sql or "SUM(" in sql], (
        "unfiltered, the totals and the paginator's count come from the per-day totals"
    )


def test_a_narrower_filter_counts_its_shifts_once(mia):
    make_shifts(5)
    make_shifts(200, start=100, station=STATION_A2)
    with CaptureQueriesContext(connection) as queries:
        response = mia.get(URL, {"station": STATION_A2})
    assert response.context["shifts"] == 200
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counting) == 1, "the totals' count doubles as the paginator's"


def test_the_board_query_count_does_not_grow_with_the_rows(mia):
    make_shifts(5)
    with CaptureQueriesContext(connection) as few:
        mia.get("/")
    make_shifts(300, start=100)
    with CaptureQueriesContext(connection) as many:
        mia.get("/")
    assert len(many) == len(few)


def test_a_range_that_ends_before_it_starts_filters_by_neither_date(mia):
    make_shifts(10)
    today = timezone.localdate()
    response = mia.get(
        URL, {"date_from": today.isoformat(), "date_to": (today - timedelta(days=5)).isoformat()}
    )
    page = response.content.decode()
    assert "The end date is before the start date" in page
    assert "The start date is after the end date" in page  # both marked: neither applies
    assert "not filtered by the fields marked above" in page
    assert response.context["page"].paginator.count == 10


def test_deleted_shifts_can_be_found_with_their_own_filter(mia):
    from sessions_app.models import SessionRecord
    from sessions_app.services.daily_totals import daily_totals_rebuild

    make_shifts(3)
    SessionRecord.objects.filter(session_number="S-2026-0002").update(deleted_at=timezone.now())
    daily_totals_rebuild()  # a write outside the services recounts, as bulk loads do
    assert mia.get(URL).context["page"].paginator.count == 2
    deleted = mia.get(URL, {"state": "deleted"})
    assert [row.session_number for row in deleted.context["rows"]] == ["S-2026-0002"]
    assert "Deleted" in deleted.content.decode()


def test_deep_pages_stop_at_a_cap_that_the_page_explains(mia, monkeypatch):
    from sessions_app.views import history

    monkeypatch.setattr(history, "MAX_PAGES", 2)
    make_shifts(130)
    response = mia.get(URL, {"page": 3})
    page = response.context["page"]
    assert page.number == 2 and page.paginator.num_pages == 2
    assert response.context["shifts"] == 130
    text = " ".join(response.content.decode().split())
    assert "130 shifts" in text
    assert "The pages show the first 100 shifts of this list." in text
    assert "export the CSV, which has every one" in text


@pytest.mark.parametrize("value", ["", "b2", None, ["b2"]])
def test_the_quick_dropdown_writes_what_djangos_own_would(value):
    import re

    from django import forms

    from sessions_app.forms.fields import QuickSelect

    choices = [("", "All tills"), ("a1", "Till 1 · Main St"), ("b2", 'Bar <&> "till"')]
    attrs = {"id": "id_station", "aria-describedby": "id_station_helptext"}
    quick = QuickSelect(choices=choices).render("station", value, attrs)
    django = forms.Select(choices=choices).render("station", value, attrs)

    def tidy(html: str) -> str:
        return re.sub(r">\s+<", "><", html.strip())

    assert tidy(quick) == tidy(django)


def test_dates_at_the_end_of_the_calendar_are_a_filter_not_an_error(mia):
    make_shifts(3)
    response = mia.get(URL, {"date_from": "9999-12-01", "date_to": "9999-12-31"})
    assert response.status_code == 200 and response.context["shifts"] == 0
    assert mia.get(URL, {"date_to": "9999-12-31"}).context["shifts"] == 3


@pytest.mark.parametrize("by_day", [True, False], ids=["per-day totals", "shift rows"])
def test_each_currency_has_its_own_totals_row(client, superuser, tills, by_day):
    from decimal import Decimal

    from sessions_app.models import SessionRecord
    from sessions_app.services.daily_totals import daily_totals_rebuild
    from tests.conftest import OUTLET_B, STATION_B1, make_shifts

    make_shifts(2, variance="-1.00")
    make_shifts(3, outlet=OUTLET_B, station=STATION_B1, variance="0.125", start=20)
    SessionRecord.objects.filter(outlet_id=OUTLET_B).update(currency="KWD")
    daily_totals_rebuild()
    client.force_login(superuser)
    query = {} if by_day else {"state": "closed"}
    response = client.get(URL, query)
    totals = {row.currency: row for row in response.context["totals"]}
    assert set(totals) == {"USD", "KWD"} and response.context["shifts"] == 5
    assert totals["USD"].cash_variance == Decimal("-2.00")
    assert totals["KWD"].cash_variance == Decimal("0.375")  # three decimals, exactly
    page = response.content.decode()
    assert "Totals for 3 shifts in KWD" in page and "KWD\u00a00.375" in page


def test_a_shift_with_two_versions_is_marked_in_the_list(mia):
    """Its figures are Final POS's until a manager chooses: the row says there is a choice."""
    from sessions_app.models import SessionRecord

    make_shifts(2)
    SessionRecord.objects.filter(session_number="S-2026-0002").update(in_conflict=True)
    page = mia.get(URL).content.decode()
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[1:]}
    assert "Two versions" in rows["S-2026-0002"]
    assert "Two versions" not in rows["S-2026-0001"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "amounts with a decimal point (1234.50)"),
        ("de", "Beträge mit Dezimalpunkt (1234.50)"),
    ],
)
def test_the_page_says_the_csv_is_one_format_in_every_language(mia, language, words):
    """A German manager's spreadsheet reads "1.234" as a thousand: the page says what the CSV
    holds, in the manager's language, so it is imported with the point as decimal sign."""
    make_shifts(1)
    page = mia.get(URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in page
