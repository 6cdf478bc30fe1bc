"""Load generators. Every answer is checked: a status other than 200 (a redirect to the sign-in
page included) or a body without the page's marker or shorter than expected is counted as
wrong, never as a fast answer.

- one_connection: sequential requests on one keep-alive connection (Python's http.client),
  for latency without queueing.
- many_connections: wrk with bench/wrk_report.lua (or Python threads when wrk is missing), for
  throughput.
"""

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).resolve().parent / "wrk_report.lua"


@dataclass(frozen=True)
class Check:
    """What a right answer looks like: status 200, the marker in the body, at least
    min_bytes long."""

    marker: str
    min_bytes: int

    def wrong(self, status: int, body: bytes) -> str | None:
        if status != 200:
            return "status"
        if len(body) < self.min_bytes or self.marker.encode() not in body:
            return "body"
        return None


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def one_connection(
    port: int, path: str, cookie: str | None, check: Check, *, requests: int, seconds: float
) -> dict:
    """Up to `requests` sequential GETs on one connection, stopping after `seconds`."""
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timings: list[float] = []
    wrong = {"status": 0, "body": 0}
    deadline = time.monotonic() + seconds
    try:
        while len(timings) < requests and time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            timings.append((time.perf_counter() - started) * 1000)
            problem = check.wrong(response.status, body)
            if problem:
                wrong[problem] += 1
            if response.will_close:
                connection.close()
    finally:
        connection.close()
    timings.sort()
    return {
        "requests": len(timings),
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(timings[-1], 2) if timings else 0.0,
        "wrong_status": wrong["status"],
        "wrong_body": wrong["body"],
    }


def many_connections(
    port: int, path: str, cookie: str | None, check: Check, *, seconds: int, connections: int
) -> dict:
    if shutil.which("wrk"):
        return _wrk(port, path, cookie, check, seconds=seconds, connections=connections)
    return _threads(port, path, cookie, check, seconds=seconds, connections=connections)


def _wrk(
    port: int, path: str, cookie: str | None, check: Check, *, seconds: int, connections: int
) -> dict:
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
    ]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    env = os.environ | {"BENCH_MARKER": check.marker, "BENCH_MIN_BYTES": str(check.min_bytes)}
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _threads(
    port: int, path: str, cookie: str | None, check: Check, *, seconds: int, connections: int
) -> dict:
    """The fallback when wrk is missing: one thread per connection."""
    latencies: list[float] = []
    wrong = {"status": 0, "body": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            problem = check.wrong(response.status, body)
            with lock:
                latencies.append(elapsed)
                if problem:
                    wrong[problem] += 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(latencies[-1], 2) if latencies else 0.0,
        "wrong_status": wrong["status"],
        "wrong_body": wrong["body"],
        "socket_errors": 0,
    }
