"""Insights: differences per cashier and per till over a period, a chart, links into history."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Outlet, SessionRecord, Station
from tests.conftest import (
    OUTLET_A,
    OUTLET_B,
    PASSWORD,
    STATION_A1,
    STATION_A2,
    STATION_B1,
    make_shifts,
)

pytestmark = pytest.mark.django_db
URL = reverse("sessions_app:insights")


def test_it_sums_per_cashier_and_per_till(mia):
    make_shifts(3, variance="-8.00", opened_by="Cal Cashier")  # 3 shorts beyond $5
    make_shifts(2, station=STATION_A2, variance="2.50", opened_by="Dee Day", start=10)
    response = mia.get(URL)
    by_cashier = {row.label: row for row in response.context["insights"].by_cashier}
    cal, dee = by_cashier["Cal Cashier"], by_cashier["Dee Day"]
    assert (cal.shifts, str(cal.total), str(cal.average), cal.shorts_beyond_threshold) == (
        3,
        "-24.00",
        "-8.00",
        3,
    )
    assert (dee.shifts, str(dee.total), dee.shorts_beyond_threshold) == (2, "5.00", 0)
    assert response.context["insights"].by_cashier[0].label == "Cal Cashier"  # most short first
    by_till = {row.label: row for row in response.context["insights"].by_till}
    assert by_till["Till 1"].shifts == 3 and by_till["Till 2"].shifts == 2
    page = response.content.decode()
    assert "\u2212$24.00" in page and "+$5.00" in page


def test_other_tenders_off_counts_every_shift_off_on_card_whatever_cash_did(mia, settings):
    """Short in cash and on card, short on card alone, over in cash and short on card: each
    is off on another tender. Balanced on card is not, nor within the tolerance."""
    settings.VARIANCE_TOLERANCE = Decimal("0.02")
    make_shifts(2, variance="-8.00", card_variance="-5.00", opened_by="Cal Cashier")
    make_shifts(1, variance="0.00", card_variance="-5.00", opened_by="Cal Cashier", start=2)
    make_shifts(1, variance="3.00", card_variance="-2.50", opened_by="Cal Cashier", start=3)
    make_shifts(2, variance="-8.00", card_variance="0.00", opened_by="Cal Cashier", start=4)
    make_shifts(1, variance="-8.00", card_variance="0.01", opened_by="Cal Cashier", start=6)
    response = mia.get(URL)
    [cal] = response.context["insights"].by_cashier
    assert (cal.shifts, cal.other_tenders_off) == (7, 4)
    [till] = response.context["insights"].by_till
    assert till.other_tenders_off == 4


def test_shifts_indexed_before_the_column_are_counted_off_on_other_tenders(transactional_db):
    """0038 works out for the shifts already indexed what an index of today sets."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("sessions_app", "0037_refresh_missing_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    OldRecord = executor.loader.project_state(before).apps.get_model(
        "sessions_app", "SessionRecord"
    )
    for index, (variances, result) in enumerate(
        [
            ({"cash": "-8.00", "card": "-5.00"}, "short"),
            ({"cash": "-8.00", "card": "0.00"}, "short"),
            ({"cash": "2.00", "oliverPay": "-1.25"}, "mixed"),
            ({"cash": "0.00", "card": "0.00"}, "balanced"),
        ]
    ):
        OldRecord.objects.create(
            id=f"{index:024x}",
            session_number=f"S-2026-000{index}",
            station_id=STATION_A1,
            opened_by="Cal",
            open_time="2026-11-01T09:00:00Z",
            close_time="2026-11-01T17:00:00Z",
            business_date="2026-11-01",
            opening_amount="200.00",
            variances=variances,
            cash_variance=variances["cash"],
            result=result,
            fetched_at="2026-11-01T17:00:00Z",
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    off = SessionRecord.objects.order_by("id").values_list("other_tenders_off", flat=True)
    assert list(off) == [True, False, True, False]


def test_the_chart_marks_over_and_short_without_colour(mia):
    make_shifts(1, variance="-8.00")
    make_shifts(1, variance="3.00", start=5, station=STATION_A2)
    make_shifts(2, variance="4.00", start=20)  # today (net -1.00) and yesterday (+4.00)
    page = mia.get(URL).content.decode()
    assert 'role="img"' in page and "hatched" in page
    assert page.count('fill="url(#hatch-short)"') == 1  # today's bar, below the line
    assert "−$1.00 (short)" in page and "+$4.00 (over)" in page  # each bar's title
    assert "Show the figures as a table" in page


def test_the_chart_draws_in_every_language(mia):
    make_shifts(1, variance="-8.00")
    make_shifts(1, variance="3.50", start=5, station=STATION_A2)
    page = mia.get(URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    chart = page[page.index("<svg") : page.index("</svg>")]
    coordinates = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', chart)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates)
    assert "4,50\u00a0$" in chart  # the labels do follow the language
    ticks = re.findall(r'class="chart__tick">([^<]*)<', chart)
    days = [tick for tick in ticks if not tick.endswith("$")]
    assert days and all(re.fullmatch(r"\d{1,2}\. \w+\.?", day) for day in days), days  # 7. Dez.


def test_the_period_limits_what_is_counted(mia):
    make_shifts(10, variance="-1.00")
    today = timezone.localdate()
    response = mia.get(
        URL, {"date_from": (today - timedelta(days=2)).isoformat(), "date_to": today.isoformat()}
    )
    assert response.context["insights"].by_cashier[0].shifts == 3


def test_dates_to_fix_show_the_last_four_weeks_and_say_so(mia):
    make_shifts(40, variance="-1.00")  # one a day: 28 of them in the last four weeks
    today = timezone.localdate()
    reversed_range = {
        "date_from": today.isoformat(),
        "date_to": (today - timedelta(days=5)).isoformat(),
    }
    response = mia.get(URL, reversed_range)
    page = response.content.decode()
    assert "The end date is before the start date" in page
    assert "These are the last four weeks until the dates marked above are fixed." in page
    assert response.context["insights"].by_cashier[0].shifts == 28
    assert "until the dates marked above" not in mia.get(URL).content.decode()


def test_rows_link_to_a_history_with_the_same_shifts(mia):
    make_shifts(2, variance="-9.00")
    make_shifts(1, variance="-1.00", opened_by="Dana Opener", start=5)
    SessionRecord.objects.filter(opened_by="Dana Opener").update(closed_by="Cal Cashier")
    response = mia.get(URL)
    [row] = [row for row in response.context["insights"].by_cashier if row.key == "Cal Cashier"]
    page = response.content.decode()
    link = page.split("/sessions/?closed_by=Cal%20Cashier")[1].split('"')[0]
    assert "&amp;state=closed" in link
    history = mia.get("/sessions/?closed_by=Cal%20Cashier" + link.replace("&amp;", "&"))
    assert history.context["page"].paginator.count == row.shifts == 3


def test_other_outlets_are_not_counted(mia):
    make_shifts(4, outlet=OUTLET_B, station=STATION_B1, opened_by="Cora Cashier")
    response = mia.get(URL)
    assert response.context["insights"].by_cashier == []
    assert "No closed shifts in this period" in response.content.decode()
    assert "Cora" not in response.content.decode()


def test_the_query_count_does_not_grow_with_the_shifts(mia):
    make_shifts(3)
    with CaptureQueriesContext(connection) as few:
        mia.get(URL)
    make_shifts(60, station=STATION_A2, start=100, opened_by="Dee Day")
    with CaptureQueriesContext(connection) as many:
        mia.get(URL)
    assert len(many) == len(few)


def test_cashiers_cannot_see_insights(client, cashier, tills):
    client.login(username="cal", password=PASSWORD)
    assert client.get(URL).status_code == 403


def test_differences_in_two_currencies_are_never_added(client, superuser, tills):
    """Outlet B counts in francs: the insights count the company's dollars, say so, and link
    to the francs, which are counted alone."""
    from sessions_app.models import OutletSettings

    OutletSettings.objects.create(outlet_id=OUTLET_B, currency="CHF")
    make_shifts(2, variance="-8.00")
    make_shifts(3, outlet=OUTLET_B, station=STATION_B1, variance="-1.00", start=20)
    SessionRecord.objects.filter(outlet_id=OUTLET_B).update(currency="CHF")
    client.force_login(superuser)
    url = reverse("sessions_app:insights")
    page = client.get(url)
    [row] = page.context["insights"].by_cashier
    assert row.shifts == 2 and row.total == -16
    assert "differences in another currency are never added" in page.content.decode()
    francs = client.get(url, {"currency": "CHF"})
    [row] = francs.context["insights"].by_cashier
    assert row.shifts == 3 and row.total == -3
    assert "CHF\u00a0" in francs.content.decode()


def test_across_outlets_each_till_is_named_with_its_outlet(client, superuser, tills):
    """Two outlets' tills in one table: each says whose it is; one outlet's needs no more."""
    make_shifts(1, variance="-8.00")  # at Till 1 of outlet A
    make_shifts(1, outlet=OUTLET_B, station=STATION_B1, variance="-1.00", start=20)
    client.force_login(superuser)
    outlets = dict(Outlet.objects.values_list("id", "name"))
    tills_named = dict(Station.objects.values_list("id", "name"))
    labels = {row.label for row in client.get(URL).context["insights"].by_till}
    assert labels == {
        f"{tills_named[STATION_A1]} · {outlets[OUTLET_A]}",
        f"{tills_named[STATION_B1]} · {outlets[OUTLET_B]}",
    }
    one = client.get(URL, {"outlet": OUTLET_B}).context["insights"].by_till
    assert [row.label for row in one] == [tills_named[STATION_B1]]
