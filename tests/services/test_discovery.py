"""Discovery: the shifts the tills opened reach the index without anyone typing an id, in
bounded passes that start where the last one stopped. Against the simulator over HTTP, with
the demo company and its tills acting on their own."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from finalpos_simulator.tills import TillActivity, is_till_session
from sessions_app.finalpos.client import PAGE_SIZE
from sessions_app.models import SessionRecord, SyncState
from sessions_app.services.catalog import catalog_refresh
from sessions_app.services.discovery import shifts_discover, transaction_count
from tests.conftest import STATION_A1, STATION_A2, record_sale, till_session
from tests.helpers import present

pytestmark = pytest.mark.django_db


def _transaction_reads(simulator) -> int:
    """Pages of the company's sales read (not one shift's sales, read by its sessionId)."""
    return sum(
        1
        for entry in simulator.simulator.requests
        if entry.path == "/v1/api/transactions" and "sessionId" not in entry.query
    )


@pytest.fixture
def company(finalpos, simulator, seed_demo):
    """The demo company (six weeks of till shifts, two open now) in a fresh install."""
    seed_demo(simulator.simulator.store)
    catalog_refresh()
    simulator.simulator.reset_log()
    return simulator.simulator.store


def test_one_pass_finds_every_open_shift_a_till_opened(company):
    open_in_final_pos = {s["id"] for s in company.find("session", open_only=True)}
    assert open_in_final_pos and not SessionRecord.objects.exists()

    shifts_discover()

    found_open = set(
        SessionRecord.objects.filter(close_time__isnull=True).values_list("id", flat=True)
    )
    assert found_open == open_in_final_pos


def test_a_pass_reads_a_bounded_number_of_pages_and_shifts(company, simulator, settings):
    settings.DISCOVERY_PAGES_PER_PASS = 3
    settings.DISCOVERY_SESSIONS_PER_PASS = 5
    result = shifts_discover()

    probes = _transaction_reads(simulator) - 3
    total = company.count("transaction")
    assert probes <= 2 * total.bit_length() + 2  # finding the end of the list
    named = set()  # every session named on the pages the pass read (not the one-item probes)
    for entry in simulator.simulator.requests:
        query = entry.query
        if (
            entry.path.endswith("/transactions")
            and "sessionId" not in query
            and query["limit"] != "1"
        ):
            page = company.find(
                "transaction", skip=int(entry.query["skip"]), limit=int(entry.query["limit"])
            )
            named |= {sale["sessionId"] for sale in page}
    assert result.pages == 3 and result.found == 5 == SessionRecord.objects.count()
    assert result.waiting == len(named) - 5  # the rest carries over to the next pass
    assert set(SessionRecord.objects.values_list("id", flat=True)) < named


def test_later_passes_carry_on_back_through_history_then_only_read_new_sales(company, simulator):
    first = shifts_discover()
    passes = 1
    while not (first.history_done and not first.waiting) and passes < 100:
        first = shifts_discover()
        passes += 1
    every_session = {s["id"] for s in company.find("session")}
    assert set(SessionRecord.objects.values_list("id", flat=True)) == every_session

    tills = TillActivity(
        company, rng=random.Random(5), open_chance=1.0, sale_chance=1.0, close_chance=0
    )
    tills.tick()  # every free till opens a shift
    tills.tick()  # and sells
    simulator.simulator.reset_log()
    result = shifts_discover()

    assert _transaction_reads(simulator) <= 2  # the page before the watermark, then new sales
    new = {s["id"] for s in company.find("session")} - every_session
    assert new and result.found == len(new)


def test_a_sale_that_lands_below_the_watermark_still_brings_its_shift_in(tills, simulator):
    """A sale deleted in Final POS between two passes moves every later sale one place back:
    the first sale of a shift opened meanwhile lands just below where the last pass stopped.
    The next pass reads the page before its watermark again and finds that shift."""
    store = simulator.simulator.store
    earlier = till_session(simulator, STATION_A1, "S-2026-0101", closed=False)
    for _sale in range(3):
        record_sale(simulator, earlier["id"], "1.00")
    assert shifts_discover().found == 1

    store.delete("transaction", store.find("transaction", limit=1)[0]["id"])
    later = till_session(simulator, STATION_A2, "S-2026-0102", closed=False)
    record_sale(simulator, later["id"], "2.00")
    result = shifts_discover()

    assert result.found == 1 and SessionRecord.objects.filter(id=later["id"]).exists()


def test_history_older_than_the_window_is_not_looked_for(company, settings):
    settings.DISCOVERY_HISTORY_DAYS = 7
    for _pass in range(50):
        result = shifts_discover(pages=5, shifts=500)
        if result.history_done and not result.waiting:
            break
    oldest = present(SessionRecord.objects.order_by("open_time").first()).open_time
    assert datetime.now(UTC) - oldest < timedelta(days=7 + 2)


@pytest.mark.parametrize("size", [0, 1, 2, 99, 100, 101, 257])
def test_the_length_of_the_sales_list_is_found_by_probing(tills, simulator, finalpos, size):
    shift = till_session(simulator, STATION_A1, "S-2026-0001", closed=False)
    for _sale in range(size):
        record_sale(simulator, shift["id"], "1.00")
    assert transaction_count(finalpos) == size


def test_a_sale_nobody_can_read_does_not_hide_its_shift(tills, simulator):
    shift = till_session(simulator, STATION_A1, "S-2026-0002", closed=False)
    simulator.simulator.store.insert(
        "transaction",
        {"id": "f" * 24, "sessionId": shift["id"], "amount": "1e400", "createdAt": "not a date"},
    )

    assert shifts_discover().found == 1
    assert SessionRecord.objects.filter(id=shift["id"]).exists()


def test_a_pass_that_cannot_read_keeps_its_place(company, simulator):
    from tests.conftest import add_faults

    shifts_discover(pages=1, shifts=0)
    before = SyncState.objects.get(name=SyncState.DISCOVERY).position
    add_faults(simulator, {"action": "status", "status": 503, "path_contains": "/transactions"})

    with pytest.raises(Exception, match="Final POS"):
        shifts_discover()

    state = SyncState.objects.get(name=SyncState.DISCOVERY)
    assert state.position == before and "Final POS" in state.last_error


def test_the_share_of_till_shifts_discovery_finds(company, simulator):
    """Tills act for a simulated hour while passes run as the worker would. Every till shift
    with a sale is found; one with none cannot be (nothing in the API names it)."""
    history = {s["id"] for s in company.find("session")}
    tills = TillActivity(company, rng=random.Random(11), open_chance=0.3, close_chance=0.2)
    for _minute in range(40):
        tills.tick()
        shifts_discover()
    for _pass in range(100):  # and the look back over earlier sales runs to its end
        result = shifts_discover(pages=50, shifts=500)
        if result.history_done and not result.waiting:
            break

    till_written = {s["id"] for s in company.find("session") if is_till_session(s)}
    with_sales = {s for s in till_written if company.find("transaction", session_id=s)}
    found = set(SessionRecord.objects.values_list("id", flat=True)) & till_written
    assert found == with_sales
    live = till_written - history
    print(
        f"\ndiscovery found {len(found & history)} of {len(history)} shifts already in the "
        f"company and {len(found & live)} of {len(live)} opened while it ran "
        f"({len(found) / len(till_written):.1%} overall); the rest had no sale yet"
    )
    assert len(found & live) < len(live)  # a shift with no sale yet cannot be found


def test_pages_are_never_larger_than_the_contract_page(company, simulator):
    shifts_discover()
    limits = [
        int(entry.query.get("limit", 0))
        for entry in simulator.simulator.requests
        if entry.path == "/v1/api/transactions"
    ]
    assert limits and max(limits) <= PAGE_SIZE and min(limits) >= 1
