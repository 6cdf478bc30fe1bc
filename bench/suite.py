"""One database's run of `make bench`: `python -m bench.suite NAME DATABASE_URL [REDIS_URL]`.
Seeds the database in stages, measuring the pages in-process at each (their growth with the
number of shifts is a target), then the board with 1,000 tills, then serves the dashboard with
the Procfile's gunicorn command (without worker recycling) against the simulator over loopback
HTTP and measures throughput, opens, closes, the CSV export and the lost-answer soak. Writes
bench/var/NAME/results.json (bench/report.py turns the runs into bench/RESULTS.md).

BENCH_ONLY picks the parts (config.PARTS); BENCH_REUSE=1 keeps an earlier run's seed."""

import json
import logging
import os
import secrets
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

from bench import config, machine, serving

PASSWORD = "bench-password-" + secrets.token_hex(4)
API_KEY = "bench-key-" + secrets.token_hex(6)


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


def environment(var: Path, database_url: str, redis_url: str) -> dict[str, Any]:
    simulator_port, web_port = serving.free_port(), serving.free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": database_url,
        "FINALPOS_API_KEY": API_KEY,
        "FINALPOS_BASE_URL": f"http://127.0.0.1:{simulator_port}",
        "FINALPOS_SIMULATOR_API_KEY": API_KEY,
        # Production refuses a per-process cache; REDIS_URL, when set, wins over the database cache.
        "DATABASE_CACHE": "true",
        "LOG_LEVEL": "INFO",
        "PORT": str(web_port),
        "WEB_CONCURRENCY": str(config.WORKERS),
        "BENCH_WORKER_LOG": str(var / "workers.log"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return {"env": env, "simulator_port": simulator_port, "web_port": web_port}


def cache_label() -> str:
    """The cache the run really used, from Django's own settings."""
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return {
        "RedisCache": "Redis",
        "DatabaseCache": "the database (DATABASE_CACHE)",
        "BulkDatabaseCache": "the database (DATABASE_CACHE)",
        "LocMemCache": "local memory",
    }.get(backend, backend)


def main(name: str, database_url: str, redis_url: str = "") -> None:
    var = config.VAR / name
    reuse = config.REUSE and (var / "seed.json").exists()
    if var.exists() and not reuse:
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    ports = environment(var, database_url, redis_url)
    env = ports["env"]
    simulator_url = env["FINALPOS_BASE_URL"]
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "finalpos_dashboard.settings"
    import django

    django.setup()
    # The dashboard's INFO lines (one per Final POS call) belong in gunicorn's log, not here.
    logging.getLogger("sessions_app").setLevel(logging.WARNING)
    logging.getLogger("finalpos_dashboard").setLevel(logging.WARNING)
    from django.db import connection

    from bench import growth, seed

    results: dict[str, Any] = {
        "database": name,
        "vendor": connection.vendor,
        "cache": cache_label(),
        "parts": list(config.ONLY),
        "reused_seed": reuse,
        "machine": machine.describe(),
        "settings": {
            "latency_ms": config.LATENCY_MS,
            "duration_s": config.DURATION,
            "warmup_s": config.WARMUP,
            "inprocess_requests": config.INPROCESS_REQUESTS,
            "workers": config.WORKERS,
            "command": " ".join(serving.procfile_web_command(env, for_bench=True)),
        },
        "load_at_start": machine.load_average(),
        "stages": {},
    }
    started = time.monotonic()

    def start_simulator() -> Any:
        return serving.start_simulator(
            env,
            ports["simulator_port"],
            var / "simulator.sqlite3",
            config.LATENCY_MS,
            var / "simulator.log",
        )

    browsers = growth.browsers()
    if reuse:
        say(f"{name}: reusing the seed of an earlier run ({var / 'seed.json'})")
        info = seed.reuse(var / "seed.json", password=PASSWORD, start_simulator=start_simulator)
    else:
        say(f"{name}: seeding (simulator on {simulator_url}, latency {config.LATENCY_MS} ms)")
        info = seed.seed(
            store_path=var / "simulator.sqlite3",
            start_simulator=start_simulator,
            password=PASSWORD,
            cashiers=config.SOAK_CASHIERS,
            at_stage=lambda shifts, info: results["stages"].update(
                {str(shifts): growth.at_stage(shifts, info, browsers, say=say)}
            ),
        )
        seed.remember(var / "seed.json", info)
    simulator = info.pop("simulator")
    results["seed"] = {k: v for k, v in info.items() if k != "open_shifts"}
    say(f"{name}: {info['indexed']:,} shifts indexed; seed check: {info.get('check')}")
    if reuse:
        results["stages"][str(info["closed_shifts"])] = growth.at_stage(
            info["closed_shifts"], info, browsers, say=say
        )
    results["inprocess"] = growth.full(info, browsers, say=say)
    results["inprocess_seconds"] = round(time.monotonic() - started, 1)
    try:
        measure_served(name, var, ports, info, results)
    finally:
        simulator.terminate()
        simulator.wait(10)
    (var / "results.json").write_text(json.dumps(results, indent=1, default=str))
    say(f"{name}: wrote {(var / 'results.json').relative_to(config.ROOT)}")


def measure_served(
    name: str, var: Path, ports: dict[str, Any], info: dict[str, Any], results: dict[str, Any]
) -> None:
    """Everything measured through gunicorn: throughput, opens, closes, the CSV, the soak."""
    if not any(config.wanted(part) for part in ("throughput", "open", "close", "csv", "soak")):
        return
    import requests

    from bench import closes, csv_export, opens, pages, soak

    env, web_port = ports["env"], ports["web_port"]
    simulator_url = env["FINALPOS_BASE_URL"]
    web_url = f"http://127.0.0.1:{web_port}"
    control = {"x-api-key": API_KEY}
    boots_log = var / "workers.log"
    boots_log.unlink(missing_ok=True)

    def boots() -> int:
        return len(serving.worker_boots(boots_log))

    def upstream_calls() -> int:
        answer = requests.get(f"{simulator_url}/_simulator/requests", headers=control, timeout=10)
        return sum(answer.json()["calls"].values())

    if config.wanted("open"):
        tills = opens.free_tills(config.OPENS + 2)
        say(f"{name}: open-a-shift queries (in-process)")
        results["open_queries"] = opens.count_queries(
            tills.pop(), warm_up=tills.pop(), statements_to=var / "open_statements.sql"
        )
    web = serving.start_web(env, web_url, var / "gunicorn.log", for_bench=True)
    try:
        serving.wait_for_workers(boots_log, config.WORKERS)
        booted_at_start = boots()
        cookies = {
            user: serving.sign_in(web_url, user, PASSWORD).cookies["sessionid"]
            for user in ("regional", "owner")
        }
        if config.wanted("throughput"):
            measured: dict[str, Any] = {}
            page_list = pages.pages(info)
            for page in [*page_list, page_list[0]]:
                key = page.key if page.key not in measured else f"{page.key}_again"
                figures = measured[key] = pages.measure(
                    web_port,
                    page,
                    cookies[page.user],
                    upstream_calls=upstream_calls,
                    boots=boots,
                    idle=lambda: machine.wait_idle(machine.children(web.pid)),
                )
                rates = [(c, figures[f"c{c}"]) for c in pages.CONNECTIONS]
                say(
                    f"{name}: {page.name}: "
                    + ", ".join(f"{r['rps']} req/s at {c} (p50 {r['p50_ms']} ms)" for c, r in rates)
                )
            results["pages"] = measured
        if config.wanted("open"):
            machine.wait_idle(machine.children(web.pid))
            say(f"{name}: {len(tills)} opens, one after another")
            results["open"] = opens.measure(
                web_url=web_url,
                simulator_url=simulator_url,
                control=control,
                cashier=serving.sign_in(web_url, "cashier", PASSWORD),
                tills=tills,
                latency_ms=config.LATENCY_MS,
            )
            say(f"{name}: open p50 {results['open']['p50_ms']} ms end to end")
        if config.wanted("close"):
            machine.wait_idle(machine.children(web.pid))
            say(f"{name}: {config.CLOSES} closes, one after another")
            results["close"] = closes.measure(
                web_url=web_url,
                simulator_url=simulator_url,
                control=control,
                cashier=serving.sign_in(web_url, "cashier", PASSWORD),
                shifts=closes.still_open(info["open_shifts"])[: config.CLOSES],
                log=var / "gunicorn.log",
                latency_ms=config.LATENCY_MS,
            )
            say(f"{name}: close p50 {results['close']['p50_ms']} ms end to end")
        if config.wanted("csv"):
            say(f"{name}: CSV export from a fresh worker")
            results["csv"] = csv_export.measure(env, cookies["owner"], var)
            say(f"{name}: CSV {results['csv']['rows']:,} rows in {results['csv']['seconds']} s")
        if config.wanted("soak"):
            say(f"{name}: lost-answer soak for {config.SOAK_SECONDS} s")
            expected = {shift["id"]: shift["expected"] for shift in info["open_shifts"]}
            results["soak"] = soak.run(
                web_url=web_url,
                simulator_url=simulator_url,
                control=control,
                env=env,
                password=PASSWORD,
                store=var / "simulator.sqlite3",
                expected=expected,
                gunicorn_log=var / "gunicorn.log",
                var=var,
                boots=boots,
            )
            say(f"{name}: soak steps {results['soak']['steps']}; end {results['soak']['end']}")
        results["worker_restarts"] = boots() - booted_at_start
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(30)


if __name__ == "__main__":
    main(*sys.argv[1:])
