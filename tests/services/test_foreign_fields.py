"""Every session PUT keeps what other writers put on the record: fields the dashboard does
not know, tenders it is not configured for, and a till's own closing report. Checked by
reading the simulator's stored record back."""

import json
from decimal import Decimal

import pytest

from sessions_app.closing.report import parse
from sessions_app.selectors.report import shift_report
from sessions_app.services.cash_movements import cash_movement_record
from sessions_app.services.index import shift_fetch
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_review import shift_correct
from sessions_app.services.shift_takeover import shift_take_over
from sessions_app.services.shift_undo import shift_reopen
from tests.conftest import STATION_A1, add_faults, record_sale, till_session
from tests.helpers import present

pytestmark = pytest.mark.django_db

COUNTED = {"cash": Decimal("185.00"), "card": Decimal("95.00"), "oliverPay": Decimal(0)}
UNTOUCHED = ("tipTotal", "meta", "notes", "openedBy", "openTime", "openingAmount", "openingNote")


def _stored(simulator, session_id: str) -> dict:
    return simulator.simulator.store.get("session", session_id)


def _correct(record, manager, counted=COUNTED, note=""):
    return shift_correct(
        record=record,
        corrected_by_user=manager,
        counted=counted,
        closing_note=note,
        reason="Recounted the drawer",
        seen_updated_at=record.upstream_updated_at,
    ).record


def test_a_correction_keeps_every_field_the_till_wrote(tills, manager, simulator):
    original = till_session(simulator, STATION_A1, "S-2026-0391")
    record = shift_fetch(session_id=original["id"])

    _correct(record, manager)

    stored = _stored(simulator, original["id"])
    for key in UNTOUCHED:
        assert stored[key] == original[key], key
    assert stored["closingAmounts"] == {
        "cash": "185.00",
        "card": "95.00",
        "oliverPay": "0.00",
        "giftCard": "25.00",
    }
    assert stored["closeTime"] == original["closeTime"]  # its form too, not just its meaning
    report = present(parse(stored["closingReportData"]))
    assert report.is_ours
    assert report.foreign == original["closingReportData"]


def test_the_other_tender_is_in_the_corrections_before_and_after(tills, manager, simulator):
    original = till_session(simulator, STATION_A1, "S-2026-0391")
    record = _correct(shift_fetch(session_id=original["id"]), manager)

    report = json.loads(_stored(simulator, original["id"])["closingReportData"])
    [correction] = report["corrections"]
    assert correction["before"]["closingAmounts"]["giftCard"] == "25.00"
    assert correction["after"]["closingAmounts"]["giftCard"] == "25.00"
    shown = shift_report(record)
    assert shown.other_tenders == [("Gift card", Decimal("25.00"))]  # named for people
    [line] = [line for line in shown.corrections[0].lines if line.name == "Gift card"]
    assert line.before == line.after == Decimal("25.00")
    assert shown.till_report == original["closingReportData"]


def test_a_plain_text_till_report_survives_a_correction_without_sales(tills, manager, simulator):
    text = "END OF SESSION\nCash 180.00\nCard 95.00\n"
    original = till_session(simulator, STATION_A1, "S-2026-0392", closingReportData=text)
    record = shift_fetch(session_id=original["id"])
    add_faults(simulator, {"path_contains": "/transactions", "action": "status", "status": 503})

    _correct(record, manager)

    report = present(parse(_stored(simulator, original["id"])["closingReportData"]))
    assert report.foreign == text


def test_closing_a_shift_a_till_opened_keeps_its_fields(tills, cashier, manager, simulator):
    original = till_session(
        simulator,
        STATION_A1,
        "S-2026-0393",
        closed=False,
        openTime="2026-11-23T08:00:00.000+00:00",
        closingAmounts={"giftCard": "12.00"},
    )
    record = shift_fetch(session_id=original["id"])
    record_sale(simulator, original["id"], "35.00")
    # A till holds the shifts it opens: it is closed here once a manager has taken it over.
    record = shift_take_over(
        record=record, taken_over_by_user=manager, reason="The iPad on Till 1 is broken"
    ).record

    shift_close(
        record=record,
        closed_by_user=cashier,
        counted=COUNTED,
        closing_note="",
        variance_reason="Counted twice",
        seen_updated_at=None,
        close_request_id="d" * 32,
    )

    stored = _stored(simulator, original["id"])
    for key in UNTOUCHED:
        assert stored[key] == original[key], key
    assert stored["closingAmounts"]["giftCard"] == "12.00"
    assert stored["closingAmounts"]["cash"] == "185.00"


def test_a_cash_movement_keeps_the_tills_fields_and_forms(tills, cashier, simulator):
    original = till_session(
        simulator, STATION_A1, "S-2026-0394", closed=False, openTime="2026-11-23T08:00:00Z"
    )
    record = shift_fetch(session_id=original["id"])

    cash_movement_record(
        record=record,
        recorded_by_user=cashier,
        movement_id="m" * 32,
        kind="pay_out",
        amount=Decimal("5.00"),
        reason="Milk",
    )

    stored = _stored(simulator, original["id"])
    for key in UNTOUCHED:
        assert stored[key] == original[key], key


def test_a_reopen_keeps_the_tills_fields_and_clears_only_the_close(tills, manager, simulator):
    original = till_session(simulator, STATION_A1, "S-2026-0395")
    record = shift_fetch(session_id=original["id"])

    shift_reopen(
        record=record,
        reopened_by_user=manager,
        reason="Counted the wrong drawer",
        seen_updated_at=record.upstream_updated_at,
    )

    stored = _stored(simulator, original["id"])
    for key in UNTOUCHED:
        assert stored[key] == original[key], key
    assert "closeTime" not in stored and stored["closingAmounts"] == {}
    report = json.loads(stored["closingReportData"])
    previous = report["reopenings"][0]["previousClose"]
    assert previous["closingAmounts"]["giftCard"] == "25.00"
    assert present(parse(stored["closingReportData"])).foreign == original["closingReportData"]
