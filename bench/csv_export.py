"""The CSV of every shift, as the first request a new gunicorn worker serves: a second
gunicorn (the same command, one worker) is started, nothing is asked of it until its worker
has loaded the application, and then the owner's unfiltered export is streamed. Memory is read
from /proc: VmRSS before and after, and the worker's peak (VmHWM)."""

import os
import signal
import time
from pathlib import Path
from typing import Any

import requests

from bench.machine import memory_mb, recorded
from bench.serving import free_port, start_web, wait_for_workers


def measure(env: dict[str, str], cookie: str, var: Path) -> dict[str, Any]:
    port = free_port()
    boots = var / "csv-workers.log"
    boots.unlink(missing_ok=True)
    env = env | {"PORT": str(port), "WEB_CONCURRENCY": "1", "BENCH_WORKER_LOG": str(boots)}
    log = var / "gunicorn-csv.log"
    web = start_web(env, f"http://127.0.0.1:{port}", log, for_bench=True, wait=False)
    figures: dict[str, Any] = {}
    try:
        worker = wait_for_workers(boots, 1)[0]
        time.sleep(0.5)  # the worker's own start-up settles
        figures["rss_before_mb"] = round(memory_mb(worker), 1)
        lines = 0
        with recorded(figures):
            started = time.perf_counter()
            with requests.get(
                f"http://127.0.0.1:{port}/sessions/export.csv",
                cookies={"sessionid": cookie},
                stream=True,
                allow_redirects=False,
                timeout=300,
            ) as response:
                figures["status"] = response.status_code
                figures["content_type"] = response.headers.get("Content-Type", "")
                first = None
                for chunk in response.iter_content(chunk_size=1 << 16):
                    if first is None:
                        first = time.perf_counter()
                    lines += chunk.count(b"\n")
            figures["seconds"] = round(time.perf_counter() - started, 3)
            figures["first_byte_s"] = round((first or time.perf_counter()) - started, 3)
        figures["rows"] = max(lines - 1, 0)
        figures["rss_after_mb"] = round(memory_mb(worker), 1)
        figures["rss_peak_mb"] = round(memory_mb(worker, "VmHWM"), 1)
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(30)
    # The access log shows every request that instance served: this one only.
    figures["requests_served"] = sum('"GET ' in line for line in log.read_text().splitlines())
    figures["workers_booted"] = len(wait_for_workers(boots, 1))
    return figures
