"""Serving the dashboard the way production does, for the measurements in bench/: the
Procfile's `web:` command under gunicorn, on a free loopback port, the simulator as its own
HTTP server, and signing in over HTTP."""

import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "bench" / "gunicorn_hooks.py"
# Worker recycling: a worker restarting in the middle of a measurement would put its boot
# (and a cold first request) into the figures, so the benchmark serves without it.
RECYCLING = re.compile(r"\s--max-requests(?:-jitter)?(?:=|\s+)\S+")


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


def procfile_web_command(env: dict[str, str], *, for_bench: bool = False) -> list[str]:
    """The Procfile's web command with its ${VAR:-default}s filled in. For the benchmark,
    without worker recycling and with bench/gunicorn_hooks.py, which notes each worker boot."""
    line = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    command = line.split(":", 1)[1].strip()
    command = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: env.get(m[1], m[2]), command)
    if for_bench:
        command = RECYCLING.sub("", command) + f" --config {shlex.quote(str(HOOKS))}"
    return shlex.split(command)


def start_web(
    env: dict[str, str], url: str, log: Path, *, for_bench: bool = False, wait: bool = True
) -> subprocess.Popen:
    """gunicorn in its own process group, so stopping it stops its workers too. With
    wait=False nothing is requested from it (the first request is the caller's)."""
    process = subprocess.Popen(
        procfile_web_command(env, for_bench=for_bench),
        cwd=ROOT,
        env=env,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if wait:
        wait_for(f"{url}/healthz", timeout=60)
    return process


def worker_boots(path: Path) -> list[int]:
    """The pids of the workers booted so far, from the file bench/gunicorn_hooks.py writes."""
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def wait_for_workers(path: Path, count: int, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        booted = worker_boots(path)
        if len(booted) >= count:
            return booted
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn workers did not boot ({path})")


def start_simulator(
    env: dict[str, str], port: int, store: Path, latency_ms: int, log: Path
) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runsimulator",
            f"127.0.0.1:{port}",
            "--db",
            str(store),
            "--latency-ms",
            str(latency_ms),
        ],
        cwd=ROOT,
        env=env | {"DEBUG": "true"},
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),
    )
    wait_for(f"http://127.0.0.1:{port}/_simulator/faults")
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
