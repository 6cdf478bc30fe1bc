"""The board: each till of the user's outlets, open or not, and recent closes."""

import pytest
from django.urls import reverse

from sessions_app.models import SessionRecord
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


def test_it_shows_open_shifts_with_who_since_when_and_the_float(client, cashier, open_shift):
    client.login(username="cal", password=PASSWORD)
    page = client.get(reverse("sessions_app:board")).content.decode()
    assert "Till 1" in page and "Till 2" in page and "by Cal Cashier" in page
    assert "Float $200.00" in page
    assert reverse("sessions_app:shift_close", args=[open_shift.id]) in page
    assert "Till last reported:" in page


def test_it_shows_only_the_users_outlets(client, cashier_b, open_shift):
    client.login(username="cora", password=PASSWORD)
    page = client.get(reverse("sessions_app:board")).content.decode()
    assert "Beta till" in page and "Till 1" not in page and open_shift.id not in page


def test_managers_see_how_many_shifts_need_review(client, manager, open_shift):
    open_shift.review_state = "needs_review"
    open_shift.save()
    client.login(username="mia", password=PASSWORD)
    assert "1 closed shift needs your review" in client.get("/").content.decode()


def test_the_board_never_calls_final_pos(client, cashier, open_shift, simulator):
    client.login(username="cal", password=PASSWORD)
    simulator.simulator.reset_log()
    assert client.get("/").status_code == 200
    assert not simulator.simulator.requests


CARD = "board/partials/outlet_card.html"


def _card_renders(response) -> int:
    return sum(1 for template in response.templates if template.name == CARD)


def test_an_unchanged_outlet_card_comes_from_the_cache(client, cashier, open_shift):
    client.login(username="cal", password=PASSWORD)
    first = client.get(reverse("sessions_app:board"))
    second = client.get(reverse("sessions_app:board"))
    assert _card_renders(first) >= 1
    assert _card_renders(second) == 0
    assert _cards(second) == _cards(first)


def _cards(response) -> str:
    page = response.content.decode()
    start = page.index('<section class="card" aria-labelledby="outlet-')
    return page[start : page.index("</main>", start)]


def test_a_card_is_never_stale_whoever_changed_the_till(client, cashier, open_shift, simulator):
    """Within the same minute: a float changed on the till and read by a refresh, then a
    till renamed, both show at once, with nothing told to forget the cached card."""
    from sessions_app.models import Station
    from sessions_app.services.index import shift_refresh

    client.login(username="cal", password=PASSWORD)
    assert "Float $200.00" in client.get("/").content.decode()

    stored = simulator.simulator.store.get("session", open_shift.id)
    simulator.simulator.store.delete("session", open_shift.id)
    simulator.simulator.store.insert("session", stored | {"openingAmount": "250.00"})
    shift_refresh(open_shift)
    page = client.get("/").content.decode()
    assert "Float $250.00" in page and "Float $200.00" not in page

    Station.objects.filter(id=open_shift.station_id).update(name="Front till")
    assert "Front till" in client.get("/").content.decode()


def test_a_kept_card_says_how_long_ago_as_of_each_request(client, cashier, open_shift, monkeypatch):
    """The card is kept for as long as its data is unchanged; the ages are written in as of
    the request that shows it."""
    from datetime import timedelta

    from django.utils import timezone

    client.login(username="cal", password=PASSWORD)
    first = client.get(reverse("sessions_app:board"))
    assert "just now" in first.content.decode()  # never "0 minutes ago"
    later = timezone.now() + timedelta(hours=2, minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    second = client.get(reverse("sessions_app:board"))
    assert _card_renders(second) == 0
    assert "2\xa0hours ago" in second.content.decode()


def test_an_owner_of_many_outlets_pages_through_them_or_picks_one(client, superuser):
    from django.utils import timezone

    from sessions_app.models import Outlet, Station
    from sessions_app.selectors.board import OUTLETS_PER_PAGE

    now = timezone.now()
    for index in range(OUTLETS_PER_PAGE + 3):
        Outlet.objects.create(id=f"{index:024x}", name=f"Store {index:02d}", fetched_at=now)
        Station.objects.create(
            id=f"{index + 100:024x}", outlet_id=f"{index:024x}", name="Till 1", fetched_at=now
        )
    client.login(username="root", password=PASSWORD)
    first = client.get(reverse("sessions_app:board")).content.decode()
    assert "Store 00 <span" in first and f"Store {OUTLETS_PER_PAGE - 1:02d} <span" in first
    assert f"Store {OUTLETS_PER_PAGE:02d} <span" not in first and "Page 1 of 2" in first
    assert f">Store {OUTLETS_PER_PAGE + 2:02d}</option>" in first  # every outlet to pick from
    second = client.get(reverse("sessions_app:board"), {"page": 2}).content.decode()
    assert f"Store {OUTLETS_PER_PAGE + 2:02d} <span" in second and "Store 00 <span" not in second
    alone = client.get(reverse("sessions_app:board"), {"outlet": f"{12:024x}"}).content.decode()
    assert alone.count('class="card" aria-labelledby="outlet-') == 1 and "Store 12" in alone
    assert "Page 1 of" not in alone


def test_one_outlet_chosen_shows_that_outlets_closes_differences_and_reviews(
    client, superuser, tills
):
    make_shifts(2, outlet=OUTLET_A, station=STATION_A1, variance="-3.00")
    make_shifts(2, outlet=OUTLET_B, station=STATION_B1, variance="-90.00")
    SessionRecord.objects.filter(outlet_id=OUTLET_B).update(review_state="needs_review")
    client.login(username="root", password=PASSWORD)

    everywhere = client.get(reverse("sessions_app:board")).content.decode()
    assert "2 closed shifts need your review" in everywhere and "−$90.00" in everywhere

    alone = client.get(reverse("sessions_app:board"), {"outlet": OUTLET_A}).content.decode()
    assert "need your review" not in alone and "needs your review" not in alone
    assert "−$90.00" not in alone and "Beta till" not in alone  # not in its closes or differences
    assert "−$3.00" in alone

    beta = client.get(reverse("sessions_app:board"), {"outlet": OUTLET_B}).content.decode()
    link = f"{reverse('sessions_app:review_queue')}?outlet={OUTLET_B}"
    assert "2 closed shifts need your review" in beta and link in beta
    queue = client.get(link).content.decode()
    assert "Review · Beta Mall" in queue and "2 shifts wait for you" in queue


def test_checking_final_pos_keeps_the_outlet_and_page_shown(client, superuser, tills):
    client.login(username="root", password=PASSWORD)
    board = f"{reverse('sessions_app:board')}?outlet={OUTLET_B}&page=1"
    page = client.get(board).content.decode()
    assert f'name="next" value="{board.replace("&", "&amp;")}"' in page

    response = client.post(reverse("sessions_app:board_refresh"), {"next": board}, follow=True)
    assert response.redirect_chain[0][0] == board
    shown = response.content.decode()
    assert "Checked Final POS" in shown and "Beta till" in shown and "Till 1" not in shown


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_checking_final_pos_never_sends_anyone_to_another_site(client, superuser, tills, elsewhere):
    client.login(username="root", password=PASSWORD)
    response = client.post(reverse("sessions_app:board_refresh"), {"next": elsewhere})
    assert response["Location"] == reverse("sessions_app:board")


def test_the_manager_home_shows_the_weeks_largest_differences(mia):
    make_shifts(1, variance="-45.00")
    make_shifts(1, variance="12.00", start=3, station=STATION_A2)
    make_shifts(1, variance="-99.00", start=30)  # index 0 of its batch: today too
    make_shifts(10, variance="-70.00", start=200)
    page = mia.get(reverse("sessions_app:board")).content.decode()
    assert "Largest differences this week" in page
    section = page.split("Largest differences this week")[1].split("</section>")[0]
    assert section.count("<tr>") == 6  # header + 5 rows


def _largest(page: str) -> str:
    return page.split("Largest differences this week")[1].split("</section>")[0]


def test_the_weeks_largest_differences_are_ranked_within_each_currency(client, superuser, tills):
    """¥5,000 is not a larger difference than $45: each currency has its own five, each
    difference written in its own money (a card difference too)."""
    from sessions_app.models import OutletSettings
    from sessions_app.services.daily_totals import daily_totals_rebuild

    OutletSettings.objects.create(outlet_id=OUTLET_B, currency="JPY")
    make_shifts(6, variance="-45.00")
    make_shifts(
        2, outlet=OUTLET_B, station=STATION_B1, variance="-5000", card_variance="-300", start=20
    )
    SessionRecord.objects.filter(outlet_id=OUTLET_B).update(currency="JPY")
    daily_totals_rebuild()
    client.force_login(superuser)
    section = _largest(client.get(reverse("sessions_app:board")).content.decode())
    yen, dollars = section.split("<h3>JPY</h3>")[1].split("<h3>USD</h3>")  # by code
    assert yen.count("\u2212\u00a55,000") == 2 and yen.count("\u2212\u00a5300") == 2
    assert "$" not in yen
    assert dollars.count("\u2212$45.00") == 5


def test_the_weeks_largest_differences_keep_a_currency_its_outlet_no_longer_uses(mia):
    """The shifts keep the currency they were closed in, whatever the outlet's is now."""
    from sessions_app.models import OutletSettings

    make_shifts(2, variance="-45.00")
    OutletSettings.objects.create(outlet_id=OUTLET_A, currency="EUR")
    section = _largest(mia.get(reverse("sessions_app:board")).content.decode())
    assert section.count("\u2212$45.00") == 2
