"""`make bench`: runs bench/suite.py once per database (SQLite, and PostgreSQL when one answers)
and writes bench/RESULTS.md with both side by side. Nothing is asserted: figures are reported
against the targets.

Knobs (environment variables), with their defaults:

- BENCH_DATABASES=sqlite,postgres (postgres only when BENCH_POSTGRES_URL answers)
- BENCH_POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:5432/finalpos_bench (the bench drops
  and creates that database; its name must contain "bench")
- BENCH_DATABASE_URL: one database to run on instead (sqlite:///path or postgres://...)
- BENCH_REDIS_URL or REDIS_URL: Redis as the cache of the PostgreSQL run (give it a database
  of its own, e.g. redis://127.0.0.1:6379/9)
- BENCH_SHIFTS=200000, BENCH_LATENCY_MS=100, BENCH_CONNECTIONS=8, BENCH_DURATION=10,
  BENCH_WARMUP=2, BENCH_ONE_REQUESTS=200, BENCH_ONE_SECONDS=10, BENCH_CLOSES=100,
  BENCH_SOAK=60, BENCH_SOAK_CASHIERS=4, BENCH_LOST_EVERY=5, BENCH_QUERIES=1

A quick look while developing: BENCH_SHIFTS=20000 BENCH_DURATION=3 BENCH_ONE_SECONDS=3
BENCH_CLOSES=10 BENCH_SOAK=15 make bench
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import config, report  # noqa: E402


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


def _maintenance(url: str) -> tuple[str, str]:
    """The server's maintenance database URL and the bench database's name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must say bench")
    return urlunsplit(parts._replace(path="/postgres")), name


def _without_password(value: str) -> str:
    parts = urlsplit(value)
    if not parts.password:
        return value
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{parts.hostname}:{parts.port}"))


def postgres_answers(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(_maintenance(url)[0], connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    server, name = _maintenance(url)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def databases() -> list[tuple[str, str]]:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return [("postgres" if explicit.startswith("postgres") else "sqlite", explicit)]
    sqlite = f"sqlite:///{config.VAR / 'sqlite' / 'dashboard.sqlite3'}"
    wanted = [
        name.strip() for name in os.environ.get("BENCH_DATABASES", "").split(",") if name.strip()
    ]
    if not wanted:
        wanted = ["sqlite"]
        if postgres_answers(config.POSTGRES_URL):
            wanted.append("postgres")
        else:
            say(f"no PostgreSQL answers at {urlsplit(config.POSTGRES_URL).netloc}: SQLite only")
    urls = {"sqlite": sqlite, "postgres": config.POSTGRES_URL}
    unknown = set(wanted) - set(urls)
    if unknown:
        raise SystemExit(f"BENCH_DATABASES: unknown {', '.join(sorted(unknown))}")
    return [(name, urls[name]) for name in wanted]


def main() -> None:
    runs, elapsed, failed = [], {}, []
    for name, url in databases():
        if name == "postgres":
            recreate_postgres(url)
        redis = config.REDIS_URL if name == "postgres" else ""
        started = time.monotonic()
        say(f"{name}: {_without_password(url)}" + (f", cache {redis}" if redis else ""))
        finished = subprocess.run(
            [sys.executable, "-m", "bench.suite", name, url, redis], cwd=ROOT, check=False
        )
        elapsed[name] = time.monotonic() - started
        if finished.returncode:
            failed.append(name)
            say(f"{name}: the run failed (exit {finished.returncode}); see bench/var/{name}/")
            continue
        runs.extend(report.load_runs([name]))
    if runs:
        knobs = " ".join(
            f"{k}={_without_password(v)}"
            for k, v in sorted(os.environ.items())
            if k.startswith("BENCH_")
        )
        commands = [f"{knobs} make bench".strip()]
        report.remember(commands, elapsed)
        report.write(runs, commands=commands, elapsed=elapsed)
        say(f"wrote {config.RESULTS.relative_to(ROOT)}")
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
