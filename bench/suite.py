"""One database's run of `make bench`: `python -m bench.suite NAME DATABASE_URL`. Seeds the
database, serves the dashboard with the Procfile's gunicorn command (without worker recycling)
against the simulator over loopback HTTP, measures the pages, a close, the CSV export and the
lost-answer soak, and writes bench/var/NAME/results.json (bench/report.py turns the runs into
bench/RESULTS.md)."""

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

import requests

from bench import config, machine, pages, serving

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


def main(name: str, database_url: str, redis_url: str = "") -> None:
    var = config.VAR / name
    if var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True)
    ports = environment(var, database_url, redis_url)
    env, web_port = ports["env"], ports["web_port"]
    simulator_url = env["FINALPOS_BASE_URL"]
    web_url = f"http://127.0.0.1:{web_port}"
    control = {"x-api-key": API_KEY}
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "finalpos_dashboard.settings"
    import django

    django.setup()
    # The dashboard's INFO lines (one per Final POS call) belong in gunicorn's log, not here.
    logging.getLogger("sessions_app").setLevel(logging.WARNING)
    from django.db import connection

    from bench import closes, csv_export, seed, soak
    from sessions_app.models import SessionRecord

    results: dict[str, Any] = {
        "database": name,
        "vendor": connection.vendor,
        "cache": "redis" if redis_url else "database (DATABASE_CACHE)",
        "machine": machine.describe(),
        "settings": {
            "latency_ms": config.LATENCY_MS,
            "duration_s": config.DURATION,
            "warmup_s": config.WARMUP,
            "connections": config.CONNECTIONS,
            "one_requests": config.ONE_REQUESTS,
            "one_seconds": config.ONE_SECONDS,
            "soak_s": config.SOAK_SECONDS,
            "workers": config.WORKERS,
            "command": " ".join(serving.procfile_web_command(env, for_bench=True)),
        },
        "load_at_start": machine.load_average(),
    }
    say(f"{name}: seeding (simulator on {simulator_url}, latency {config.LATENCY_MS} ms)")
    info = seed.seed(
        store_path=var / "simulator.sqlite3",
        start_simulator=lambda: serving.start_simulator(
            env,
            ports["simulator_port"],
            var / "simulator.sqlite3",
            config.LATENCY_MS,
            var / "simulator.log",
        ),
        password=PASSWORD,
        cashiers=config.SOAK_CASHIERS,
        count_queries=pages.count_queries if config.QUERIES else None,
    )
    simulator = info.pop("simulator")
    results["seed"] = {k: v for k, v in info.items() if k != "open_shifts"}
    info["report_number"] = SessionRecord.objects.get(id=info["report_id"]).session_number
    say(
        f"{name}: {info['indexed']:,} shifts indexed in {info['seed_seconds']} s; "
        f"check against the dashboard's own indexing: {info['check']}"
    )
    web = None
    boots_log = var / "workers.log"

    def boots() -> int:
        return len(serving.worker_boots(boots_log))

    def upstream_calls() -> int:
        answer = requests.get(f"{simulator_url}/_simulator/requests", headers=control, timeout=10)
        return sum(answer.json()["calls"].values())

    try:
        web = serving.start_web(env, web_url, var / "gunicorn.log", for_bench=True)
        serving.wait_for_workers(boots_log, config.WORKERS)
        cookies = {
            user: serving.sign_in(web_url, user, PASSWORD).cookies["sessionid"]
            for user in ("regional", "owner")
        }
        measured: dict[str, Any] = {}
        page_list = pages.pages(info)
        floor = page_list[0]
        for page in [*page_list, floor]:
            key = page.key if page.key not in measured else f"{page.key}_again"
            measured[key] = pages.measure(
                web_port,
                page,
                cookies[page.user],
                upstream_calls=upstream_calls,
                boots=boots,
                idle=lambda: machine.wait_idle(machine.children(web.pid)),
            )
            figures = measured[key]
            say(
                f"{name}: {page.name}: one connection p50 {figures['one']['p50_ms']} ms, "
                f"p95 {figures['one']['p95_ms']} ms; {figures['many']['rps']} req/s with "
                f"{config.CONNECTIONS}; wrong answers "
                f"{figures['many']['wrong_status'] + figures['many']['wrong_body']}"
            )
        results["pages"] = measured

        machine.wait_idle(machine.children(web.pid))
        say(f"{name}: {config.CLOSES} closes, one after another")
        results["close"] = closes.measure(
            web_url=web_url,
            simulator_url=simulator_url,
            control=control,
            cashier=serving.sign_in(web_url, "cashier", PASSWORD),
            shifts=info["open_shifts"][: config.CLOSES],
            log=var / "gunicorn.log",
            latency_ms=config.LATENCY_MS,
        )
        say(f"{name}: close p50 {results['close']['p50_ms']} ms end to end")

        say(f"{name}: CSV export from a fresh worker")
        results["csv"] = csv_export.measure(env, cookies["owner"], var)
        say(f"{name}: CSV {results['csv']['rows']:,} rows in {results['csv']['seconds']} s")

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
        results["worker_boots"] = boots()
    finally:
        if web is not None:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(30)
        simulator.terminate()
        simulator.wait(10)
    (var / "results.json").write_text(json.dumps(results, indent=1, default=str))
    say(f"{name}: wrote {(var / 'results.json').relative_to(config.ROOT)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
