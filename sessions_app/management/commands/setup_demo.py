"""Prepares demo mode: loads the catalog and the shifts from the embedded simulator, and
creates the demo accounts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sessions_app.demo import demo_users_create
from sessions_app.models import SessionNumberSequence, SessionRecord
from sessions_app.services import catalog_refresh, sessions_discover


class Command(BaseCommand):
    help = (
        "Demo mode only: loads outlets, stations and shifts from the built-in Final POS "
        "simulator and creates the demo accounts (--reset forgets the shifts indexed so far). "
        "Does nothing when FINALPOS_API_KEY is set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="forget the shifts indexed so far first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.FINALPOS_DEMO_MODE:
            self.stdout.write("Live mode (FINALPOS_API_KEY is set): no demo accounts created.")
            return
        if options["reset"]:
            SessionRecord.objects.all().delete()
            SessionNumberSequence.objects.all().delete()
        result = catalog_refresh()
        self.stdout.write(f"Loaded {result.outlets} outlets and {result.stations} stations.")
        for username in demo_users_create():
            self.stdout.write(f"Demo account ready: {username}")
        found = sessions_discover()
        self.stdout.write(f"Indexed {found.found} demo shifts.")
