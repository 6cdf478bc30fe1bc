"""The Final POS client against the simulator over real HTTP on loopback."""

import dataclasses
import logging
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from sessions_app.finalpos import (
    FinalPOSAuthError,
    FinalPOSBadResponse,
    FinalPOSNotFound,
    FinalPOSRejected,
    FinalPOSUnavailable,
    InvalidFinalPOSId,
    circuit,
    get_client,
)
from sessions_app.finalpos.records import (
    OutletInput,
    SessionInput,
    StationInput,
    StationStatus,
)
from tests.conftest import SIMULATOR_KEY, add_faults

pytestmark = pytest.mark.django_db


def an_outlet(client, name="Harbour Street"):
    return client.outlet_create(
        OutletInput(
            name=name,
            address="12 Harbour Street",
            city="Portland",
            state="ME",
            country="US",
            post_code="04101",
            phone="+12075550101",
        )
    )


def a_session_input(station_id, **changes):
    base = SessionInput(
        station_id=station_id,
        session_number="S-2026-0001",
        opened_by="Cal Cashier",
        open_time=datetime(2026, 11, 22, 14, 0, 0, 123456, tzinfo=UTC),
        opening_amount=Decimal("200"),
    )
    return dataclasses.replace(base, **changes)


def calls(simulator) -> dict[str, int]:
    return dict(simulator.simulator.calls)


# --- Operations ---------------------------------------------------------------------------


def test_it_creates_reads_updates_and_deletes_a_session(finalpos, simulator):
    outlet = an_outlet(finalpos)
    station = finalpos.station_create(StationInput(name="Till 1", outlet_id=outlet.id))
    created = finalpos.session_create(a_session_input(station.id))
    assert created.id and created.company_id and created.created_at and created.updated_at
    assert created.opening_amount == Decimal("200.00")
    assert created.is_open and created.notes == [] and created.closing_amounts == {}

    sent = simulator.simulator.requests[-1].body
    assert sent["openingAmount"] == "200.00"
    assert sent["openTime"] == "2026-11-22T14:00:00.123Z"
    assert sent["notes"] == [] and sent["closingAmounts"] == {} and sent["openingNote"] == ""
    assert "closeTime" not in sent  # optional fields are omitted, never null

    fetched = finalpos.session_get(created.id)
    assert fetched == created

    closed = finalpos.session_update(
        created.id,
        dataclasses.replace(
            fetched.to_input(),
            closed_by="Cal Cashier",
            close_time=datetime(2026, 11, 22, 22, 0, tzinfo=UTC),
            closing_amount=Decimal("512.3"),
            closing_amounts={"cash": Decimal("512.30"), "card": Decimal("80")},
            closing_note="Busy",
        ),
    )
    assert not closed.is_open
    assert closed.closing_amounts == {"cash": Decimal("512.30"), "card": Decimal("80.00")}
    assert closed.updated_at > created.updated_at
    assert simulator.simulator.requests[-1].body["closingAmounts"] == {
        "cash": "512.30",
        "card": "80.00",
    }

    finalpos.session_delete(created.id)
    with pytest.raises(FinalPOSNotFound):
        finalpos.session_get(created.id)


def test_it_manages_stations(finalpos):
    outlet = an_outlet(finalpos)
    station = finalpos.station_create(StationInput(name="Till 1", outlet_id=outlet.id))
    assert station.status is StationStatus.AVAILABLE
    renamed = finalpos.station_update(
        station.id,
        dataclasses.replace(station.to_input(), name="Front till", status=StationStatus.IN_USE),
    )
    assert (renamed.name, renamed.status) == ("Front till", StationStatus.IN_USE)
    assert finalpos.station_get(station.id).name == "Front till"
    assert [s.id for s in finalpos.station_list()] == [station.id]
    finalpos.station_delete(station.id)
    assert finalpos.station_list() == []


def test_it_manages_outlets(finalpos):
    outlet = an_outlet(finalpos)
    updated = finalpos.outlet_update(
        outlet.id, dataclasses.replace(outlet.to_input(), name="Harbour St.")
    )
    assert updated.name == "Harbour St."
    assert finalpos.outlet_get(outlet.id).name == "Harbour St."
    assert [o.name for o in finalpos.outlet_list()] == ["Harbour St."]
    finalpos.outlet_delete(outlet.id)
    with pytest.raises(FinalPOSNotFound):
        finalpos.outlet_get(outlet.id)


def test_it_pages_through_250_stations_100_at_a_time(finalpos, simulator):
    simulator.simulator.store.insert_many(
        "station",
        [
            {
                "id": f"{number:024x}",
                "name": f"Till {number}",
                "outletId": "a" * 24,
                "status": "AVAILABLE",
            }
            for number in range(1, 251)
        ],
    )

    stations = finalpos.station_list()

    assert len(stations) == 250
    assert len({station.id for station in stations}) == 250
    pages = [(r.query["skip"], r.query["limit"]) for r in simulator.simulator.requests]
    assert pages == [("0", "100"), ("100", "100"), ("200", "100")]


def test_it_lists_only_the_transactions_of_the_session(finalpos, simulator):
    outlet = an_outlet(finalpos)
    station = finalpos.station_create(StationInput(name="Till", outlet_id=outlet.id))
    mine = finalpos.session_create(a_session_input(station.id))
    other = finalpos.session_create(a_session_input(station.id, session_number="S-2026-0002"))
    record = simulator.simulator.record_transaction
    record(sessionId=mine.id, paymentMethod="cash", amount="12.50")
    record(sessionId=mine.id, paymentMethod="credit_card", amount="30.00", type="refund")
    record(sessionId=other.id, paymentMethod="cash", amount="99.99")

    transactions = finalpos.transaction_list(mine.id)

    assert [(t.payment_method, t.amount, t.type) for t in transactions] == [
        ("cash", Decimal("12.50"), "sale"),
        ("credit_card", Decimal("30.00"), "refund"),
    ]
    assert simulator.simulator.requests[-1].query["sessionId"] == mine.id


def test_it_sends_the_key_and_a_user_agent(finalpos, simulator):
    sent = []
    finalpos.http.hooks["response"].append(lambda response, **kw: sent.append(response.request))
    finalpos.outlet_list()
    assert sent[0].headers["x-api-key"] == SIMULATOR_KEY
    assert sent[0].headers["User-Agent"].startswith("finalpos-till-dashboard/")


# --- Errors -------------------------------------------------------------------------------


def test_a_wrong_key_is_an_auth_error(finalpos, settings):
    settings.FINALPOS_API_KEY = "wrong-key-wrong-key"
    with pytest.raises(FinalPOSAuthError) as raised:
        get_client().outlet_list()
    assert not raised.value.retryable
    assert "wrong-key" not in str(raised.value)


def test_an_unknown_id_is_not_found(finalpos):
    with pytest.raises(FinalPOSNotFound) as raised:
        finalpos.session_get("0123456789abcdef01234567")
    assert not raised.value.retryable


@pytest.mark.parametrize(
    "bad_id", ["", "short", "../../v1/api/outlets?x=", "0123456789abcdef0123456g!", None]
)
def test_an_invalid_id_is_refused_before_any_call(finalpos, simulator, bad_id):
    with pytest.raises(InvalidFinalPOSId):
        finalpos.session_get(bad_id)
    assert calls(simulator) == {}


def test_a_rejection_carries_the_messages_per_field(finalpos, simulator):
    add_faults(
        simulator,
        {
            "action": "status",
            "status": 400,
            "method": "POST",
            "messages": [
                "openingAmount must be a money amount",
                "notes must be an array of strings",
            ],
        },
    )
    with pytest.raises(FinalPOSRejected) as raised:
        finalpos.session_create(a_session_input("0123456789abcdef01234567"))
    assert raised.value.field_errors == {
        "openingAmount": ["openingAmount must be a money amount"],
        "notes": ["notes must be an array of strings"],
    }
    assert not raised.value.retryable
    assert "openingAmount must be a money amount" in str(raised.value)


def test_a_read_timeout_is_unavailable_and_not_retried(finalpos, simulator, settings):
    settings.FINALPOS_TIMEOUT = 0.3
    add_faults(simulator, {"action": "delay", "delay_ms": 1200})
    with pytest.raises(FinalPOSUnavailable) as raised:
        get_client().outlet_list()
    assert raised.value.retryable
    assert "did not answer in time" in str(raised.value)


def test_a_malformed_body_is_a_bad_response(finalpos, simulator):
    add_faults(simulator, {"action": "malformed", "path_contains": "/outlets"})
    with pytest.raises(FinalPOSBadResponse):
        finalpos.outlet_list()


def test_an_empty_or_html_error_body_is_handled(finalpos, simulator):
    add_faults(simulator, {"action": "status", "status": 500, "body": "<html>oops</html>"})
    with pytest.raises(FinalPOSUnavailable) as raised:
        finalpos.outlet_list()
    assert "HTTP 500" in str(raised.value)
    assert calls(simulator) == {"GET /v1/api/outlets": 1}  # a 500 is not retried


def test_a_failure_is_told_in_the_language_of_the_request_that_met_it(finalpos, simulator):
    """The message reaches the page after "Nothing was saved:" and the audit trail, as the
    audit's summaries do, in the language of the person who acted."""
    add_faults(
        simulator,
        {"action": "status", "status": 500, "path_contains": "/outlets"},
        {"action": "status", "status": 401, "path_contains": "/stations"},
    )
    with translation.override("de"), pytest.raises(FinalPOSUnavailable) as german:
        finalpos.outlet_list()
    with translation.override("fr"), pytest.raises(FinalPOSAuthError) as french:
        finalpos.station_list()
    with pytest.raises(FinalPOSUnavailable) as english:
        finalpos.outlet_list()
    assert german.value.message == (
        "Final POS hatte ein Problem (HTTP 500). Versuchen Sie es gleich noch einmal."
    )
    assert french.value.message.startswith("Final POS a refusé la clé d'API du tableau de bord.")
    assert english.value.message == "Final POS had a problem (HTTP 500). Try again shortly."
    # Kept on a shift or a refresh's state for everyone: in the site's language.
    assert german.value.stored_message == english.value.message
    assert french.value.stored_message.startswith("Final POS refused the dashboard's API key.")


def test_a_gateway_error_on_a_read_is_retried_once(finalpos, simulator):
    add_faults(simulator, {"action": "status", "status": 502, "times": 1})
    assert finalpos.outlet_list() == []
    assert calls(simulator) == {"GET /v1/api/outlets": 2}


def test_a_dropped_connection_on_a_read_is_retried_once_then_reported(finalpos, simulator):
    add_faults(simulator, {"action": "drop"})
    with pytest.raises(FinalPOSUnavailable):
        finalpos.outlet_list()
    assert calls(simulator) == {"GET /v1/api/outlets": 2}


def test_a_write_is_never_retried(finalpos, simulator):
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST"})
    with pytest.raises(FinalPOSUnavailable):
        an_outlet(finalpos)
    assert calls(simulator) == {"POST /v1/api/outlet": 1}


def test_a_dropped_write_is_not_repeated(finalpos, simulator):
    add_faults(simulator, {"action": "drop", "method": "POST", "when": "after"})
    with pytest.raises(FinalPOSUnavailable):
        an_outlet(finalpos)
    assert calls(simulator) == {"POST /v1/api/outlet": 1}
    assert simulator.simulator.store.count("outlet") == 1  # it landed; the caller must check


def test_connection_refused_is_unavailable(settings, db):
    settings.FINALPOS_API_KEY = "any"
    settings.FINALPOS_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(FinalPOSUnavailable) as raised:
        get_client().outlet_list()
    assert "could not reach Final POS" in str(raised.value)


def test_each_call_is_logged_once_without_the_key(finalpos, simulator, caplog):
    with caplog.at_level(logging.INFO, logger="sessions_app.finalpos"):
        finalpos.outlet_list()
        with pytest.raises(FinalPOSNotFound):
            finalpos.outlet_get("0123456789abcdef01234567")
    lines = [r.getMessage() for r in caplog.records if r.name == "sessions_app.finalpos.transport"]
    assert len(lines) == 2
    assert lines[0].startswith("finalpos GET /v1/api/outlets -> 200 in ")
    assert lines[1].startswith("finalpos GET /v1/api/outlet/0123456789abcdef01234567 -> 404 in ")
    assert SIMULATOR_KEY not in caplog.text


def test_a_redirect_is_never_followed_and_the_key_goes_nowhere_else(finalpos, simulator):
    import http.server
    import threading

    from sessions_app.finalpos import FinalPOSRedirected

    elsewhere: list[dict] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            elsewhere.append(dict(self.headers))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    other = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{other.server_port}/steal"
        add_faults(simulator, {"action": "status", "status": 302, "headers": {"Location": target}})
        with pytest.raises(FinalPOSRedirected, match=r"127\.0\.0\.1"):
            finalpos.outlet_list()
    finally:
        other.shutdown()
    assert elsewhere == []


def test_a_429_pauses_calls_for_retry_after_and_says_busy(finalpos, simulator):
    from sessions_app.finalpos import FinalPOSBusy

    add_faults(
        simulator,
        {"action": "status", "status": 429, "headers": {"Retry-After": "7"}, "times": 1},
    )
    with pytest.raises(FinalPOSBusy) as busy:
        finalpos.outlet_list()
    assert busy.value.retryable and busy.value.retry_after == 7
    calls = sum(simulator.simulator.calls.values())
    with pytest.raises(FinalPOSBusy):  # held back: Final POS asked for 7 s
        finalpos.outlet_list()
    assert sum(simulator.simulator.calls.values()) == calls
    assert 6 < circuit.paused_for() <= 7


def test_a_refresh_pass_stops_when_final_pos_is_busy(finalpos, simulator, tills, cashier):
    from decimal import Decimal

    from sessions_app.services.index_refresh import shifts_refresh
    from sessions_app.services.shift_open import shift_open

    for station in (tills["a1"], tills["a2"]):
        shift_open(till=station, opened_by_user=cashier, opening_amount=Decimal(1))
    add_faults(simulator, {"action": "status", "status": 429, "headers": {"Retry-After": "30"}})
    simulator.simulator.reset_log()
    result = shifts_refresh()
    assert result.failed == 1 and result.refreshed == 0
    assert sum(simulator.simulator.calls.values()) == 1  # one call, then the pass waits
