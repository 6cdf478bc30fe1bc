"""The background process (the Procfile's `worker:`): runs queued tasks (review alerts, till
statuses) with django-tasks-db's own `db_worker` command, and refreshes from Final POS every
--interval seconds. Several instances may run: each takes queued tasks, and one at a time
refreshes while the others wait.

It outlives its stores: a database outage pauses it, and it carries on once the database is
back. SIGTERM (a deploy, a scale-down) lets the task in hand finish, ends the refresh at a safe
point and releases its lease, so the replacement refreshes within seconds. A task whose worker
died is run once more (services/task_recovery.py).
"""

import logging
import secrets
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, InterfaceError, connection

from sessions_app.services.digest import weekly_digests_due
from sessions_app.services.export_lines import export_lines_store
from sessions_app.services.liveness import process_announce
from sessions_app.services.refresh import RefreshPass, lease_let_go, refresh_loop
from sessions_app.services.task_recovery import tasks_recover

logger = logging.getLogger("sessions_app.worker")

# How long a stop waits for a refresh pass in progress before letting go of the lease
# anyway; under the platforms' own grace (Heroku and Fly give 30 s).
STOP_GRACE = 20.0
OUTAGE_BACKOFF = (1.0, 2.0, 5.0, 10.0)  # seconds between tries while the database is away


class Command(BaseCommand):
    help = (
        "Runs queued tasks (review alerts, till statuses) and refreshes from Final POS every "
        "--interval seconds; a second instance waits for the refresh instead of repeating it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=60, help="seconds between refreshes")

    def handle(self, *args: Any, **options: Any) -> None:
        process = _announce_when_the_database_answers()
        stopping = threading.Event()
        token = secrets.token_hex(16)
        with_tasks = settings.TASKS_BACKEND == "database"
        refresher = threading.Thread(
            target=refresh_loop,
            kwargs={
                "interval": options["interval"],
                "holder": process,
                "stopping": stopping,
                "token": token,
                "housekeeping": _recover_tasks if with_tasks else lambda: None,
                "on_pass": _after_a_pass,
            },
            name="finalpos-refresh",
            daemon=True,  # past STOP_GRACE, exiting ends it wherever it is
        )
        refresher.start()
        try:
            if with_tasks:
                _run_tasks(worker_id=process)
            else:  # tasks already run where they are queued: only the refresh
                _wait_for_stop_signal()
        finally:
            stopping.set()
            refresher.join(timeout=STOP_GRACE)
            if refresher.is_alive():
                logger.warning("The refresh pass did not end within %.0f s; stopping", STOP_GRACE)
                lease_let_go(token)
            logger.info("Worker %s stopped", process)


def _after_a_pass(result: RefreshPass) -> None:
    """What the one worker holding the refresh lease does after each pass: queue the weekly
    digests once a week has turned (nothing when none is due), and write again the CSV lines
    a setting made stale (a batch at a time; nothing when none is)."""
    try:
        weekly_digests_due()
    except DatabaseError:
        logger.exception("Weekly digests not queued this pass")
    try:
        written = export_lines_store()
    except DatabaseError:
        logger.exception("Export lines not written this pass")
    else:
        if written:
            logger.info("Wrote the CSV lines of %d shifts again", written)


def _announce_when_the_database_answers() -> str:
    for attempt in range(1_000_000):
        try:
            return process_announce()
        except (DatabaseError, InterfaceError) as error:
            _outage_pause(attempt, error)
    raise AssertionError("unreachable")


def _recover_tasks() -> None:
    tasks_recover()


def _run_tasks(*, worker_id: str) -> None:
    """django-tasks-db's worker, through its command, for as long as this process runs: when
    the database goes away the command ends with the error, and is started again once the
    database answers. SIGTERM ends it (SystemExit from the command's own signal handler, once
    the task in hand is done)."""
    attempt = 0
    while True:
        try:
            # Tasks this process had claimed when the database went away are not running.
            tasks_recover(idle_worker_id=worker_id)
            call_command(
                "db_worker",
                queue_name="default",
                interval=1.0,
                reload=False,
                worker_id=worker_id,
                verbosity=1,
            )
            return
        except (DatabaseError, InterfaceError) as error:
            _outage_pause(attempt, error)
            attempt += 1


def _outage_pause(attempt: int, error: Exception) -> None:
    pause = OUTAGE_BACKOFF[min(attempt, len(OUTAGE_BACKOFF) - 1)]
    log = logger.warning if attempt == 0 else logger.debug
    log("The database is unreachable (%s); the worker tries again in %.0f s", error, pause)
    connection.close()
    time.sleep(pause)


def _wait_for_stop_signal() -> None:
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        logger.info("Received %s: stopping", signal.strsignal(signum))
        stop.set()

    for name in ("SIGTERM", "SIGINT"):
        signal.signal(getattr(signal, name), on_signal)
    stop.wait()
