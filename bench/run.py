"""`make bench`: runs bench/suite.py once per database (SQLite, and PostgreSQL when one answers)
and writes bench/RESULTS.md with both side by side. Nothing is asserted: figures are reported
against the targets.

One part alone, for a quick look while working on it (written to bench/var/RESULTS.md, as is
any run with fewer shifts; only a whole run writes bench/RESULTS.md):

    .venv/bin/python bench/run.py --only history --shifts 20000
    .venv/bin/python bench/run.py --only board,open --databases sqlite --reuse

--only takes parts from bench/config.py's PARTS (board, history, insights, report, throughput,
open, close, csv, soak); --reuse keeps the database an earlier run seeded (same --shifts), so
no seeding, but no growth figures either.

Knobs (environment variables), with their defaults:

- BENCH_DATABASES=sqlite,postgres (postgres only when BENCH_POSTGRES_URL answers)
- BENCH_POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:5432/finalpos_bench (the bench drops
  and creates that database; its name must contain "bench")
- BENCH_DATABASE_URL: one database to run on instead (sqlite:///path or postgres://...)
- BENCH_REDIS_URL or REDIS_URL: Redis as the cache of the PostgreSQL run (give it a database
  of its own, e.g. redis://127.0.0.1:6379/9)
- BENCH_SHIFTS=200000, BENCH_LATENCY_MS=100, BENCH_DURATION=8 (each wrk run, at 1 and at 4
  connections), BENCH_WARMUP=2, BENCH_INPROCESS_REQUESTS=30, BENCH_OPENS=20, BENCH_CLOSES=100,
  BENCH_SOAK=60, BENCH_SOAK_CASHIERS=4, BENCH_LOST_EVERY=5
- BENCH_ONLY (as --only), BENCH_REUSE=1 (as --reuse)
"""

import argparse
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


def arguments() -> None:
    """The command line, passed on to each database's run as BENCH_* variables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated parts: " + ", ".join(config.PARTS))
    parser.add_argument("--shifts", type=int, help="closed shifts to seed (200000)")
    parser.add_argument("--databases", help="sqlite, postgres or both (comma-separated)")
    parser.add_argument("--reuse", action="store_true", help="keep an earlier run's seed")
    given = parser.parse_args()
    if given.only:
        unknown = set(given.only.split(",")) - set(config.PARTS)
        if unknown:
            parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
        os.environ["BENCH_ONLY"] = given.only
    if given.shifts:
        os.environ["BENCH_SHIFTS"] = str(given.shifts)
    if given.databases:
        os.environ["BENCH_DATABASES"] = given.databases
    if given.reuse:
        os.environ["BENCH_REUSE"] = "1"


def main() -> None:
    arguments()
    # Only a whole run at full size writes bench/RESULTS.md; any other goes to bench/var/.
    partial = bool(
        os.environ.get("BENCH_ONLY")
        or os.environ.get("BENCH_REUSE")
        or int(os.environ.get("BENCH_SHIFTS") or 200_000) != 200_000
    )
    runs, elapsed, failed = [], {}, []
    for name, url in databases():
        reuse = os.environ.get("BENCH_REUSE") and (config.VAR / name / "seed.json").exists()
        if name == "postgres" and not reuse:
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
        how = f"bench/run.py {' '.join(sys.argv[1:])}" if sys.argv[1:] else "make bench"
        commands = [f"{knobs} {how}".strip()]
        target = config.VAR / "RESULTS.md" if partial else config.RESULTS
        if not partial:
            report.remember(commands, elapsed)
        report.write(runs, commands=commands, elapsed=elapsed, path=target)
        say(f"wrote {target.relative_to(ROOT)}")
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
