"""/healthz: public, no secrets, honest about the database and the cache, and reachable by a
platform's probe (plain HTTP, the container's address as its Host)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import redis

from tests.helpers import present

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


def test_it_reports_ok_without_login(client, settings):
    settings.FINALPOS_DEMO_MODE = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "mode": "demo"}
    assert "no-cache" in response["Cache-Control"]


def test_it_reports_live_mode_without_calling_final_pos(client, settings, simulator):
    settings.FINALPOS_DEMO_MODE = False
    settings.FINALPOS_API_KEY = "secret-live-key"
    settings.FINALPOS_BASE_URL = simulator.url
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["mode"] == "live"
    assert sum(simulator.simulator.calls.values()) == 0  # a probe never costs an API call


def test_it_returns_503_when_the_database_is_unreachable(tmp_path):
    # A real unreachable database: an SQLite file in a directory that does not exist.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/db.sqlite3",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {
        "status": "error",
        "database": "unreachable",
        "cache": "ok",
        "mode": "demo",
    }


# --- The cache: a real Redis that stops while the dashboard runs ---------------------------

PROBE_ON_EACH_LINE = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.test import Client
    client = Client()
    for _ in sys.stdin:
        response = client.get("/healthz")
        print("PROBE", response.status_code, json.dumps(response.json()), flush=True)
    """
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own, on a free loopback port."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("redis-server is missing (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=1)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield server, f"redis://127.0.0.1:{port}/0"
    if server.poll() is None:
        server.terminate()
        server.wait(10)


def _probe(dashboard: subprocess.Popen) -> tuple[int, dict]:
    stdin = present(dashboard.stdin)
    stdin.write("probe\n")
    stdin.flush()
    for line in present(dashboard.stdout):  # log lines come first
        if line.startswith("PROBE "):
            _, status, body = line.split(" ", 2)
            return int(status), json.loads(body)
    raise AssertionError("the dashboard process ended without answering")


def test_it_returns_503_naming_the_cache_when_redis_stops(redis_server, tmp_path):
    server, url = redis_server
    dashboard = subprocess.Popen(
        [sys.executable, "-c", PROBE_ON_EACH_LINE],
        cwd=PROJECT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'dashboard.sqlite3'}",
            "REDIS_URL": url,
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _probe(dashboard) == (
            200,
            {"status": "ok", "database": "ok", "cache": "ok", "mode": "demo"},
        )
        server.terminate()
        server.wait(10)
        assert _probe(dashboard) == (
            503,
            {"status": "error", "database": "ok", "cache": "unreachable", "mode": "demo"},
        )
    finally:
        present(dashboard.stdin).close()
        dashboard.wait(30)


# --- Platform probes: plain HTTP, the container's address as the Host ---------------------

PROBE_HOST = "10.0.4.17:8000"  # not in ALLOWED_HOSTS


def test_a_probe_over_plain_http_with_an_unknown_host_gets_the_health(client, settings, caplog):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not [record for record in caplog.records if record.levelname in {"ERROR", "WARNING"}]


def test_other_paths_are_still_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_other_paths_still_refuse_an_unknown_host(client):
    response = client.get("/accounts/login/", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 400


def test_a_probe_cannot_post(client):
    assert client.post("/healthz").status_code == 405
