"""Re-reads outlets, stations and recent shifts from Final POS into the local index, and looks
for shifts the tills opened (once, or in a loop for the worker process)."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions_app.services import RefreshPass, finalpos_refresh

logger = logging.getLogger(__name__)


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
        while True:
            try:
                result = finalpos_refresh()
                self._report(result)
                if result.errors and not options["loop"]:
                    raise CommandError("Refresh failed: " + " ".join(result.errors))
            except CommandError:
                raise
            except Exception:
                if not options["loop"]:
                    raise
                # A worker that dies stops till statuses and history from being kept fresh:
                # log whatever went wrong and try again on the next pass.
                logger.exception("Refresh pass failed; the next pass will try again")
            if not options["loop"]:
                return
            time.sleep(options["interval"])

    def _report(self, result: RefreshPass) -> None:
        if result.catalog is not None:
            self.stdout.write(
                f"Refreshed {result.catalog.outlets} outlets and {result.catalog.stations} "
                "stations."
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
                f"failed, {shifts.station_statuses_fixed} till statuses fixed)."
            )
        for error in result.errors:
            self.stderr.write(f"Refresh problem: {error}")
