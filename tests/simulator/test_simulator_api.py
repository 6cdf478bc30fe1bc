"""The simulator behaves as the contract describes, seen over raw HTTP."""

import requests

from finalpos_simulator.app import Simulator
from finalpos_simulator.server import SimulatorServer
from finalpos_simulator.store import Store
from tests.conftest import SIMULATOR_KEY

HEADERS = {"x-api-key": SIMULATOR_KEY}
VALID_SESSION = {
    "stationId": "0123456789abcdef01234567",
    "sessionNumber": "S-2026-0001",
    "openedBy": "Cal",
    "openTime": "2026-11-22T14:00:00.000Z",
    "openingAmount": "200.00",
    "notes": [],
    "closingAmounts": {},
    "openingNote": "",
}


def post(simulator, path, body, headers=HEADERS):
    return requests.post(simulator.url + path, json=body, headers=headers, timeout=5)


def test_create_answers_201_with_server_fields(simulator):
    response = post(simulator, "/v1/api/session", VALID_SESSION)
    assert response.status_code == 201
    body = response.json()
    assert len(body["id"]) == 24 and body["companyId"]
    assert body["createdAt"].endswith("+00:00") and body["updatedAt"] == body["createdAt"]
    assert {k: body[k] for k in VALID_SESSION} == VALID_SESSION


def test_missing_fields_wrong_types_and_bad_money_get_400_with_messages(simulator):
    body = {**VALID_SESSION, "openingAmount": "200", "notes": None, "openedBy": 7}
    del body["stationId"]
    body["closingAmounts"] = {"cash": 10.5}
    response = post(simulator, "/v1/api/session", body)
    assert response.status_code == 400
    assert response.json()["statusCode"] == 400
    assert sorted(response.json()["message"]) == sorted(
        [
            "stationId must be a string",
            "openedBy must be a string",
            'openingAmount must be a money amount with two decimals (three in KWD), like "200.00"',
            "notes must be an array of strings",
            "closingAmounts.cash must be a money amount with two decimals (three in KWD), "
            'like "200.00"',
        ]
    )


def test_a_missing_or_wrong_key_gets_401(simulator):
    assert requests.get(simulator.url + "/v1/api/outlets", timeout=5).status_code == 401
    wrong = requests.get(
        simulator.url + "/v1/api/outlets", headers={"x-api-key": "nope"}, timeout=5
    )
    assert wrong.status_code == 401
    assert wrong.json()["message"] == "Unauthorized"


def test_unknown_ids_get_404(simulator):
    for kind in ("session", "station", "outlet"):
        response = requests.get(
            f"{simulator.url}/v1/api/{kind}/0123456789abcdef01234567", headers=HEADERS, timeout=5
        )
        assert response.status_code == 404


def test_delete_answers_the_documented_body(simulator):
    created = post(simulator, "/v1/api/session", VALID_SESSION).json()
    response = requests.delete(
        f"{simulator.url}/v1/api/session/{created['id']}", headers=HEADERS, timeout=5
    )
    assert response.json() == {
        "statusCode": 200,
        "message": f"Resource with Id {created['id']} deleted successfully",
    }


def test_lists_page_with_skip_and_limit(simulator):
    outlet = {
        "name": "O",
        "address": "A",
        "city": "C",
        "state": "S",
        "country": "US",
        "postCode": "1",
        "phone": "2",
    }
    ids = [
        post(simulator, "/v1/api/outlet", {**outlet, "name": f"O{i}"}).json()["id"]
        for i in range(5)
    ]
    page = requests.get(
        simulator.url + "/v1/api/outlets",
        params={"skip": 2, "limit": 2},
        headers=HEADERS,
        timeout=5,
    ).json()
    assert [o["id"] for o in page] == ids[2:4]
    bad = requests.get(
        simulator.url + "/v1/api/outlets",
        params={"skip": "-1", "limit": "x"},
        headers=HEADERS,
        timeout=5,
    )
    assert bad.status_code == 400
    assert bad.json()["message"] == ["skip must not be less than 0", "limit must be a number"]


def test_station_create_and_delete_keep_the_outlet_station_list(simulator):
    outlet = post(
        simulator,
        "/v1/api/outlet",
        {
            "name": "O",
            "address": "A",
            "city": "C",
            "state": "S",
            "country": "US",
            "postCode": "1",
            "phone": "2",
        },
    ).json()
    station = post(
        simulator, "/v1/api/station", {"name": "T", "outletId": outlet["id"], "status": "AVAILABLE"}
    ).json()
    fetched = requests.get(
        f"{simulator.url}/v1/api/outlet/{outlet['id']}", headers=HEADERS, timeout=5
    ).json()
    assert fetched["stations"] == [station["id"]]
    requests.delete(f"{simulator.url}/v1/api/station/{station['id']}", headers=HEADERS, timeout=5)
    fetched = requests.get(
        f"{simulator.url}/v1/api/outlet/{outlet['id']}", headers=HEADERS, timeout=5
    ).json()
    assert fetched["stations"] == []


def test_state_persists_across_restarts(tmp_path):
    path = str(tmp_path / "sim.sqlite3")
    first = SimulatorServer(
        Simulator(store=Store(path), api_key=SIMULATOR_KEY)
    ).start_in_background()
    created = post(first, "/v1/api/session", VALID_SESSION).json()
    first.stop()
    second = SimulatorServer(
        Simulator(store=Store(path), api_key=SIMULATOR_KEY)
    ).start_in_background()
    try:
        again = requests.get(
            f"{second.url}/v1/api/session/{created['id']}", headers=HEADERS, timeout=5
        )
        assert again.json() == created
    finally:
        second.stop()


def test_faults_and_the_request_log_are_controlled_over_http(simulator):
    control = simulator.url + "/_simulator/"
    put = requests.put(
        control + "faults",
        json={"rules": [{"action": "status", "status": 503, "times": 1}]},
        headers=HEADERS,
        timeout=5,
    )
    assert put.status_code == 200
    assert (
        requests.get(simulator.url + "/v1/api/outlets", headers=HEADERS, timeout=5).status_code
        == 503
    )
    assert (
        requests.get(simulator.url + "/v1/api/outlets", headers=HEADERS, timeout=5).status_code
        == 200
    )
    log = requests.get(control + "requests", headers=HEADERS, timeout=5).json()
    assert log["calls"] == {"GET /v1/api/outlets": 2}
    assert [entry["status"] for entry in log["requests"]] == [503, 200]


def test_an_overwritten_write_is_answered_then_saved_over_with_the_copy_from_before(simulator):
    created = post(simulator, "/v1/api/session", VALID_SESSION).json()
    requests.put(
        simulator.url + "/_simulator/faults",
        json={"rules": [{"action": "overwritten", "method": "PUT", "times": 1}]},
        headers=HEADERS,
        timeout=5,
    )
    url = f"{simulator.url}/v1/api/session/{created['id']}"
    answer = requests.put(
        url, json={**VALID_SESSION, "openingNote": "ours"}, headers=HEADERS, timeout=5
    )
    assert answer.status_code == 200 and answer.json()["openingNote"] == "ours"

    now = requests.get(url, headers=HEADERS, timeout=5).json()
    assert now["openingNote"] == ""  # the copy from before, saved after ours
    assert now["updatedAt"] > answer.json()["updatedAt"]
