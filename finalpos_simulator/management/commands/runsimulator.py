"""Serves the Final POS simulator over HTTP: `manage.py runsimulator [addr:port]`."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from finalpos_simulator.app import Simulator
from finalpos_simulator.seed import seed_demo_company
from finalpos_simulator.server import SimulatorServer
from finalpos_simulator.store import Store
from finalpos_simulator.tills import TillActivity


class Command(BaseCommand):
    help = (
        "Runs the Final POS simulator as an HTTP server. It accepts the key in "
        "FINALPOS_SIMULATOR_API_KEY (default 'demo-key'). Point the dashboard at it with "
        "FINALPOS_BASE_URL=http://ADDR:PORT and FINALPOS_API_KEY=<that key>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8100")
        parser.add_argument("--db", default=settings.FINALPOS_SIMULATOR_DB, help="SQLite file")
        parser.add_argument("--seed", action="store_true", help="(re)seed the demo company first")
        parser.add_argument(
            "--latency-ms", type=int, default=settings.FINALPOS_SIMULATOR_LATENCY_MS
        )
        parser.add_argument(
            "--error-rate", type=float, default=0.0, help="share of calls answered 503"
        )
        parser.add_argument("--slow-rate", type=float, default=0.0, help="share of calls delayed")
        parser.add_argument("--slow-ms", type=int, default=0, help="delay of the slow calls")
        parser.add_argument("--verbose-requests", action="store_true")
        parser.add_argument(
            "--tills",
            action="store_true",
            help="the company's tills open, sell and close on their own as time passes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port = options["addrport"].rpartition(":")
        if not port.isdigit():
            raise CommandError("Give the address as ADDR:PORT, e.g. 127.0.0.1:8100")
        store = Store(options["db"])
        if options["seed"] or store.get_meta("seeded_at") is None:
            counts = seed_demo_company(store)
            self.stdout.write(f"Seeded the demo company: {counts}")
        simulator = Simulator(
            store=store,
            api_key=settings.FINALPOS_SIMULATOR_API_KEY,
            latency_ms=options["latency_ms"],
            tills=TillActivity(store) if options["tills"] else None,
        )
        simulator.faults.error_rate = options["error_rate"]
        simulator.faults.slow_rate = options["slow_rate"]
        simulator.faults.slow_ms = options["slow_ms"]
        server = SimulatorServer(
            simulator, host or "127.0.0.1", int(port), verbose=options["verbose_requests"]
        )
        self.stdout.write(f"Final POS simulator on {server.url} (store: {options['db']})")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
