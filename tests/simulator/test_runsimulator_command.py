"""`manage.py runsimulator ADDR:PORT` serves the seeded simulator as a standalone process."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_serves_the_demo_company_with_the_configured_key(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("FINALPOS_")},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "FINALPOS_SIMULATOR_API_KEY": "standalone-key",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runsimulator",
            f"127.0.0.1:{port}",
            "--db",
            str(tmp_path / "s.sqlite3"),
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/v1/api/outlets"
        for _ in range(100):
            try:
                response = requests.get(
                    url, params={"limit": 100}, headers={"x-api-key": "standalone-key"}, timeout=2
                )
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert response.status_code == 200
        assert sorted(o["name"] for o in response.json()) == [
            "Airport Kiosk",
            "Harbour Street",
            "Market Square",
        ]
        assert requests.get(url, headers={"x-api-key": "demo-key"}, timeout=2).status_code == 401
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "Seeded the demo company" in output
