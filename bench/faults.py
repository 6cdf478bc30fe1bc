"""The fault run (`make faults`, about 3 minutes): cashiers open and close shifts through the
Procfile's gunicorn and worker, on PostgreSQL and Redis, live against the simulator over HTTP,
while the dashboard's own stores and processes fail under them one after the other:

1. Redis is stopped for 15 s (a throwaway redis-server of this run), then started again;
2. PostgreSQL is cut for 10 s (every connection of the web and worker processes goes through a
   TCP proxy of this run, which drops them and refuses new ones; the server is never touched);
3. a gunicorn worker is killed with kill -9 in the middle of the load;
4. the task worker is killed with kill -9 and started again 5 s later, as a platform would.

It reports, per fault: the answers people got (5xx, and connections refused or reset), the
time from the end of the fault until /healthz says ok again and the next write succeeds, and
at the end the lost writes: a shift a cashier was told was opened or closed that Final POS
does not have so, and any shift on which the dashboard and Final POS disagree once it has
recovered. Writes bench/FAULTS.md and prints the same.

  FAULTS_POSTGRES_URL   a PostgreSQL database to drop and create (its name must contain
                        "bench"); default postgres://postgres:postgres@127.0.0.1:5432/faults_bench
"""

import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fault_load import PASSWORD, Run  # noqa: E402
from bench.serving import free_port, start_simulator, start_web  # noqa: E402
from bench.tcp_proxy import TcpProxy  # noqa: E402

VAR = ROOT / "bench" / "var" / "faults"
REPORT = ROOT / "bench" / "FAULTS.md"
POSTGRES_URL = os.environ.get(
    "FAULTS_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/faults_bench"
)
KEY = "faults-run-key-0123"
TILLS = 8
CASHIERS = 4


class Redis:
    def __init__(self, port: int) -> None:
        self.port, self.process = port, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(VAR)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        _wait(lambda: _answers(self.port), 10)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _database(url: str) -> None:
    """Drops and creates the run's database (its name must say it is a bench's)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"FAULTS_POSTGRES_URL must name a database with 'bench' in it: {name}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _company(simulator_url: str) -> list[tuple[str, str]]:
    """An outlet with TILLS tills, created in Final POS (the simulator) through its API."""
    headers = {"x-api-key": KEY}
    outlet = requests.post(
        f"{simulator_url}/v1/api/outlet",
        json={"name": "Fault Street", "address": "1 Main St", "city": "Portland", "state": "ME",
              "country": "US", "postCode": "04101", "phone": "+12075550100"},
        headers=headers,
        timeout=10,
    ).json()  # fmt: skip
    tills = []
    for number in range(TILLS):
        station = requests.post(
            f"{simulator_url}/v1/api/station",
            json={"name": f"Till {number + 1}", "outletId": outlet["id"], "status": "AVAILABLE"},
            headers=headers,
            timeout=10,
        ).json()
        tills.append((outlet["id"], station["id"]))
    return tills


def _staff(outlet_id: str) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from sessions_app.models import OutletAssignment, StaffProfile
    from sessions_app.roles import CASHIER_GROUP

    group = Group.objects.get_or_create(name=CASHIER_GROUP)[0]
    for number in range(1, CASHIERS + 1):
        user = get_user_model().objects.create_user(f"cashier{number}", password=PASSWORD)
        user.first_name, user.last_name = "Cashier", str(number)
        user.save()
        user.groups.add(group)
        StaffProfile.objects.create(user=user)
        OutletAssignment.objects.create(user=user, outlet_id=outlet_id)


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _window(run: Run, start: float, end: float) -> dict[str, int]:
    answers = [status for second, _, status in run.answers if start <= second < end]
    return {
        "requests": len(answers),
        "5xx": sum(1 for status in answers if status >= 500),
        "no answer": sum(1 for status in answers if status == 0),
    }


def _recovered(run: Run, after: float) -> dict[str, float | None]:
    healthy = next((s for s, status in run.health if s >= after and status == 200), None)
    write = next(
        (s for s, what, status in run.answers
         if s >= after and what in ("open", "close") and status == 302),
        None,
    )  # fmt: skip
    return {
        "healthz ok after (s)": None if healthy is None else round(healthy - after, 1),
        "next saved write after (s)": None if write is None else round(write - after, 1),
    }


def _compare(store: Path, run: Run, tills: list[str]) -> dict[str, Any]:
    """Final POS (the simulator's store, read directly) against what cashiers were told and
    what the dashboard shows, on the run's tills (the simulator's demo company is not ours)."""
    from sessions_app.models import SessionRecord

    with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30) as database:
        rows = database.execute("SELECT body FROM documents WHERE kind = 'session'").fetchall()
    sessions = [s for s in (json.loads(row[0]) for row in rows) if s["stationId"] in tills]
    upstream = {session["id"]: session for session in sessions}
    lost = [
        f"{what} {shift}"
        for what, shift in run.told_saved
        if shift not in upstream or (what == "closed" and not upstream[shift].get("closeTime"))
    ]
    records = {record.id: record for record in SessionRecord.objects.filter(station_id__in=tills)}
    disagree = []
    for shift, session in upstream.items():
        record = records.get(shift)
        if record is None:
            disagree.append(f"{shift}: in Final POS, not in the dashboard")
        elif (record.close_time is None) != (not session.get("closeTime")):
            disagree.append(f"{shift}: open/closed differs")
    for shift in set(records) - set(upstream):
        disagree.append(f"{shift}: in the dashboard, not in Final POS")
    return {
        "writes told saved": len(run.told_saved),
        "lost writes": len(lost),
        "lost examples": lost[:5],
        "shifts in Final POS": len(upstream),
        "disagreements after recovery": len(disagree),
        "disagreement examples": disagree[:5],
    }


def main() -> None:
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is needed (apt-get install redis-server)")
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "simulator.sqlite3").unlink(missing_ok=True)
    _database(POSTGRES_URL)
    parts = urlsplit(POSTGRES_URL)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    through_proxy = parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:"
                                          f"{proxy.port}").geturl()  # fmt: skip
    redis = Redis(free_port())
    redis.start()
    simulator_port, web_port = free_port(), free_port()
    simulator_url, web_url = f"http://127.0.0.1:{simulator_port}", f"http://127.0.0.1:{web_port}"
    base_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FINALPOS_", "DJANGO_"))},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "FINALPOS_SIMULATOR_API_KEY": KEY,
        "FINALPOS_SIMULATOR_TILLS": "false",  # only the run's cashiers open and close
    }
    simulator = start_simulator(
        base_env, simulator_port, VAR / "simulator.sqlite3", 20, VAR / "simulator.log"
    )
    env = base_env | {
        "DJANGO_SETTINGS_MODULE": "finalpos_dashboard.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": through_proxy,
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "FINALPOS_API_KEY": KEY,
        "FINALPOS_BASE_URL": simulator_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": "2",
        "PORT": str(web_port),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=env | {"DATABASE_URL": POSTGRES_URL}, check=True,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    tills = _company(simulator_url)
    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": "finalpos_dashboard.settings", "DEBUG": "true",
         "DATABASE_URL": POSTGRES_URL, "FINALPOS_API_KEY": KEY,
         "FINALPOS_BASE_URL": simulator_url}
    )  # fmt: skip
    import django

    django.setup()
    _staff(tills[0][0])
    from sessions_app.services.catalog import catalog_refresh

    catalog_refresh()

    web = start_web(env, web_url, VAR / "web.log")
    worker_log = open(VAR / "worker.log", "w")

    def start_worker() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "5"],
            cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    worker = start_worker()
    run = Run(web_url)
    till_ids = [station for _, station in tills]
    threads = [
        threading.Thread(target=run.cashier, args=(n + 1, till_ids[n::CASHIERS]))
        for n in range(CASHIERS)
    ]
    threads.append(threading.Thread(target=run.watch_health))
    for thread in threads:
        thread.start()
    faults: list[dict[str, Any]] = []

    def fault(name: str, start: float, end: float) -> None:
        faults.append({"fault": name, "from (s)": start, "to (s)": end})

    time.sleep(20)
    start = run.now()
    redis.kill()
    time.sleep(15)
    redis.start()
    fault("Redis stopped 15 s", start, run.now())
    time.sleep(20)
    start = run.now()
    proxy.cut()
    time.sleep(10)
    proxy.restore()
    fault("PostgreSQL cut 10 s", start, run.now())
    time.sleep(20)
    start = run.now()
    os.kill(_children(web.pid)[0], signal.SIGKILL)
    fault("a gunicorn worker killed (kill -9)", start, run.now())
    time.sleep(15)
    start = run.now()
    worker.kill()
    worker.wait(10)
    time.sleep(5)
    worker = start_worker()
    fault("the task worker killed (kill -9), restarted 5 s later", start, run.now())
    time.sleep(25)
    run.stop.set()
    for thread in threads:
        thread.join()
    ended = run.now()
    time.sleep(12)  # two refresh passes: the index catches up with what it did not hear

    for index, entry in enumerate(faults):
        until = faults[index + 1]["from (s)"] if index + 1 < len(faults) else ended
        entry["during"] = _window(run, entry["from (s)"], entry["to (s)"])
        entry["after, until the next fault"] = _window(run, entry["to (s)"], until)
        entry.update(_recovered(run, entry["to (s)"]))
    worker_lines = (VAR / "worker.log").read_text()
    report = {
        "load": f"{CASHIERS} cashiers on {TILLS} tills, opening and closing through the board, "
        f"{ended:.0f} s; gunicorn {env['WEB_CONCURRENCY']} workers; PostgreSQL and Redis",
        "requests": len(run.answers),
        "statuses": dict(sorted(Counter(str(s) for _, _, s in run.answers).items())),
        "refused or failed, by request": {
            f"{what} {status}": count
            for (what, status), count in sorted(
                Counter((what, s) for _, what, s in run.answers if s == 0 or s >= 400).items()
            )
        },
        "faults": faults,
        "end": _compare(VAR / "simulator.sqlite3", run, till_ids),
        "worker": {
            "database outage noticed": "The database is unreachable" in worker_lines,
            "tasks re-run after their worker died": worker_lines.count("queued to run again"),
        },
    }
    for process in (worker,):
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    os.killpg(web.pid, signal.SIGTERM)
    web.wait(30)
    simulator.terminate()
    simulator.wait(10)
    redis.kill()
    proxy.close()
    text = json.dumps(report, indent=2)
    print(text)
    REPORT.write_text(
        "# Fault run\n\n`make faults` (bench/faults.py): the Procfile's web and worker on "
        "PostgreSQL and Redis, live against the simulator over HTTP, while Redis, the "
        "database and the processes fail under load. Figures from one run on the development "
        "machine (2 shared cores); `0` in the statuses is a request with no answer.\n\n"
        f"```json\n{text}\n```\n"
    )


if __name__ == "__main__":
    main()
