"""`make bench`: seeds the dashboard at scale, serves it with gunicorn (the Procfile's web
command) against the simulator over loopback HTTP, loads it with wrk, and writes
bench/RESULTS.md. Nothing here is asserted: the figures are reported against the targets.

Environment knobs: BENCH_LATENCY_MS (simulator latency, default 100), BENCH_DURATION (seconds
per wrk run, default 10), BENCH_SOAK (soak seconds, default 60), BENCH_CONNECTIONS (default 8),
BENCH_DATABASE_URL (default: a SQLite file under bench/var).
"""

import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.serving import free_port, start_web, wait_for  # noqa: E402
from bench.serving import sign_in as sign_in_at  # noqa: E402

VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "RESULTS.md"
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "100"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
CLOSES = 100
PASSWORD = "bench-password-" + secrets.token_hex(4)
API_KEY = "bench-key-" + secrets.token_hex(6)


SIM_PORT, WEB_PORT = free_port(), free_port()
SIM_URL, WEB_URL = f"http://127.0.0.1:{SIM_PORT}", f"http://127.0.0.1:{WEB_PORT}"

ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
    "CSRF_COOKIE_SECURE": "false",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{VAR / 'dashboard.sqlite3'}"),
    "FINALPOS_API_KEY": API_KEY,
    "FINALPOS_BASE_URL": SIM_URL,
    "FINALPOS_SIMULATOR_API_KEY": API_KEY,
    # Production refuses a per-process cache; REDIS_URL, when set, wins over the database cache.
    "DATABASE_CACHE": "true",
    "LOG_LEVEL": "INFO",
    "PORT": str(WEB_PORT),
    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
}
ENV.pop("DJANGO_SETTINGS_MODULE", None)


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Seeding ------------------------------------------------------------------------------


def seed() -> dict:
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "finalpos_dashboard.settings"
    import django

    django.setup()
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone

    from bench import scale
    from finalpos_simulator.store import Store
    from sessions_app.finalpos.records import Session
    from sessions_app.models import OutletAssignment, SessionRecord, StaffProfile
    from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP
    from sessions_app.services import catalog_refresh, session_index_save

    now = timezone.now()
    store = Store(str(VAR / "simulator.sqlite3"))
    store.clear()
    documents = scale.simulator_documents(now)
    for kind, items in documents.items():
        store.insert_many(kind, items)
    store.set_meta("seeded_at", now.isoformat())

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    simulator = start_simulator()
    catalog_refresh()
    zone = ZoneInfo(settings.TIME_ZONE)
    batch = []
    for row in scale.closed_shift_rows(now, zone):
        batch.append(SessionRecord(**row))
        if len(batch) == 5000:
            SessionRecord.objects.bulk_create(batch)
            batch = []
    SessionRecord.objects.bulk_create(batch)
    for document in documents["session"]:
        session_index_save(Session.from_wire(document))
    seeded_in = time.perf_counter() - started

    users = get_user_model().objects
    regional = users.create_user(
        "regional",
        password=PASSWORD,
        first_name="Rae",
        last_name="Regional",
        email="rae@bench.invalid",
    )
    regional.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    cashier = users.create_user(
        "cashier", password=PASSWORD, first_name="Bench", last_name="Cashier"
    )
    cashier.groups.add(Group.objects.get_or_create(name=CASHIER_GROUP)[0])
    users.create_superuser("owner", "owner@bench.invalid", PASSWORD)
    for index in range(scale.OUTLETS):
        if index < scale.REGIONAL_OUTLETS:
            OutletAssignment.objects.create(user=regional, outlet_id=scale.outlet_id(index))
        OutletAssignment.objects.create(user=cashier, outlet_id=scale.outlet_id(index))
    StaffProfile.objects.create(user=regional, variance_alerts=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    return {
        "simulator": simulator,
        "indexed": SessionRecord.objects.count(),
        "seeded_in": seeded_in,
        "open_ids": [document["id"] for document in documents["session"]],
        "report_id": SessionRecord.objects.filter(close_time__isnull=False)
        .order_by("-open_time")
        .values_list("id", flat=True)
        .first(),
        "outlet": scale.outlet_id(0),
    }


# --- Processes ----------------------------------------------------------------------------


def start_simulator() -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runsimulator",
            f"127.0.0.1:{SIM_PORT}",
            "--db",
            str(VAR / "simulator.sqlite3"),
            "--latency-ms",
            str(LATENCY_MS),
        ],
        cwd=ROOT,
        env=ENV | {"DEBUG": "true"},
        stdout=subprocess.DEVNULL,
        stderr=open(VAR / "simulator.log", "w"),
    )
    wait_for(f"{SIM_URL}/_simulator/faults")
    return process


def worker_pids(master: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_times() -> tuple[int, int]:
    """(steal, total) jiffies from /proc/stat: time the hypervisor gave to other guests."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return fields[7] if len(fields) > 7 else 0, sum(fields)


def steal_share(start: tuple[int, int], end: tuple[int, int]) -> float:
    total = end[1] - start[1]
    return 100 * (end[0] - start[0]) / total if total else 0.0


CONTROL = {"x-api-key": API_KEY}


def simulator_calls() -> int:
    calls = requests.get(f"{SIM_URL}/_simulator/requests", headers=CONTROL, timeout=10).json()[
        "calls"
    ]
    return sum(calls.values())


# --- Measurements -------------------------------------------------------------------------


@dataclass
class Load:
    name: str
    path: str
    figures: dict = field(default_factory=dict)
    upstream_per_view: float | None = None


def wrk(path: str, cookie: str | None, seconds: int, connections: int = CONNECTIONS) -> dict:
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run(
        [*command, WEB_URL + path], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def python_load(
    path: str, cookie: str | None, seconds: int, connections: int = CONNECTIONS
) -> dict:
    """The fallback when wrk is missing: threads with keep-alive sessions."""
    latencies: list[float] = []
    bad = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        nonlocal bad
        browser = requests.Session()
        if cookie:
            browser.cookies.set("sessionid", cookie)
        while time.monotonic() < stop:
            started = time.perf_counter()
            status = browser.get(WEB_URL + path, allow_redirects=False).status_code
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                bad += status >= 400

    threads = [threading.Thread(target=client) for _ in range(connections)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))]

    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": latencies[-1],
        "non_2xx_3xx": bad,
        "socket_errors": 0,
    }


LOAD = wrk if shutil.which("wrk") else python_load


def measure_pages(loads: list[Load], cookies: dict[str, str]) -> None:
    for load in loads:
        cookie = cookies.get(load.name.split(" · ")[-1])
        LOAD(load.path, cookie, 2)  # warm-up
        before = simulator_calls()
        cpu_before = cpu_times()
        load.figures = LOAD(load.path, cookie, DURATION)
        load.figures["steal"] = steal_share(cpu_before, cpu_times())
        load.upstream_per_view = (simulator_calls() - before) / max(load.figures["requests"], 1)
        say(
            f"{load.name}: {load.figures['rps']:.0f} req/s, p95 {load.figures['p95_ms']:.1f} ms"
            f" (CPU steal {load.figures['steal']:.0f} %)"
        )


def measure_in_process(loads: list[Load], repeats: int = 30) -> None:
    """Each page rendered by Django's test client in this process, one at a time: the
    dashboard's own cost per view, without gunicorn, sockets or queueing."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    for load in loads:
        browser = Client()
        role = load.name.split(" · ")[-1]
        if role in ("regional", "owner"):
            browser.force_login(users.get(username=role))
        browser.get(load.path)
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            browser.get(load.path)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        load.figures["alone_p50_ms"] = timings[len(timings) // 2]
        load.figures["alone_p95_ms"] = timings[int(len(timings) * 0.95)]


UPSTREAM_LINE = re.compile(r"finalpos \w+ \S+ -> \d+ in ([\d.]+) ms")


def measure_closes(open_ids: list[str], cashier: requests.Session) -> dict:
    """Sequential closes: the POST's latency minus the upstream round trips it made (read from
    the client's own log lines, which time each call)."""
    log = VAR / "gunicorn.log"
    totals, upstream, calls = [], [], []
    for session_id in open_ids[:CLOSES]:
        url = f"{WEB_URL}/sessions/{session_id}/close/"
        form = cashier.get(url).text
        fields = dict(
            re.findall(
                r'name="(csrfmiddlewaretoken|close_request_id|updated_at)"'
                r'[^>]*value="([^"]*)"',
                form,
            )
        )
        fields |= {
            "counted_cash": "254.20",
            "counted_card": "31.75",
            "counted_oliverPay": "0",
            "closing_note": "",
            "variance_reason": "",
            "action": "confirm",
        }
        time.sleep(0.05)
        offset = log.stat().st_size
        started = time.perf_counter()
        response = cashier.post(url, data=fields, headers={"Referer": url}, allow_redirects=False)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 302:
            raise RuntimeError(f"close of {session_id} answered {response.status_code}")
        time.sleep(0.05)
        with log.open() as handle:
            handle.seek(offset)
            spent = [float(ms) for ms in UPSTREAM_LINE.findall(handle.read())]
        totals.append(elapsed)
        upstream.append(sum(spent))
        calls.append(len(spent))
    overhead = sorted(total - up for total, up in zip(totals, upstream, strict=True))
    return {
        "closes": len(totals),
        "p50_ms": sorted(totals)[len(totals) // 2],
        "p95_ms": sorted(totals)[int(len(totals) * 0.95)],
        "upstream_calls": sum(calls) / len(calls),
        "upstream_ms_mean": sum(upstream) / len(upstream),
        "overhead_p50_ms": overhead[len(overhead) // 2],
        "overhead_p95_ms": overhead[int(len(overhead) * 0.95)],
    }


def measure_csv(owner_cookie: str, web: subprocess.Popen) -> dict:
    pids = worker_pids(web)
    baseline = {pid: rss_mb(pid) for pid in pids}
    peak = dict(baseline)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in pids:
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    peak[pid] = max(peak[pid], rss_mb(pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    lines = 0
    with requests.get(
        f"{WEB_URL}/sessions/export.csv",
        cookies={"sessionid": owner_cookie},
        stream=True,
        timeout=120,
    ) as response:
        response.raise_for_status()
        for chunk in response.iter_content(chunk_size=1 << 16):
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    growth = max(peak[pid] - baseline[pid] for pid in pids)
    return {
        "rows": lines - 1,
        "seconds": elapsed,
        "rss_growth_mb": growth,
        "rss_before_mb": max(baseline.values()),
    }


def measure_soak(regional_cookie: str, web: subprocess.Popen) -> dict:
    requests.put(
        f"{SIM_URL}/_simulator/faults",
        json={
            "latency_ms": LATENCY_MS,
            "error_rate": 0.1,
            "slow_rate": 0.1,
            "slow_ms": 3000,
        },
        headers=CONTROL,
        timeout=10,
    ).raise_for_status()
    refresher = subprocess.Popen(
        [sys.executable, "manage.py", "refresh_finalpos", "--loop", "--interval", "5"],
        cwd=ROOT,
        env=ENV,
        stdout=open(VAR / "refresh.log", "w"),
        stderr=subprocess.STDOUT,
    )
    samples: list[tuple[float, float]] = []
    done = threading.Event()

    def sample() -> None:
        begun = time.monotonic()
        while not done.wait(5):
            samples.append((time.monotonic() - begun, sum(rss_mb(pid) for pid in worker_pids(web))))

    rss_start = sum(rss_mb(pid) for pid in worker_pids(web))
    sampler = threading.Thread(target=sample)
    sampler.start()
    figures = LOAD("/", regional_cookie, SOAK_SECONDS)
    done.set()
    sampler.join()
    # SIGTERM, not SIGINT: a background job started by a non-interactive shell ignores SIGINT.
    refresher.terminate()
    refresher.wait(30)
    faults_seen = requests.get(
        f"{SIM_URL}/_simulator/requests", headers=CONTROL, timeout=10
    ).json()["requests"]
    requests.put(
        f"{SIM_URL}/_simulator/faults", json={"latency_ms": LATENCY_MS}, headers=CONTROL, timeout=10
    )
    return {
        **figures,
        "rss_start_mb": rss_start,
        "rss_samples": samples,
        "upstream_503": sum(1 for entry in faults_seen if entry["status"] == 503),
    }


# --- Report -------------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    import django

    wrk_version = "not installed (Python load generator used)"
    if shutil.which("wrk"):
        wrk_version = (
            subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
            or "wrk"
        )
    database = ENV["DATABASE_URL"].split(":", 1)[0]
    return (
        f"{platform.node()}: {os.cpu_count()} CPU ({cpu}), {int(memory) // 1024} MB RAM, "
        f"{platform.platform()}; Python {platform.python_version()}, Django "
        f"{django.get_version()}, database {database}; load: {wrk_version}"
    )


def verdict(value: float, target: float, *, higher: bool = False) -> str:
    met = value >= target if higher else value <= target
    if met:
        return "met"
    gap = (target - value) if higher else (value - target)
    return f"**missed by {gap:.1f}**"


def write_results(seeded: dict, loads: list[Load], closes: dict, csv: dict, soak: dict) -> None:
    by_name = {load.name: load for load in loads}
    health = by_name["/healthz"].figures
    board = by_name["Board · regional"].figures
    history = by_name["History, filtered · regional"].figures
    rows = "\n".join(
        f"| {load.name} | `{load.path}` | {load.figures['rps']:.0f} | "
        f"{load.figures['p50_ms']:.1f} | {load.figures['p95_ms']:.1f} | "
        f"{load.figures['p99_ms']:.1f} | {load.figures['non_2xx_3xx']} | "
        f"{load.upstream_per_view:.3f} | {load.figures['steal']:.0f} % | "
        f"{load.figures['alone_p50_ms']:.1f} / {load.figures['alone_p95_ms']:.1f} |"
        for load in loads
    )
    board_calls = by_name["Board · regional"].upstream_per_view
    history_calls = by_name["History, filtered · regional"].upstream_per_view
    half_health = health["rps"] / 2
    targets = "\n".join(
        f"| {name} | {measured} | {result} |"
        for name, measured, result in [
            ("board p95 ≤ 25 ms", f"{board['p95_ms']:.1f} ms", verdict(board["p95_ms"], 25)),
            (
                f"board ≥ half of `/healthz` throughput ({half_health:.0f} req/s)",
                f"{board['rps']:.0f} req/s",
                verdict(board["rps"], half_health, higher=True),
            ),
            ("history p95 ≤ 40 ms", f"{history['p95_ms']:.1f} ms", verdict(history["p95_ms"], 40)),
            (
                "zero upstream calls per board or history view",
                f"{board_calls:.3f} and {history_calls:.3f}",
                verdict(board_calls + history_calls, 0),
            ),
            (
                "close POST adds ≤ 15 ms to its upstream round trips",
                f"p50 {closes['overhead_p50_ms']:.1f} ms, p95 {closes['overhead_p95_ms']:.1f} ms",
                verdict(closes["overhead_p50_ms"], 15) + " (p50)",
            ),
            (
                "CSV of 200,000 rows in ≤ 3 s",
                f"{csv['seconds']:.2f} s ({csv['rows']:,} rows)",
                verdict(csv["seconds"], 3),
            ),
            (
                "CSV memory growth < 50 MB",
                f"{csv['rss_growth_mb']:.1f} MB",
                verdict(csv["rss_growth_mb"], 50),
            ),
            (
                "soak: no 5xx",
                f"{soak['non_2xx_3xx']} non-2xx of {soak['requests']:,}",
                verdict(soak["non_2xx_3xx"], 0),
            ),
        ]
    )
    memory_curve = ", ".join(f"{t:.0f}s {mb:.0f} MB" for t, mb in soak["rss_samples"])
    text = f"""# Benchmark results

Written by `make bench` on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}. Figures are
measured, never asserted in tests. Re-run with `make bench`.

**Machine:** {machine()}

**Setup:** {seeded["indexed"]:,} indexed shifts (200,000 closed + {len(seeded["open_ids"])}
open) across 50 outlets and 250 tills, seeded in {seeded["seeded_in"]:.0f} s. The dashboard runs
under gunicorn with the Procfile's `web:` command (2 gthread workers × 4 threads) and
production settings (`DEBUG=false`, manifest static files); the simulator runs as a separate
HTTP server on loopback answering every call after {LATENCY_MS} ms. Each page was loaded for
{DURATION} s with {CONNECTIONS} connections after a 2 s warm-up. "regional" is a manager of 5
outlets (25 tills); "owner" is a superuser who sees all 50 outlets (250 tills). wrk, the
simulator and gunicorn share the machine's CPUs. "CPU steal" is the share of CPU time the
hypervisor gave to other guests during each run (from `/proc/stat`); it varies from run to run
on this kind of machine and moves every figure with it. "alone" is the same page rendered 30
times by Django's test client in one process, one request at a time: the dashboard's own cost
per view, without sockets or queueing.

## Pages

Latencies in milliseconds.

| page | path | req/s | p50 | p95 | p99 | non-2xx | upstream / view | steal | alone p50/p95 |
|---|---|---|---|---|---|---|---|---|---|
{rows}

## Targets

| target | measured | result |
|---|---|---|
{targets}

## Close-shift POST

{closes["closes"]} closes, one after another, each on its own till: p50 {closes["p50_ms"]:.0f} ms,
p95 {closes["p95_ms"]:.0f} ms end to end. Each made {closes["upstream_calls"]:.1f} upstream calls
(read the shift, read its transactions, write it, read and write the till's status) taking
{closes["upstream_ms_mean"]:.0f} ms on average by the client's own timing. The dashboard's own
share (total minus upstream) was p50 {closes["overhead_p50_ms"]:.1f} ms and p95
{closes["overhead_p95_ms"]:.1f} ms.

## CSV export

All {csv["rows"]:,} shifts (the owner's unfiltered export) streamed in {csv["seconds"]:.2f} s.
The serving worker's resident memory grew by {csv["rss_growth_mb"]:.1f} MB (from
{csv["rss_before_mb"]:.0f} MB), sampled every 5 ms from `/proc`.

## Soak

{SOAK_SECONDS} s of load on the regional manager's board while the simulator answered 10 % of
calls with 503 and delayed another 10 % by 3 s, with `refresh_finalpos --loop --interval 5`
running beside it ({soak["upstream_503"]} upstream calls failed during the run):
{soak["requests"]:,} requests, {soak["rps"]:.0f} req/s, p95 {soak["p95_ms"]:.1f} ms, p99
{soak["p99_ms"]:.1f} ms, **{soak["non_2xx_3xx"]} non-2xx responses**, {soak["socket_errors"]}
socket errors. Workers' total resident memory: {soak["rss_start_mb"]:.0f} MB at the start;
{memory_curve}.
"""
    RESULTS.write_text(text)


def main() -> None:
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    say(f"seeding (simulator on {SIM_URL}, latency {LATENCY_MS} ms)")
    seeded = seed()
    web = None
    try:
        web = start_web(ENV, WEB_URL, VAR / "gunicorn.log")
        say(f"gunicorn on {WEB_URL}: workers {worker_pids(web)}")
        cookies = {
            name: sign_in_at(WEB_URL, name, PASSWORD).cookies["sessionid"]
            for name in ("regional", "owner")
        }
        today = datetime.now().date()
        loads = [
            Load("/healthz", "/healthz"),
            Load("Board · regional", "/"),
            Load("Board · owner", "/"),
            Load(
                "History, filtered · regional",
                f"/sessions/?outlet={seeded['outlet']}&result=short&sort=-variance"
                f"&date_to={today.isoformat()}",
            ),
            Load("History, first page · owner", "/sessions/"),
            Load("Shift report · owner", f"/sessions/{seeded['report_id']}/"),
        ]
        measure_pages(loads, cookies)
        measure_in_process(loads)
        say("close-shift POSTs")
        closes = measure_closes(seeded["open_ids"], sign_in_at(WEB_URL, "cashier", PASSWORD))
        say(f"closes: overhead p50 {closes['overhead_p50_ms']:.1f} ms")
        say("CSV export of every shift")
        csv = measure_csv(cookies["owner"], web)
        say(f"CSV: {csv['rows']} rows in {csv['seconds']:.2f} s, +{csv['rss_growth_mb']:.1f} MB")
        say(f"soak for {SOAK_SECONDS} s with faults")
        soak = measure_soak(cookies["regional"], web)
        say(f"soak: {soak['non_2xx_3xx']} non-2xx of {soak['requests']}")
        write_results(seeded, loads, closes, csv, soak)
        say(f"wrote {RESULTS.relative_to(ROOT)}")
    finally:
        if web is not None:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(30)
        seeded["simulator"].terminate()
        seeded["simulator"].wait(10)


if __name__ == "__main__":
    main()
