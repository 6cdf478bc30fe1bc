"""Redis stopped under a running site: the Procfile's gunicorn with a Redis of its own (a
throwaway redis-server this test starts and stops). Signing in, the board and closing a shift
keep working, /healthz says 503 naming the cache, one warning is logged, and everything is
shared again once Redis is back."""

import os
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from bench.serving import free_port, sign_in, start_web
from sessions_app.models import SessionRecord
from tests.conftest import PASSWORD, SIMULATOR_KEY
from tests.helpers import close_form
from tests.processes import child_env, wait_until

REDIS_SERVER = shutil.which("redis-server") or "redis-server"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


class ThrowawayRedis:
    def __init__(self, port: int, directory: Path) -> None:
        self.port = port
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_and_web(simulator, tmp_path):
    redis = ThrowawayRedis(free_port(), tmp_path)
    redis.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "web.log"
    env = child_env(
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        FINALPOS_API_KEY=SIMULATOR_KEY,
        FINALPOS_BASE_URL=simulator.url,
        SECRET_KEY=secrets.token_urlsafe(40),
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        WEB_CONCURRENCY="1",
        PORT=str(port),
    )
    web = start_web(env, url, log)
    yield redis, url, log
    os.killpg(web.pid, 15)
    web.wait(timeout=30)
    redis.stop()


def _close(browser: requests.Session, url: str) -> str:
    return browser.post(url, data=close_form(browser, url), headers={"Referer": url}).text


def test_with_redis_stopped_sign_in_the_board_and_a_close_keep_working(
    redis_and_web, open_shift, cashier
):
    redis, url, log = redis_and_web
    assert sign_in(url, "cal", PASSWORD).get(f"{url}/").status_code == 200

    redis.stop()

    assert requests.get(f"{url}/accounts/login/", timeout=30).status_code == 200
    cashier_browser = sign_in(url, "cal", PASSWORD)  # a new sign-in, with the cache down
    assert cashier_browser.get(f"{url}/").status_code == 200
    page = _close(cashier_browser, f"{url}/sessions/{open_shift.id}/close/")
    assert "is closed and balanced" in page
    assert not SessionRecord.objects.get(id=open_shift.id).is_open
    health = requests.get(f"{url}/healthz", timeout=30)
    assert health.status_code == 503 and health.json()["cache"] == "unreachable"
    warnings = [
        line for line in log.read_text().splitlines() if "shared cache is unreachable" in line
    ]
    assert len(warnings) == 1, warnings  # one warning, not one per call
    assert " 500 " not in log.read_text()

    redis.start()
    wait_until(lambda: requests.get(f"{url}/healthz", timeout=30).status_code == 200, timeout=30)

    def shared_again() -> bool:  # pages ask the shared cache again 5 s after it failed
        assert cashier_browser.get(f"{url}/").status_code == 200
        return "The shared cache answers again" in log.read_text()

    wait_until(shared_again, timeout=30, step=1)
