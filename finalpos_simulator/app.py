"""The simulated API: one handler for every operation in docs/finalpos-openapi.yaml.

Transport-free: ``Simulator.handle`` takes a method, path, query, headers and body and
returns a ``SimulatedResponse``; the in-process adapter and the HTTP server both call it.
"""

import json
import random
import re
import secrets
import threading
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from finalpos_simulator import currency as demo_currency
from finalpos_simulator.faults import FaultRule, Faults
from finalpos_simulator.responses import (
    SimulatedResponse,
    body_required,
    method_not_allowed,
    not_found,
    reason_phrase,
)
from finalpos_simulator.store import Store
from finalpos_simulator.tills import TillActivity
from finalpos_simulator.validation import VALIDATORS

# A till records what it took: "2480" yen, "6.125" dinars, "15.70" francs.
TRANSACTION_AMOUNT = re.compile(r"-?\d{1,12}(\.\d{1,3})?")

COMPANY_ID = "6560a1f0c0ffee00000000c0"
CONTROL_PREFIX = "/_simulator/"
MAX_PAGE_NUMBER = 2**62  # SQLite integers are 64-bit; larger skip/limit values mean "all"


@dataclass
class LoggedRequest:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int


def now_iso() -> str:
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


def new_id() -> str:
    return f"{int(time.time()):08x}{secrets.token_hex(8)}"


class Simulator:
    def __init__(
        self,
        *,
        store: Store,
        api_key: str,
        latency_ms: int = 0,
        tills: TillActivity | None = None,
    ) -> None:
        self.store = store
        self.tills = tills  # the company's tills acting on their own, as time passes
        self.api_key = api_key
        self.faults = Faults(latency_ms=latency_ms)
        self.requests: deque[LoggedRequest] = deque(maxlen=2000)
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._random = random.Random()

    # --- Entry point ----------------------------------------------------------------------

    def handle(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> SimulatedResponse:
        method = method.upper()
        params = {key: values[-1] for key, values in parse_qs(query).items()}
        if headers.get("x-api-key") != self.api_key:
            return SimulatedResponse.error(401, "Unauthorized", "Unauthorized")
        if path.startswith(CONTROL_PREFIX):
            return self._control(method, path[len(CONTROL_PREFIX) :], body)
        if self.tills is not None:
            self.tills.catch_up()

        payload: Any = None
        if body:
            try:
                payload = json.loads(body)
            except ValueError:
                payload = body.decode("utf-8", "replace")
        rule = self._take_fault(method, path)
        if rule is not None and rule.action == "overwritten":
            response = self._written_then_put_back(method, path, params, payload)
        elif rule is None or rule.when == "after" or rule.action == "delay":
            delay = rule.delay_ms / 1000 if rule is not None and rule.action == "delay" else 0
            if rule is None or rule.when != "after":
                time.sleep(delay)
            response = self._route(method, path, params, payload)
            if rule is not None and rule.when == "after":
                time.sleep(delay)  # a delay after: the write has landed, its answer is late
                response = self._faulty_response(rule) or response
        else:
            response = self._faulty_response(rule) or SimulatedResponse(500)
        with self._lock:
            self.calls[f"{method} {_template(path)}"] += 1
            self.requests.append(LoggedRequest(method, path, params, payload, response.status))
        return response

    def _written_then_put_back(
        self, method: str, path: str, params: dict[str, str], payload: Any
    ) -> SimulatedResponse:
        """The write lands and is answered; then the record as it was before is saved again,
        with a later updatedAt, as a till's stale copy would be."""
        parts = path.split("/")
        kind, item_id = (parts[3], parts[4]) if len(parts) == 5 else ("", "")
        before = self.store.get(kind, item_id) if method == "PUT" and kind == "session" else None
        response = self._route(method, path, params, payload)
        written = self.store.get(kind, item_id) if before is not None else None
        if before is not None and written is not None and response.status == 200:
            self.store.replace(kind, {**before, "updatedAt": _later_than(written.get("updatedAt"))})
        return response

    def _take_fault(self, method: str, path: str) -> FaultRule | None:
        faults = self.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        roll = self._random.random()
        if roll < faults.error_rate:
            return FaultRule(action="status", status=503)
        if roll < faults.error_rate + faults.slow_rate:
            time.sleep(faults.slow_ms / 1000)
        with self._lock:
            for rule in faults.rules:
                if rule.matches(method, path) and rule.take():
                    return rule
        return None

    @staticmethod
    def _faulty_response(rule: FaultRule) -> SimulatedResponse | None:
        if rule.action == "drop":
            return SimulatedResponse(0, drop_connection=True)
        if rule.action == "malformed":
            return SimulatedResponse(200, (rule.body or '{"id": "5f1d7a').encode())
        if rule.action == "status":
            if rule.body is not None:
                response = SimulatedResponse(rule.status, rule.body.encode(), "text/html")
            elif rule.status in (502, 503, 504):  # gateways answer in HTML, not the API's JSON
                html = f"<html><body><h1>{rule.status} Bad Gateway</h1></body></html>"
                response = SimulatedResponse(rule.status, html.encode(), "text/html")
            else:
                response = SimulatedResponse.error(
                    rule.status,
                    rule.messages or reason_phrase(rule.status),
                    reason_phrase(rule.status),
                )
            response.headers.update(rule.headers)
            return response
        return None

    # --- Routing --------------------------------------------------------------------------

    def _route(
        self, method: str, path: str, params: dict[str, str], payload: Any
    ) -> SimulatedResponse:
        parts = path.split("/")
        if len(parts) < 4 or parts[1:3] != ["v1", "api"] or "" in parts[3:]:
            return SimulatedResponse.error(404, f"Cannot {method} {path}", "Not Found")
        resource = parts[3]
        item_id = parts[4] if len(parts) == 5 else None
        if len(parts) > 5:
            return SimulatedResponse.error(404, f"Cannot {method} {path}", "Not Found")

        collections = {"stations": "station", "outlets": "outlet", "transactions": "transaction"}
        if resource in collections and item_id is None:
            if method != "GET":
                return method_not_allowed("GET")
            return self._list(collections[resource], params)
        if resource not in ("session", "station", "outlet"):
            return SimulatedResponse.error(404, f"Cannot {method} {path}", "Not Found")
        if item_id is None:
            if method != "POST":
                return method_not_allowed("POST")
            if not isinstance(payload, dict):
                return body_required()
            return self._create(resource, payload)
        if method == "GET":
            return self._get(resource, item_id)
        if method == "PUT":
            if not isinstance(payload, dict):
                return body_required()
            return self._update(resource, item_id, payload)
        if method == "DELETE":
            return self._delete(resource, item_id)
        return method_not_allowed("GET, PUT, DELETE")

    def _list(self, kind: str, params: dict[str, str]) -> SimulatedResponse:
        problems = []
        numbers = {}
        for name in ("skip", "limit"):
            raw = params.get(name)
            if raw is None:
                continue
            try:
                value = float(raw)
            except ValueError:
                problems.append(f"{name} must be a number")
                continue
            if value != value or value in (float("inf"), float("-inf")):
                problems.append(f"{name} must be a number")
            elif value < 0:
                problems.append(f"{name} must not be less than 0")
            else:
                numbers[name] = min(int(value), MAX_PAGE_NUMBER)
        if problems:
            return SimulatedResponse.error(400, problems, "Bad Request")
        limit = numbers.get("limit") or None  # 0 or absent: everything (undocumented)
        session_id = params.get("sessionId") if kind == "transaction" else None
        items = self.store.find(
            kind, skip=numbers.get("skip", 0), limit=limit, session_id=session_id
        )
        return SimulatedResponse.json(200, items)

    def _get(self, kind: str, item_id: str) -> SimulatedResponse:
        body = self.store.get_raw(kind, item_id)
        if body is None:
            return not_found(kind, item_id)
        return SimulatedResponse(200, body.encode())

    def _create(self, kind: str, payload: dict[str, Any]) -> SimulatedResponse:
        clean, problems = VALIDATORS[kind](payload, partial=False)
        if problems:
            return SimulatedResponse.error(400, problems, "Bad Request")
        stamp = now_iso()
        document = {
            **clean,
            "id": new_id(),
            "companyId": COMPANY_ID,
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        if kind == "outlet":
            document["sequenceNumber"] = self.store.count("outlet") + 1
            document.setdefault("stations", [])
        self.store.insert(kind, document)
        if kind == "station":
            self._link_station(document["id"], None, document.get("outletId"))
        return SimulatedResponse.json(201, document)

    def _update(self, kind: str, item_id: str, payload: dict[str, Any]) -> SimulatedResponse:
        existing = self.store.get(kind, item_id)
        if existing is None:
            return not_found(kind, item_id)
        # Sessions take the whole record (as on create); stations and outlets merge.
        clean, problems = VALIDATORS[kind](payload, partial=kind != "session")
        if problems:
            return SimulatedResponse.error(400, problems, "Bad Request")
        server_fields = {
            key: existing[key]
            for key in ("id", "companyId", "createdAt", "sequenceNumber")
            if key in existing
        }
        base = {} if kind == "session" else existing
        document = {
            **base,
            **clean,
            **server_fields,
            "updatedAt": _later_than(existing.get("updatedAt")),
        }
        self.store.replace(kind, document)
        if kind == "station" and existing.get("outletId") != document.get("outletId"):
            self._link_station(item_id, existing.get("outletId"), document.get("outletId"))
        return SimulatedResponse.json(200, document)

    def _delete(self, kind: str, item_id: str) -> SimulatedResponse:
        existing = self.store.get(kind, item_id)
        if existing is None or not self.store.delete(kind, item_id):
            return not_found(kind, item_id)
        if kind == "station":
            self._link_station(item_id, existing.get("outletId"), None)
        return SimulatedResponse.json(
            200, {"statusCode": 200, "message": f"Resource with Id {item_id} deleted successfully"}
        )

    def _link_station(
        self, station_id: str, old_outlet: str | None, new_outlet: str | None
    ) -> None:
        """Keeps outlet.stations in step with station.outletId (which is authoritative)."""
        for outlet_id, add in ((old_outlet, False), (new_outlet, True)):
            outlet = self.store.get("outlet", outlet_id) if outlet_id else None
            if outlet is None:
                continue
            stations = [s for s in outlet.get("stations", []) if s != station_id]
            if add:
                stations.append(station_id)
            outlet["stations"] = stations
            self.store.replace("outlet", outlet)

    # --- Control endpoints (not part of the API) ------------------------------------------

    def _control(self, method: str, name: str, body: bytes) -> SimulatedResponse:
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            return SimulatedResponse.error(400, "body must be JSON", "Bad Request")
        if name == "faults" and method == "GET":
            return SimulatedResponse.json(200, asdict(self.faults))
        if name == "faults" and method == "PUT":
            try:
                self.faults = Faults.from_dict(payload)
            except (TypeError, ValueError) as error:
                return SimulatedResponse.error(400, str(error), "Bad Request")
            return SimulatedResponse.json(200, asdict(self.faults))
        if name == "requests" and method == "GET":
            with self._lock:
                log = [asdict(entry) for entry in self.requests]
                calls = dict(self.calls)
            return SimulatedResponse.json(200, {"calls": calls, "requests": log})
        if name == "requests" and method == "DELETE":
            self.reset_log()
            return SimulatedResponse.json(200, {"calls": {}, "requests": []})
        if name == "transactions" and method == "POST":
            try:
                return SimulatedResponse.json(201, self.record_transaction(**payload))
            except (TypeError, ValueError) as error:
                return SimulatedResponse.error(400, str(error), "Bad Request")
        return SimulatedResponse.error(404, f"Cannot {method} {CONTROL_PREFIX}{name}", "Not Found")

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.calls.clear()

    def record_transaction(
        self,
        *,
        sessionId: str,
        paymentMethod: str,
        amount: str,
        type: str = "sale",
        currency: str | None = None,
        paymentData: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Records a sale or refund on a session, as a till would (tests, demo); in the demo's
        currency unless another is named. ``paymentData`` is kept as sent."""
        if not TRANSACTION_AMOUNT.fullmatch(str(amount)):
            raise ValueError("amount must be a money amount like 12.50")
        if self.store.get("session", sessionId) is None:
            raise ValueError(f"no session {sessionId}")
        stamp = now_iso()
        document: dict[str, Any] = {
            "id": new_id(),
            "companyId": COMPANY_ID,
            "createdAt": stamp,
            "updatedAt": stamp,
            "sessionId": sessionId,
            "paymentMethod": paymentMethod,
            "amount": str(amount),
            "currency": currency or demo_currency.code(),
            "type": type,
            "balance": str(amount),
        }
        if paymentData is not None:
            document["paymentData"] = paymentData
        self.store.insert("transaction", document)
        return document


def _template(path: str) -> str:
    parts = path.rstrip("/").split("/")
    if len(parts) == 5:
        parts[4] = "{id}"
    return "/".join(parts)


def _later_than(previous: str | None) -> str:
    """updatedAt must change on every write, even two writes within one millisecond."""
    stamp = now_iso()
    if previous and stamp <= previous:
        moment = datetime.fromisoformat(previous).timestamp() + 0.001
        when = datetime.fromtimestamp(moment, UTC)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}+00:00"
    return stamp
