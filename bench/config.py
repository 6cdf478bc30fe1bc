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
DURATION = _int("BENCH_DURATION", 10)  # seconds of each multi-connection run
CONNECTIONS = _int("BENCH_CONNECTIONS", 8)
WARMUP = _int("BENCH_WARMUP", 2)  # seconds of load before each multi-connection run
ONE_REQUESTS = _int("BENCH_ONE_REQUESTS", 200)  # one-connection run: at most this many,
ONE_SECONDS = _int("BENCH_ONE_SECONDS", 10)  # and for at most this long
CLOSES = _int("BENCH_CLOSES", 100)
SOAK_SECONDS = _int("BENCH_SOAK", 60)
SOAK_CASHIERS = _int("BENCH_SOAK_CASHIERS", 4)
LOST_ANSWER_EVERY = _int("BENCH_LOST_EVERY", 5)  # seconds between lost write answers
QUERIES = os.environ.get("BENCH_QUERIES", "1") not in ("0", "false", "no")
WORKERS = _int("WEB_CONCURRENCY", 2)  # the Procfile's default

# Databases: "sqlite" always works; "postgres" needs a server (BENCH_POSTGRES_URL). The bench
# drops and creates the database named in the URL, so its name must contain "bench".
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/finalpos_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or ""
