"""The load of the fault run (bench/faults.py): cashiers who open and close shifts through the
board, as people do, each answer noted with the second it came; and /healthz watched twice a
second."""

import re
import threading
import time
from typing import Any

import requests

from bench.serving import sign_in

PASSWORD = "faults-run-password-42"  # noqa: S105 - the run's own accounts
THINK = 0.2  # seconds a cashier waits between two steps
HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|close_request_id)"[^>]*value="([^"]*)"')


class Run:
    """The load, its answers, and a timeline of what happened when."""

    def __init__(self, web_url: str) -> None:
        self.web_url = web_url
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.answers: list[tuple[float, str, int]] = []  # (second, what, status; 0: no answer)
        self.told_saved: list[tuple[str, str]] = []  # (what, shift id) a cashier was told saved
        self.health: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def now(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def note(self, what: str, status: int) -> None:
        with self.lock:
            self.answers.append((self.now(), what, status))

    def send(self, browser: requests.Session, method: str, path: str, what: str, **kwargs: Any):
        url = self.web_url + path
        if method == "POST":
            kwargs.setdefault("headers", {})["Referer"] = url
        try:
            response = browser.request(method, url, allow_redirects=False, timeout=40, **kwargs)
        except requests.RequestException:
            self.note(what, 0)
            return None
        self.note(what, response.status_code)
        return response

    def watch_health(self) -> None:
        while not self.stop.wait(0.5):
            try:
                status = requests.get(f"{self.web_url}/healthz", timeout=5).status_code
            except requests.RequestException:
                status = 0
            with self.lock:
                self.health.append((self.now(), status))

    def cashier(self, number: int, tills: list[str]) -> None:
        from django.db import connection

        from sessions_app.models import SessionRecord

        browser = None
        while browser is None and not self.stop.is_set():
            try:
                browser = sign_in(self.web_url, f"cashier{number}", PASSWORD)
            except Exception:
                self.note("sign in", 0)
                time.sleep(1)
        try:
            while not self.stop.is_set():
                for till in tills:
                    if self.stop.is_set():
                        break
                    self.send(browser, "GET", "/", "board")
                    open_here = SessionRecord.objects.filter(
                        station_id=till, close_time__isnull=True, deleted_at__isnull=True
                    ).first()
                    if open_here is None:
                        self.open(browser, till)
                    else:
                        self.close(browser, open_here.id)
                    time.sleep(THINK)
        finally:
            connection.close()

    def open(self, browser: requests.Session, till: str) -> None:
        from sessions_app.models import SessionRecord

        page = self.send(browser, "GET", f"/sessions/open/?station={till}", "open form")
        fields = dict(HIDDEN.findall(page.text)) if page is not None else {}
        if "csrfmiddlewaretoken" not in fields:
            return
        data = {**fields, "station": till, "opening_amount": "200.00", "opening_note": ""}
        response = self.send(browser, "POST", "/sessions/open/", "open", data=data)
        if response is not None and response.status_code == 302:
            record = SessionRecord.objects.filter(station_id=till, close_time__isnull=True).first()
            with self.lock:
                self.told_saved.append(("opened", record.id if record else f"till {till}"))

    def close(self, browser: requests.Session, session_id: str) -> None:
        path = f"/sessions/{session_id}/close/"
        page = self.send(browser, "GET", path, "close form")
        if page is None or page.status_code != 200:
            return
        fields = dict(HIDDEN.findall(page.text))
        data = fields | {
            "counted_cash": "200.00",
            "counted_card": "0.00",
            "counted_oliverPay": "0.00",
            "closing_note": "",
            "action": "confirm",
        }
        response = self.send(browser, "POST", path, "close", data=data)
        if response is not None and response.status_code == 302:
            with self.lock:
                self.told_saved.append(("closed", session_id))
