"""/healthz: public, no secrets, and honest about the database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_ok_without_login(client, settings):
    settings.FINALPOS_DEMO_MODE = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "mode": "demo"}
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
        cwd=Path(__file__).resolve().parents[2],
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
    assert json.loads(body) == {"status": "error", "database": "unreachable", "mode": "demo"}
