"""The benchmark's knobs (environment variables) and paths, shared by the orchestrator
(bench/run.py) and each database's run (bench/suite.py)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "RESULTS.md"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


LATENCY_MS = _int("BENCH_LATENCY_MS", 100)  # the simulator's answer time, every call
DURATION = _int("BENCH_DURATION", 8)  # seconds of each wrk run (at 1, then 4 connections)
WARMUP = _int("BENCH_WARMUP", 2)  # seconds of load before each page's runs
CLOSES = _int("BENCH_CLOSES", 100)
SOAK_SECONDS = _int("BENCH_SOAK", 60)
SOAK_CASHIERS = _int("BENCH_SOAK_CASHIERS", 4)
LOST_ANSWER_EVERY = _int("BENCH_LOST_EVERY", 5)  # seconds between lost write answers
OPENS = _int("BENCH_OPENS", 20)
INPROCESS_REQUESTS = _int("BENCH_INPROCESS_REQUESTS", 30)  # of each page, and of the floor
WORKERS = _int("WEB_CONCURRENCY", 2)  # the Procfile's default

# Databases: "sqlite" always works; "postgres" needs a server (BENCH_POSTGRES_URL). The bench
# drops and creates the database named in the URL, so its name must contain "bench".
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/finalpos_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or ""

# What a run measures (BENCH_ONLY, or bench/run.py --only): every part unless told.
PARTS = ("board", "history", "insights", "report", "throughput", "open", "close", "csv", "soak")
ONLY = tuple(p.strip() for p in os.environ.get("BENCH_ONLY", "").split(",") if p.strip()) or PARTS
# Keep the seeded database of an earlier run (same BENCH_SHIFTS) instead of seeding again:
# quick to repeat, but the growth stages cannot be measured.
REUSE = os.environ.get("BENCH_REUSE", "") in ("1", "true", "yes")


def wanted(part: str) -> bool:
    return part in ONLY
