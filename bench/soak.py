"""The lost-answer soak (issue 15): cashiers open and close shifts through the dashboard under
gunicorn while Final POS (the simulator) loses the answer to one write every few seconds, and
the refresh worker (`refresh_finalpos --loop --interval 5`) runs beside them. At the end, Final
POS is compared with what the dashboard shows.

The simulated cashiers behave as the open page asks: after an open whose answer was lost, they
press *Check again*, and look at the till (the simulator's store). If it holds no session, a
manager confirms it was not created and opens it again with the same number (a cashier cannot);
if it does, a manager adds it by its id.
"""

import html
import json
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from itertools import cycle
from pathlib import Path
from typing import Any

import requests
from django.db import connection as db_connection
from django.db.models import Q
from django.utils import timezone

from bench import config, scale
from bench.machine import recorded
from bench.serving import ROOT, sign_in
from sessions_app.finalpos.records import time_from_wire
from sessions_app.models import PendingOpen, SessionRecord

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The open page's block on a till held by an open whose answer was lost: its "Check again".
HELD_TILL = '<input type="hidden" name="action" value="check">'
HIDDEN = re.compile(
    r'name="(csrfmiddlewaretoken|close_request_id|updated_at|confirm_not_created)"'
    r'[^>]*value="([^"]*)"'
)
ALERT = re.compile(r'class="alert alert--error"[^>]*>\s*<p>(.*?)</p>', re.S)
STATUS = re.compile(r'" (\d{3}) ')  # gunicorn's access log: "GET / HTTP/1.1" 200 1234
THINK = 0.3  # seconds a cashier waits between two steps

# One write answer lost every LOST_ANSWER_EVERY seconds, in turn: opens, closes and till
# statuses; "after": Final POS made the change and the answer was lost. The last one is lost
# before it lands (the connection drops after the open was sent): the "not created" case.
LOST_ANSWERS = [
    {"action": "drop", "method": "POST", "path_contains": "/v1/api/session", "when": "after"},
    {"action": "status", "status": 500, "method": "PUT", "path_contains": "/v1/api/session/",
     "when": "after"},
    {"action": "malformed", "method": "POST", "path_contains": "/v1/api/session",
     "when": "after"},
    {"action": "drop", "method": "PUT", "path_contains": "/v1/api/session/", "when": "after"},
    {"action": "status", "status": 502, "method": "PUT", "path_contains": "/v1/api/station/",
     "when": "after"},
    {"action": "drop", "method": "POST", "path_contains": "/v1/api/session", "when": "before"},
]  # fmt: skip


def _messages(page: str) -> str:
    """The messages a redirect's target shows (the add-by-id refusal is one)."""
    found = re.findall(r'class="message message--[^"]*"[^>]*>(.*?)</p>', page, re.S)
    text = " ".join(re.sub(r"<[^>]+>", "", item) for item in found) or "no message on the page"
    return html.unescape(" ".join(text.split()))[:90]


def _error_text(page: str) -> str:
    found = ALERT.search(page)
    text = re.sub(r"<[^>]+>", "", found[1]) if found else "no message on the page"
    return html.unescape(" ".join(text.split()))[:90]


class Upstream:
    """What Final POS holds, read straight from the simulator's store (looking at the till)."""

    def __init__(self, store: Path) -> None:
        self.path = store

    def sessions(self, station_id: str | None = None) -> list[dict[str, Any]]:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30) as store:
            rows = store.execute("SELECT body FROM documents WHERE kind = 'session'").fetchall()
        found = [json.loads(row[0]) for row in rows]
        return [s for s in found if station_id is None or s.get("stationId") == station_id]

    def open_on(self, station_id: str) -> list[dict[str, Any]]:
        return [s for s in self.sessions(station_id) if not s.get("closeTime")]


class Soak:
    def __init__(self, *, web_url: str, password: str, store: Path, expected: dict) -> None:
        self.web_url = web_url
        self.password = password
        self.upstream = Upstream(store)
        self.expected = expected  # open shift id -> what its drawer should hold
        self.tally: Counter[str] = Counter()
        self.messages: Counter[str] = Counter()
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        # The manager who adds shifts by id, one cashier at a time (a requests.Session is not
        # shared between threads).
        self.manager = sign_in(web_url, "regional", password)
        self.manager_lock = threading.Lock()

    # --- HTTP, with every answer counted ----------------------------------------------------

    def _send(self, browser: requests.Session, method: str, path: str, **kwargs):
        url = self.web_url + path
        if method == "POST":
            kwargs.setdefault("headers", {})["Referer"] = url
        response = browser.request(method, url, allow_redirects=False, timeout=60, **kwargs)
        if response.status_code >= 400:
            with self.lock:
                self.errors.append(f"{method} {path} -> {response.status_code}")
        return response

    def count(self, what: str, message: str = "") -> None:
        with self.lock:
            self.tally[what] += 1
            if message:
                self.messages[f"{what}: {message}"] += 1

    # --- A cashier ------------------------------------------------------------------------

    def cashier(self, username: str, tills: list[str]) -> None:
        browser = sign_in(self.web_url, username, self.password)
        try:
            while not self.stop.is_set():
                for till in tills:
                    if self.stop.is_set():
                        break
                    try:
                        self.step(browser, till)
                    except Exception as error:  # counted, and the cashier carries on
                        self.count("step failed in the bench", type(error).__name__)
                    time.sleep(THINK)
        finally:
            db_connection.close()

    def step(self, browser: requests.Session, till: str) -> None:
        if PendingOpen.objects.filter(station_id=till).exists():
            self.settle_lost_open(browser, till)
            return
        record = SessionRecord.objects.filter(
            station_id=till, close_time__isnull=True, deleted_at__isnull=True
        ).first()
        if record is None:
            self.open(browser, till)
        else:
            self.close(browser, record)

    def open(self, browser: requests.Session, till: str, *, confirm: str = "") -> None:
        page = self._send(browser, "GET", f"/sessions/open/?station={till}").text
        fields = dict(HIDDEN.findall(page))
        if confirm and fields.get("confirm_not_created") != confirm:
            self.count("open again: page offered no confirmation")
            return
        data = {
            "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
            "station": till,
            "opening_amount": "200.00",
            "opening_note": "",
            "confirm_not_created": confirm,
            "not_created_checked": "on" if confirm else "",
        }
        response = self._send(browser, "POST", "/sessions/open/", data=data)
        what = "open again as the same number" if confirm else "open"
        if response.status_code == 302:
            self.count(f"{what}: opened")
            return
        if HELD_TILL in response.text:  # the page's block on the held till says what happened
            self.count(f"{what}: answer lost, till held")
            self.settle_lost_open(browser, till)
            return
        self.count(f"{what}: refused", _error_text(response.text))

    def settle_lost_open(self, browser: requests.Session, till: str) -> None:
        """The cashier presses *Check again*, then looks at the till: a shift there is added by
        a manager; none, and a manager confirms it was not created and opens it again with the
        same number."""
        page = self._send(browser, "GET", f"/sessions/open/?station={till}").text
        token = TOKEN.search(page)
        self._send(
            browser,
            "POST",
            "/sessions/open/",
            data={
                "csrfmiddlewaretoken": token[1] if token else "",
                "action": "check",
                "station": till,
            },
        )
        pending = PendingOpen.objects.filter(station_id=till).first()
        if pending is None:
            self.count("lost open found by checking again")
            return
        on_till = [
            s for s in self.upstream.open_on(till) if s["sessionNumber"] == pending.session_number
        ]
        if not on_till:
            with self.manager_lock:
                self.open(self.manager, till, confirm=pending.session_number)
            return
        session_id = on_till[0]["id"]
        with self.manager_lock:
            token = TOKEN.search(self._send(self.manager, "GET", "/sessions/").text)
            response = self._send(
                self.manager,
                "POST",
                "/sessions/add/",
                data={"csrfmiddlewaretoken": token[1] if token else "", "session_id": session_id},
            )
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location.rstrip("/").endswith(session_id):
                self.count("lost open found on the till: added by id")
                return
            page = self._send(self.manager, "GET", location).text if location else ""
        self.count("add by id: refused", _messages(page))

    def close(self, browser: requests.Session, record: SessionRecord) -> None:
        path = f"/sessions/{record.id}/close/"
        response = self._send(browser, "GET", path)
        if response.status_code == 302:
            self.count("close: form says already closed")
            return
        fields = dict(HIDDEN.findall(response.text))
        expected = self.expected.get(record.id) or {
            "cash": str(record.opening_amount),
            "card": "0.00",
            "oliverPay": "0.00",
        }
        cash = Decimal(expected["cash"])
        if sum(map(ord, record.id)) % 3 == 0:  # a third of the counts are a little off
            cash += Decimal("1.25")
        data = fields | {
            "counted_cash": str(cash),
            "counted_card": expected["card"],
            "counted_oliverPay": expected["oliverPay"],
            "closing_note": "",
            "variance_reason": "Coins miscounted",
            "action": "confirm",
        }
        response = self._send(browser, "POST", path, data=data)
        if response.status_code == 302:
            self.count("close: closed")
        else:
            self.count("close: refused", _error_text(response.text))

    # --- Final POS losing answers ---------------------------------------------------------

    def lose_answers(self, simulator_url: str, control: dict[str, str]) -> None:
        faults_url = f"{simulator_url}/_simulator/faults"
        rules = cycle(LOST_ANSWERS)
        while not self.stop.is_set():
            rule = next(rules) | {"times": 1}
            requests.put(
                faults_url,
                json={"latency_ms": config.LATENCY_MS, "rules": [rule]},
                headers=control,
                timeout=10,
            ).raise_for_status()
            self.count("lost answers scheduled")
            self.stop.wait(config.LOST_ANSWER_EVERY)
            left = requests.get(faults_url, headers=control, timeout=10).json()["rules"]
            if left and left[0]["times"] == 0:
                self.count("lost answers taken")
                self.count(
                    f"lost answer: {rule['method']} {rule['path_contains']} {rule['action']} "
                    f"({rule['when']})"
                )
        requests.put(
            faults_url, json={"latency_ms": config.LATENCY_MS}, headers=control, timeout=10
        )

    def watch_board(self) -> None:
        """A manager with the board open, reloading it every two seconds."""
        browser = sign_in(self.web_url, "regional", self.password)
        while not self.stop.wait(2):
            try:
                self._send(browser, "GET", "/")
            except requests.RequestException as error:
                self.count("board reload failed in the bench", type(error).__name__)


def _upstream_calls(simulator_url: str, control: dict[str, str]) -> Counter[str]:
    answer = requests.get(f"{simulator_url}/_simulator/requests", headers=control, timeout=10)
    return Counter(answer.json()["calls"])


def compare(upstream: Upstream, tills: list[str], since) -> dict[str, Any]:
    """Final POS against the dashboard at the end of the soak."""
    sessions = upstream.sessions()
    open_upstream = [s for s in sessions if not s.get("closeTime")]
    per_till = Counter(s["stationId"] for s in open_upstream)
    shown = set(
        SessionRecord.objects.filter(close_time__isnull=True, deleted_at__isnull=True).values_list(
            "id", flat=True
        )
    )
    held = set(PendingOpen.objects.values_list("station_id", "session_number"))
    unseen = [
        s["id"]
        for s in open_upstream
        if s["id"] not in shown and (s["stationId"], s["sessionNumber"]) not in held
    ]
    differences: Counter[str] = Counter()
    examples: list[str] = []
    on_tills = {s["id"]: s for s in sessions if s["stationId"] in tills}
    records = {r.id: r for r in SessionRecord.objects.filter(id__in=list(on_tills))}
    for session_id, session in on_tills.items():
        record = records.get(session_id)
        problems = []
        if record is None:
            key = (session["stationId"], session["sessionNumber"])
            if session.get("closeTime") or key not in held:
                problems.append("missing from the index")
        else:
            if record.deleted_at is not None:
                problems.append("marked deleted in the index")
            if (record.close_time is None) != (not session.get("closeTime")):
                problems.append("open/closed differs")
            elif session.get("closeTime") and record.close_time != time_from_wire(
                session["closeTime"]
            ):
                problems.append("close time differs")
            amounts = {k: Decimal(v) for k, v in (session.get("closingAmounts") or {}).items()}
            counted = {k: Decimal(v) for k, v in (record.counted or {}).items()}
            if amounts != counted:
                problems.append("closing amounts differ from counted")
        for problem in problems:
            differences[problem] += 1
            examples.append(f"{session_id}: {problem}")
    index_only = SessionRecord.objects.filter(
        station_id__in=tills, deleted_at__isnull=True, open_time__gte=since
    ).exclude(id__in=list(on_tills))
    for record in index_only:
        differences["in the index, not in Final POS"] += 1
        examples.append(f"{record.id}: in the index, not in Final POS")
    return {
        "upstream_sessions": len(sessions),
        "upstream_open": len(open_upstream),
        "tills_with_two_open": sum(1 for n in per_till.values() if n > 1),
        "open_not_shown_nor_held": len(unseen),
        "open_not_shown_examples": unseen[:5],
        "held_as_unknown": len(held),
        "compared": len(on_tills),
        "disagreements": sum(differences.values()),
        "disagreement_kinds": dict(differences),
        "disagreement_examples": examples[:8],
    }


def run(
    *,
    web_url: str,
    simulator_url: str,
    control: dict[str, str],
    env: dict[str, str],
    password: str,
    store: Path,
    expected: dict,
    gunicorn_log: Path,
    var: Path,
    boots,
) -> dict[str, Any]:
    tills = [scale.station_id(index) for index in range(scale.REGIONAL_OUTLETS * 5)]
    soak = Soak(web_url=web_url, password=password, store=store, expected=expected)
    refresher = subprocess.Popen(
        [sys.executable, "manage.py", "refresh_finalpos", "--loop", "--interval", "5"],
        cwd=ROOT,
        env=env,
        stdout=open(var / "refresh.log", "w"),
        stderr=subprocess.STDOUT,
    )
    figures: dict[str, Any] = {"seconds": config.SOAK_SECONDS, "cashiers": config.SOAK_CASHIERS}
    offset = gunicorn_log.stat().st_size
    booted = boots()
    calls_before = _upstream_calls(simulator_url, control)
    since = timezone.now()
    refresh_rows = (
        SessionRecord.objects.filter(deleted_at__isnull=True)
        .filter(Q(close_time__isnull=True) | Q(close_time__gte=since - timedelta(hours=48)))
        .count()
    )
    threads = [
        threading.Thread(
            target=soak.cashier, args=(f"cashier{n + 1}", tills[n :: config.SOAK_CASHIERS])
        )
        for n in range(config.SOAK_CASHIERS)
    ]
    threads.append(threading.Thread(target=soak.lose_answers, args=(simulator_url, control)))
    threads.append(threading.Thread(target=soak.watch_board))
    with recorded(figures):
        for thread in threads:
            thread.start()
        soak.stop.wait(config.SOAK_SECONDS)
        soak.stop.set()
        for thread in threads:
            thread.join()
        # SIGTERM, not SIGINT: a background job started by a non-interactive shell ignores it.
        refresher.terminate()
        try:  # it ends its pass at a safe point; on a busy machine a pass can take a while
            refresher.wait(120)
        except subprocess.TimeoutExpired:
            refresher.kill()
            refresher.wait(10)
            figures["refresher killed after 120 s"] = True
    with gunicorn_log.open() as handle:
        handle.seek(offset)
        served = Counter(int(code) for code in STATUS.findall(handle.read()))
    refresh_log = (var / "refresh.log").read_text()
    calls = _upstream_calls(simulator_url, control)
    calls.subtract(calls_before)
    return figures | {
        "steps": dict(sorted(soak.tally.items())),
        "refusals": dict(soak.messages.most_common(8)),
        "dashboard_statuses": {str(code): n for code, n in sorted(served.items())},
        "server_errors": sum(n for code, n in served.items() if not 200 <= code < 400),
        "server_error_examples": soak.errors[:5],
        "refresh_passes": refresh_log.count(" shifts ("),
        "refresh_failures": refresh_log.count("Refresh failed")
        + refresh_log.count("Refresh pass failed"),
        "worker_boots": boots() - booted,
        "refresh_rows": refresh_rows,
        "upstream_calls": {name: n for name, n in sorted(calls.items()) if n},
        "end": compare(soak.upstream, tills, since),
    }
