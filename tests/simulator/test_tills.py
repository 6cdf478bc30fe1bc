"""The simulated tills: they act like the Final POS app on each till of a company."""

import json
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from finalpos_simulator.store import Store
from finalpos_simulator.tills import STEP, TillActivity, is_till_session
from tests.helpers import present


@pytest.fixture
def company(tmp_path, seed_demo) -> Store:
    """The demo company in a store of its own."""
    store = Store(str(tmp_path / "tills.sqlite3"))
    seed_demo(store)
    return store


def test_a_till_opens_with_the_companys_next_number_and_goes_in_use(company):
    store = company
    last = int(present(store.get_meta("session_sequence")))
    free = next(s for s in store.find("station") if s["status"] == "AVAILABLE")

    session = TillActivity(store, rng=random.Random(1)).open_session(free)

    year = datetime.now(UTC).year
    assert session["sessionNumber"] == f"S-{year}-{last + 1:04d}"
    assert is_till_session(present(store.get("session", session["id"])))
    assert present(store.get("station", free["id"]))["status"] == "IN_USE"


def test_a_till_closes_declaring_every_tender_it_took(company):
    store = company
    free = next(s for s in store.find("station") if s["status"] == "AVAILABLE")
    tills = TillActivity(store, rng=random.Random(2))
    session = tills.open_session(free)
    sales = tills.sell(session, count=40)

    closed = tills.close_session(session)

    declared = {key: Decimal(value) for key, value in closed["closingAmounts"].items()}
    keys = {"cash": "cash", "credit_card": "card", "oliver_pay": "oliverPay"}
    keys["gift_card"] = "giftCard"
    taken: dict[str, Decimal] = {}
    for sale in sales:
        sign = -1 if sale["type"] == "refund" else 1
        key = keys[sale["paymentMethod"]]
        taken[key] = taken.get(key, Decimal(0)) + sign * Decimal(sale["amount"])
    for key, amount in taken.items():
        if key != "cash":
            assert declared[key] == amount
    assert "giftCard" in declared  # 40 sales at a 5% share: the till took gift cards
    assert closed["closingAmount"] == closed["closingAmounts"]["cash"]
    assert closed["meta"]["source"] == "final-pos-ipad" and "tipTotal" in closed
    assert present(store.get("station", free["id"]))["status"] == "AVAILABLE"


def test_tills_sell_on_shifts_the_dashboard_opened_but_never_close_them(company):
    store = company
    free = next(s for s in store.find("station") if s["status"] == "AVAILABLE")
    ours = {
        "id": "d" * 24,
        "stationId": free["id"],
        "sessionNumber": "D-2026-0001",
        "openedBy": "Cal",
        "openTime": "2026-11-23T08:00:00.000Z",
        "openingAmount": "100.00",
        "notes": [],
        "closingAmounts": {},
        "openingNote": "",
    }
    store.insert("session", ours)
    tills = TillActivity(store, rng=random.Random(3), sale_chance=1.0, close_chance=1.0)

    for _step in range(5):
        tills.tick()

    assert store.find("transaction", session_id=ours["id"])
    assert "closeTime" not in present(store.get("session", ours["id"]))


def test_catching_up_runs_the_steps_due_once_across_processes(company):
    store = company
    now = [datetime(2026, 11, 23, 9, tzinfo=UTC)]
    first = TillActivity(store, rng=random.Random(4), clock=lambda: now[0])
    second = TillActivity(Store(store.path), rng=random.Random(5), clock=lambda: now[0])
    assert first.catch_up() == 0  # the first call only starts the clock

    now[0] += STEP * 3 + timedelta(seconds=5)
    assert first.catch_up() == 3
    assert second.catch_up() == 0  # already done by the other process

    now[0] += STEP * 1000
    assert second.catch_up() == 30  # a quiet night does not replay every minute


def test_a_till_report_is_json_or_plain_text_as_real_tills_write(company):
    store = company
    tills = TillActivity(store, rng=random.Random(6))
    reports = []
    for _shift in range(12):
        free = next(s for s in store.find("station") if s["status"] == "AVAILABLE")
        reports.append(tills.close_session(tills.open_session(free))["closingReportData"])
    parsed = []
    for report in reports:
        try:
            parsed.append(json.loads(report))
        except ValueError:
            assert report.startswith("END OF SESSION")
    assert parsed and len(parsed) < len(reports)
