"""`manage.py runserver` (what `make run` starts) ends its banner with where to sign in, and
never offers demo sign-ins that do not exist."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sessions_app.management.commands.runserver import sign_in_hint
from tests.helpers import present

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:8000/"


def _make_run_env(database: Path, **extra: str) -> dict[str, str]:
    """The environment `make run` gives runserver (development settings, DEBUG on), on a
    database file of the test's own, with no Final POS variable of this process's."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("FINALPOS_")},
        "DJANGO_SETTINGS_MODULE": "finalpos_dashboard.settings",
        "DEBUG": "true",
        "DJANGO_RUNSERVER_HIDE_WARNING": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def test_demo_mode_names_the_demo_sign_ins(settings, django_user_model):
    settings.FINALPOS_DEMO_MODE = True
    for username in ("manager", "cashier"):
        django_user_model.objects.create_user(username)
    assert sign_in_hint(URL) == (
        "Open http://127.0.0.1:8000/ and sign in as manager / manager-demo (a manager) or "
        "cashier / cashier-demo (a cashier)."
    )


def test_demo_mode_without_the_demo_accounts_says_how_to_make_them(settings):
    settings.FINALPOS_DEMO_MODE = True
    hint = sign_in_hint(URL)
    assert "manager-demo" not in hint and "`make demo` creates them" in hint


def test_live_mode_offers_no_demo_sign_ins(settings, django_user_model):
    settings.FINALPOS_DEMO_MODE = False
    django_user_model.objects.create_user("manager")  # even if such a name exists
    hint = sign_in_hint(URL)
    assert "manager-demo" not in hint and "cashier-demo" not in hint
    assert "manage.py createsuperuser" in hint


def test_the_server_ends_its_banner_with_the_hint(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = _make_run_env(tmp_path / "db.sqlite3", FINALPOS_API_KEY="live-key")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = present(server.stdout).readline()
            if not line:
                break
            lines.append(line.strip())
            if line.startswith("Open "):
                break
    finally:
        server.terminate()
        server.wait(10)
    assert lines[-1].startswith(f"Open http://127.0.0.1:{port}/ and sign in with your own"), lines
    assert f"Starting WSGI development server at http://127.0.0.1:{port}/" in lines


def test_the_server_starts_cleanly_with_the_autoreloader_as_make_run_does(tmp_path):
    """With the autoreloader one thread imports the URLconf while another runs the checks;
    they used to meet a half-imported Final POS client (3 starts in 4 failed)."""
    import select
    import signal

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = _make_run_env(
        tmp_path / "db.sqlite3",
        FINALPOS_SIMULATOR_DB=str(tmp_path / "simulator.sqlite3"),  # demo mode, as make run
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the reloader's child too is stopped below
    )
    lines: list[str] = []
    # Read from the pipe itself: a buffered readline would hold lines that came in one chunk,
    # and select, which sees only the pipe, would then wait for more that never comes.
    pipe = present(server.stdout).fileno()
    pending, ended = "", False
    try:
        deadline = time.monotonic() + 60
        while not ended and time.monotonic() < deadline:  # a dead thread leaves it silent
            ready, _, _ = select.select([pipe], [], [], 1)
            if not ready:
                continue
            chunk = os.read(pipe, 65536).decode(errors="replace")
            if not chunk:
                break
            *complete, pending = (pending + chunk).split("\n")
            for line in complete:
                if not ended:
                    lines.append(line.rstrip())
                    ended = line.startswith("Open ") or "Exception in thread" in line
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    assert not [line for line in lines if "Exception" in line or "Error" in line], lines
    assert lines and lines[-1].startswith(f"Open http://127.0.0.1:{port}/"), lines


def test_serving_a_phone_prints_links_that_answer_here_and_on_the_phone(tmp_path):
    """The README's tip, `ALLOWED_HOSTS=<this machine's address> make run HOST=0.0.0.0`: the
    banner used to print http://0.0.0.0:8000/, and this machine's own 127.0.0.1 answered 400."""
    import requests

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = _make_run_env(
        tmp_path / "db.sqlite3",
        ALLOWED_HOSTS="192.0.2.20",  # the phone reaches this machine at 192.0.2.20
        FINALPOS_API_KEY="live-key",
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"0.0.0.0:{port}"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        banner = ""
        while time.monotonic() < deadline and not banner:
            line = present(server.stdout).readline()
            if not line:
                break
            banner = line.strip() if line.startswith("Open ") else ""
        assert banner.startswith(f"Open http://127.0.0.1:{port}/ "), banner
        assert banner.endswith(f"On another device: http://192.0.2.20:{port}/"), banner
        here = requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
        assert here.status_code == 200
        phone = requests.get(
            f"http://127.0.0.1:{port}/accounts/login/",
            headers={"Host": f"192.0.2.20:{port}"},
            timeout=10,
        )
        assert phone.status_code == 200
    finally:
        server.terminate()
        server.wait(10)


def test_the_demo_server_finds_the_shifts_its_tills_open_by_itself(tmp_path, seed_demo):
    """`make run` keeps the board fresh: its server runs the refresh loop, so a shift a till
    opens (and sells on) reaches the dashboard's index with no one pressing anything."""
    import random
    import signal
    import sqlite3

    from finalpos_simulator.store import Store
    from finalpos_simulator.tills import TillActivity

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database, simulator_db = tmp_path / "db.sqlite3", tmp_path / "simulator.sqlite3"
    env = _make_run_env(
        database,
        FINALPOS_SIMULATOR_DB=str(simulator_db),
        FINALPOS_SIMULATOR_TILLS="false",  # the test's till acts, at its own moment
        DEMO_REFRESH_SECONDS="1",
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    store = Store(str(simulator_db))
    seed_demo(store)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        busy = {s["stationId"] for s in store.find("session", open_only=True)}
        free = next(s for s in store.find("station") if s["id"] not in busy)
        till = TillActivity(store, rng=random.Random(3))
        session = till.open_session(free, cashier="Rosa Lind")
        till.sell(session, count=2)
        found = False
        deadline = time.monotonic() + 60
        while not found and time.monotonic() < deadline:
            time.sleep(0.5)
            try:
                with sqlite3.connect(database) as connection:
                    found = bool(
                        connection.execute(
                            "SELECT 1 FROM sessions_app_sessionrecord WHERE id = ?",
                            (session["id"],),
                        ).fetchone()
                    )
            except sqlite3.OperationalError:  # the first pass is still writing
                continue
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    assert found, "the till's shift never reached the index"
