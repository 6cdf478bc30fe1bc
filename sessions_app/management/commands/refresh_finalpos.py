"""Re-reads outlets, stations and recent shifts from Final POS into the local index (once, or in
a loop for the worker process)."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions_app.finalpos import FinalPOSError
from sessions_app.services import catalog_refresh, sessions_refresh

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Refreshes the cached outlets and stations and the open and recent shifts from Final "
        "POS. --loop keeps refreshing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="refresh forever (a worker process)"
        )
        parser.add_argument("--interval", type=int, default=60, help="seconds between refreshes")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                result = catalog_refresh()
                self.stdout.write(
                    f"Refreshed {result.outlets} outlets and {result.stations} stations."
                )
                shifts = sessions_refresh()
                self.stdout.write(
                    f"Refreshed {shifts.refreshed} shifts ({shifts.gone} gone, "
                    f"{shifts.failed} failed, {shifts.station_statuses_fixed} till statuses fixed)."
                )
                if shifts.failed and not options["loop"]:
                    raise CommandError(f"{shifts.failed} shifts could not be refreshed.")
            except FinalPOSError as error:
                if not options["loop"]:
                    raise CommandError(f"Refresh failed: {error.message}") from None
                self.stderr.write(f"Refresh failed, will retry: {error.message}")
            except Exception:
                if not options["loop"]:
                    raise
                # A worker that dies stops till statuses and history from being kept fresh:
                # log whatever went wrong and try again on the next pass.
                logger.exception("Refresh pass failed; the next pass will try again")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
