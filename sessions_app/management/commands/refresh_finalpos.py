"""Re-reads outlets, stations and recent shifts from Final POS into the local index, and looks
for shifts the tills opened (once, or in a loop for the worker process)."""

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions_app.services.liveness import process_announce
from sessions_app.services.refresh import RefreshPass, finalpos_refresh, refresh_loop


class Command(BaseCommand):
    help = (
        "Refreshes the cached outlets and stations and the open and recent shifts from Final "
        "POS, and finds shifts the tills opened. --loop keeps refreshing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="refresh forever (a worker process)"
        )
        parser.add_argument("--interval", type=int, default=60, help="seconds between refreshes")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["loop"]:  # one refreshing process at a time; others wait
            stopping = threading.Event()

            def stop(signum: int, frame: FrameType | None) -> None:
                stopping.set()  # the loop ends at a safe point and lets go of its lease

            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            refresh_loop(
                interval=options["interval"],
                holder=process_announce(),
                stopping=stopping,
                on_pass=self._report,
            )
            return
        result = finalpos_refresh()
        self._report(result)
        if result.errors:
            raise CommandError("Refresh failed: " + " ".join(result.errors))

    def _report(self, result: RefreshPass) -> None:
        if result.catalog is not None:
            self.stdout.write(
                f"Refreshed {result.catalog.outlets} outlets and {result.catalog.tills} tills."
            )
        if result.discovery is not None:
            self.stdout.write(
                f"Found {result.discovery.found} shifts opened elsewhere "
                f"({result.discovery.waiting} still to read)."
            )
        if result.shifts is not None:
            shifts = result.shifts
            self.stdout.write(
                f"Refreshed {shifts.refreshed} shifts ({shifts.gone} gone, {shifts.failed} "
                f"failed, {shifts.till_statuses_fixed} till statuses fixed)."
            )
        for error in result.errors:
            self.stderr.write(f"Refresh problem: {error}")
