"""The background process (the Procfile's `worker:`): runs queued tasks (review alerts) and
refreshes from Final POS every --interval seconds. Several instances may run: each takes
queued tasks, and one at a time refreshes while the others wait."""

import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sessions_app.services.refresh import refresh_loop


class Command(BaseCommand):
    help = (
        "Runs queued tasks (review alerts) and refreshes from Final POS every --interval "
        "seconds; a second instance waits for the refresh instead of repeating it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=60, help="seconds between refreshes")

    def handle(self, *args: Any, **options: Any) -> None:
        holder = f"{socket.gethostname()}:{os.getpid()}"
        interval = options["interval"]
        if settings.TASKS_BACKEND != "database":  # tasks already run where they are queued
            refresh_loop(interval=interval, holder=holder)
            return
        from django_tasks_db.management.commands.db_worker import Worker

        refresher = threading.Thread(
            target=refresh_loop,
            kwargs={"interval": interval, "holder": holder},
            name="finalpos-refresh",
            daemon=True,  # stops with the task worker (SIGTERM from the platform)
        )
        refresher.start()
        tasks = Worker(
            queue_names=["default"],
            interval=1.0,
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=holder[:64],
            excluded_queue_names=[],
        )
        tasks.configure_signals()
        tasks.run()
