"""Serving the dashboard the way production does, for the measurements in bench/: the
Procfile's `web:` command under gunicorn, on a free loopback port, and signing in over HTTP."""

import re
import shlex
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def procfile_web_command(env: dict[str, str]) -> list[str]:
    line = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    command = line.split(":", 1)[1].strip()
    command = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: env.get(m[1], m[2]), command)
    return shlex.split(command)


def start_web(env: dict[str, str], url: str, log: Path) -> subprocess.Popen:
    """gunicorn in its own process group, so stopping it stops its workers too."""
    process = subprocess.Popen(
        procfile_web_command(env),
        cwd=ROOT,
        env=env,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for(f"{url}/healthz", timeout=60)
    return process


def sign_in(url: str, username: str, password: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{url}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    browser.post(
        f"{url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/accounts/login/"},
    ).raise_for_status()
    assert "sessionid" in browser.cookies, f"{username} could not sign in"
    return browser
