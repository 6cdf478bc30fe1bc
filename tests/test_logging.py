"""Logs: one JSON line per event in production, readable text in development, and one line per
request carrying the request id that the response returns."""

import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bench.serving import free_port, start_web
from finalpos_dashboard.log_format import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[1]
REQUESTS_LOGGER = "finalpos_dashboard.requests"


def _json_record(**extra) -> dict:
    try:
        raise ValueError("the drawer does not add up")
    except ValueError:
        record = logging.getLogger("sessions_app.example").makeRecord(
            "sessions_app.example",
            logging.ERROR,
            __file__,
            1,
            "Close of %s failed",
            ("S-2026-0001",),
            sys.exc_info(),
            extra=extra,
        )
    return json.loads(JsonFormatter().format(record))


def test_a_json_record_is_one_line_with_utc_time_and_the_traceback_inside():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.makeLogRecord(
            {"msg": "failed", "levelno": logging.ERROR, "exc_info": sys.exc_info()}
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["time"].endswith("Z") and "T" in entry["time"]
    assert entry["exc_info"].startswith("Traceback") and "ValueError: boom" in entry["exc_info"]


def test_a_json_record_carries_its_message_level_logger_and_extra_fields():
    entry = _json_record(station="Till 1")
    assert entry["message"] == "Close of S-2026-0001 failed"
    assert entry["level"] == "ERROR" and entry["logger"] == "sessions_app.example"
    assert entry["station"] == "Till 1"
    assert "request_id" not in entry  # made outside a request


def test_each_request_gets_an_id_returned_in_the_response_and_one_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUESTS_LOGGER)
    response = client.get("/accounts/login/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [record for record in caplog.records if record.name == REQUESTS_LOGGER]
    assert line.getMessage().startswith("GET /accounts/login/ 200 ")
    assert (line.method, line.path, line.status) == ("GET", "/accounts/login/", 200)
    assert line.request_id == request_id
    assert isinstance(line.duration_ms, float) and line.duration_ms >= 0


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get(
        "/accounts/login/", HTTP_X_REQUEST_ID="3f2a9c1e-77b0-4c1d-9e55-1b2c3d4e5f60"
    )
    assert response["X-Request-ID"] == "3f2a9c1e-77b0-4c1d-9e55-1b2c3d4e5f60"


@pytest.mark.parametrize("forged", ["two words", "id\nfake log line", "x" * 201, "<script>", ""])
def test_an_insane_incoming_request_id_is_replaced(client, forged):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=forged)
    assert response["X-Request-ID"] != forged and len(response["X-Request-ID"]) == 32


def test_records_made_while_serving_a_request_carry_its_id(client, cashier):
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        response = client.post(
            "/accounts/login/", {"username": cashier.username, "password": "wrong"}
        )
    finally:
        logging.getLogger().removeHandler(handler)
    entries = [json.loads(line) for line in output.getvalue().splitlines()]
    failure = next(entry for entry in entries if entry["logger"] == "sessions_app.signin")
    assert failure["request_id"] == response["X-Request-ID"]
    assert all(entry["request_id"] == response["X-Request-ID"] for entry in entries)


def test_a_healthy_probe_is_logged_below_info(client, caplog):
    caplog.set_level(logging.DEBUG, logger=REQUESTS_LOGGER)
    client.get("/healthz")
    [line] = [record for record in caplog.records if record.name == REQUESTS_LOGGER]
    assert line.levelno == logging.DEBUG


def _log_from_django(**env: str) -> str:
    code = (
        "import django, logging; django.setup();"
        "log = logging.getLogger('sessions_app.example');"
        "log.info('first');"
        "\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('second')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("FINALPOS_", "LOG_"))},
            "DJANGO_SETTINGS_MODULE": "finalpos_dashboard.settings",
            "SECRET_KEY": "x" * 60,
            "DATABASE_CACHE": "true",
            "FINALPOS_API_KEY": "live-key",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_logs_are_json_lines():
    lines = _log_from_django(DEBUG="false").splitlines()
    assert len(lines) == 2  # the traceback stays inside its record
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "first"
    assert "ZeroDivisionError" in second["exc_info"]


def test_development_logs_are_text():
    output = _log_from_django(DEBUG="true")
    assert " INFO sessions_app.example first" in output
    assert "Traceback (most recent call last)" in output
    assert not output.startswith("{")


def test_gunicorn_and_its_workers_write_only_json_lines_in_utc(tmp_path, collected_static):
    """The Procfile's web command with production settings in New York time: gunicorn's own
    lines (a worker booting, one killed) are JSON like the requests', all stamped in UTC (the
    workers used to stamp -0500: Django sets TZ from TIME_ZONE)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "web.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FINALPOS_", "LOG_"))},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "finalpos_dashboard.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DATABASE_CACHE": "true",
        "FINALPOS_API_KEY": "live-key",
        "TIME_ZONE": "America/New_York",
        "WEB_CONCURRENCY": "1",
        "PORT": str(port),
    }
    env.pop("REDIS_URL", None)
    web = start_web(env, url, log)
    try:
        requests.get(f"{url}/accounts/login/", timeout=30)
        children = Path(f"/proc/{web.pid}/task/{web.pid}/children").read_text()
        [worker] = [int(pid) for pid in children.split()]
        os.kill(worker, signal.SIGKILL)
        for _ in range(100):
            if log.read_text().count("Booting worker") >= 2:
                break
            time.sleep(0.1)
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert all(entry["time"].endswith("Z") for entry in entries)
    loggers = {entry["logger"] for entry in entries}
    assert {"gunicorn.error", "finalpos_dashboard.requests"} <= loggers
    assert any("was sent SIGKILL" in entry["message"] for entry in entries)
