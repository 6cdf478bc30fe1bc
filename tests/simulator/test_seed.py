"""The seeded demo company: realistic, consistent and repeatable."""

import json
from decimal import Decimal

from finalpos_simulator.seed import seed_demo_company
from finalpos_simulator.store import Store


def test_it_seeds_three_outlets_eight_stations_and_six_weeks(tmp_path):
    store = Store(str(tmp_path / "s.sqlite3"))
    counts = seed_demo_company(store)
    assert counts["outlets"] == 3 and counts["stations"] == 8
    assert counts["sessions"] > 300 and counts["transactions"] > 5000
    sessions = store.find("session")
    open_now = [s for s in sessions if "closeTime" not in s]
    assert 1 <= len(open_now) <= 2
    assert sessions[0]["openTime"] < sessions[-1]["openTime"]


def test_it_is_repeatable(tmp_path):
    first = Store(str(tmp_path / "a.sqlite3"))
    second = Store(str(tmp_path / "b.sqlite3"))
    seed_demo_company(first)
    seed_demo_company(second)
    key = lambda s: (s["sessionNumber"], s["openingAmount"], s.get("closingAmounts"), s["openedBy"])  # noqa: E731
    assert [key(s) for s in first.find("session")] == [key(s) for s in second.find("session")]


def test_the_tills_own_reports_add_up_with_the_transactions(tmp_path):
    store = Store(str(tmp_path / "s.sqlite3"))
    seed_demo_company(store)
    mapping = {
        "cash": "cash",
        "credit_card": "card",
        "oliver_pay": "oliverPay",
        "gift_card": "giftCard",
    }
    closed = [s for s in store.find("session") if "closeTime" in s][:25]
    for session in closed:
        sales = {
            "cash": Decimal(0),
            "card": Decimal(0),
            "oliverPay": Decimal(0),
            "giftCard": Decimal(0),
        }
        for t in store.find("transaction", session_id=session["id"]):
            sign = -1 if t["type"] == "refund" else 1
            sales[mapping[t["paymentMethod"]]] += sign * Decimal(t["amount"])
        drawer = json.loads(session["closingReportData"])["cashDrawer"]
        expected_cash = Decimal(session["openingAmount"]) + sales["cash"]
        assert Decimal(drawer["expectedCash"]) == expected_cash
        assert drawer["closingCash"] == session["closingAmount"]
        assert Decimal(drawer["overUnder"]) == Decimal(drawer["closingCash"]) - expected_cash
        assert session["closingAmount"] == session["closingAmounts"]["cash"]


def test_it_writes_no_report_of_the_dashboards_own(tmp_path):
    store = Store(str(tmp_path / "s.sqlite3"))
    seed_demo_company(store)
    for session in store.find("session"):
        report = json.loads(session.get("closingReportData") or "{}")
        assert "methods" not in report and "review" not in report
