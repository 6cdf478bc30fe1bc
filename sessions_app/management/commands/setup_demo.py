"""Prepares demo mode: seeds the simulator, creates the demo accounts, loads the catalog."""

from django.conf import settings
from django.core.management.base import BaseCommand

from sessions_app.demo import demo_users_create
from sessions_app.models import SessionNumberSequence, SessionRecord
from sessions_app.services import catalog_refresh, session_import
from sessions_app.simulator.adapter import default_simulator
from sessions_app.simulator.seed import seed_demo_company


class Command(BaseCommand):
    help = (
        "Demo mode only: seeds the built-in Final POS simulator with the demo company (once; "
        "--reset seeds it again), creates the demo accounts and loads outlets and stations. "
        "Does nothing when FINALPOS_API_KEY is set."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset", action="store_true", help="seed the demo company again")

    def handle(self, *args, **options) -> None:
        if not settings.FINALPOS_DEMO_MODE:
            self.stdout.write("Live mode (FINALPOS_API_KEY is set): no demo accounts created.")
            return
        store = default_simulator().store
        if options["reset"] or store.get_meta("seeded_at") is None:
            counts = seed_demo_company(store)
            SessionRecord.objects.all().delete()
            SessionNumberSequence.objects.all().delete()
            self.stdout.write(f"Seeded the demo company in the simulator: {counts}")
        for username in demo_users_create():
            self.stdout.write(f"Demo account ready: {username}")
        result = catalog_refresh()
        self.stdout.write(f"Loaded {result.outlets} outlets and {result.stations} stations.")
        # Final POS cannot list sessions; the simulator can, so the demo index starts full.
        known = set(SessionRecord.objects.values_list("id", flat=True))
        new_ids = [session_id for session_id in store.ids("session") if session_id not in known]
        for session_id in new_ids:
            session_import(session_id=session_id)
        self.stdout.write(f"Indexed {len(new_ids)} demo shifts.")
