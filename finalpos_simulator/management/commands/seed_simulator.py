"""Seeds the embedded simulator with the demo company: `manage.py seed_simulator [--reset]`."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from finalpos_simulator.seed import seed_demo_company
from finalpos_simulator.store import Store


class Command(BaseCommand):
    help = (
        "Seeds the Final POS simulator's store (FINALPOS_SIMULATOR_DB) with the demo company, "
        "unless it is seeded already; --reset seeds it again from scratch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="seed the demo company again")
        parser.add_argument("--db", default=settings.FINALPOS_SIMULATOR_DB, help="SQLite file")

    def handle(self, *args: Any, **options: Any) -> None:
        store = Store(options["db"])
        if options["reset"] or store.get_meta("seeded_at") is None:
            counts = seed_demo_company(store)
            self.stdout.write(f"Seeded the demo company in the simulator: {counts}")
        else:
            self.stdout.write("The simulator already holds the demo company (--reset to reseed).")
