"""Prepares demo mode: the demo accounts (and, with the simulator, the demo company)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from sessions_app.demo import demo_users_create


class Command(BaseCommand):
    help = "Creates the demo accounts. Does nothing when FINALPOS_API_KEY is set (live mode)."

    def handle(self, *args, **options) -> None:
        if not settings.FINALPOS_DEMO_MODE:
            self.stdout.write("Live mode (FINALPOS_API_KEY is set): no demo accounts created.")
            return
        for username in demo_users_create():
            self.stdout.write(f"Demo account ready: {username}")
