"""gunicorn settings for the benchmark only (bench/serving.py adds `--config` with this file
to the Procfile's web command): each worker writes its pid to BENCH_WORKER_LOG once it has
loaded the application. The bench reads it to know when a fresh worker is ready without
sending it a request, and to count workers booted during a measurement (a restart)."""

import os


def post_worker_init(worker) -> None:
    path = os.environ.get("BENCH_WORKER_LOG")
    if path:
        with open(path, "a") as log:
            log.write(f"{worker.pid}\n")
