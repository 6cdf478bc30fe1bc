"""A web worker killed in the middle of a close (kill -9, as an out-of-memory killer or a
platform does), after Final POS took the close and before it answered: the Procfile's gunicorn
on the test database, live against the loopback simulator. The cashier's retry is answered in
seconds with the shift closed, never "you are saving a change", and the index says closed."""

import contextlib
import os
import secrets
import threading
import time
from pathlib import Path

import pytest
import requests

from bench.serving import free_port, sign_in, start_web
from sessions_app.models import SessionRecord, ShiftWriteLock
from tests.conftest import PASSWORD, SIMULATOR_KEY, add_faults
from tests.helpers import close_form
from tests.processes import child_env, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def web(simulator, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = child_env(
        FINALPOS_API_KEY=SIMULATOR_KEY,
        FINALPOS_BASE_URL=simulator.url,
        SECRET_KEY=secrets.token_urlsafe(40),
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        WEB_CONCURRENCY="1",
        PORT=str(port),
    )
    master = start_web(env, url, tmp_path / "web.log")
    yield url, master
    os.killpg(master.pid, 15)
    master.wait(timeout=30)


def _workers(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_close_that_landed_before_its_web_worker_was_killed_shows_closed_on_the_retry(
    web, open_shift, cashier, simulator
):
    url, master = web
    close_url = f"{url}/sessions/{open_shift.id}/close/"
    browser = sign_in(url, "cal", PASSWORD)
    form = close_form(browser, close_url)
    # Final POS takes the close, then its answer takes 20 s: the worker is killed meanwhile.
    add_faults(simulator, {"action": "delay", "delay_ms": 20000, "method": "PUT", "when": "after"})

    def press() -> None:
        with contextlib.suppress(requests.RequestException):  # the worker dies under it
            browser.post(close_url, data=form, headers={"Referer": close_url}, timeout=60)

    first = threading.Thread(target=press)
    first.start()
    store = simulator.simulator.store
    wait_until(lambda: "closeTime" in store.get("session", open_shift.id), timeout=30)
    [worker] = _workers(master.pid)
    os.kill(worker, 9)
    first.join(timeout=60)
    assert ShiftWriteLock.objects.filter(session_id=open_shift.id).exists()  # left behind
    assert SessionRecord.objects.get(id=open_shift.id).is_open  # the index never heard
    simulator.simulator.faults.rules.clear()
    wait_until(lambda: len(_workers(master.pid)) == 1 and _workers(master.pid) != [worker], 30)

    started = time.monotonic()
    page = browser.post(close_url, data=form, headers={"Referer": close_url}, timeout=60).text
    took = time.monotonic() - started
    print(f"the retry answered in {took:.2f} s")

    assert "is closed and balanced" in page, page
    assert "saving a change" not in page and "Cal Cashier is" not in page
    assert not SessionRecord.objects.get(id=open_shift.id).is_open
    assert not ShiftWriteLock.objects.filter(session_id=open_shift.id).exists()
