"""Prepares demo mode: loads the catalog and the shifts from the embedded simulator, and
creates the demo accounts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import get_supported_language_variant

from sessions_app.demo import demo_users_create
from sessions_app.models import SessionNumberSequence, SessionRecord, SyncState
from sessions_app.services.catalog import catalog_refresh
from sessions_app.services.daily_totals import daily_totals_rebuild
from sessions_app.services.discovery import shifts_discover


def _demo_language() -> str:
    """The demo accounts speak LANGUAGE_CODE when it is set to another language than the
    default (LANGUAGE_CODE=de make run); otherwise their browser's."""
    if settings.LANGUAGE_CODE.lower() in ("en", "en-us"):
        return ""
    try:
        return get_supported_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return ""


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
        other_currency = SessionRecord.objects.exclude(currency=settings.CURRENCY).exists()
        if other_currency and not options["reset"]:
            self.stdout.write(
                f"The demo company is now in {settings.CURRENCY}: its shifts are indexed afresh."
            )
        if options["reset"] or other_currency:
            SessionRecord.objects.all().delete()
            SessionNumberSequence.objects.all().delete()
            SyncState.objects.filter(name=SyncState.DISCOVERY).delete()
            daily_totals_rebuild()
        result = catalog_refresh()
        self.stdout.write(f"Loaded {result.outlets} outlets and {result.tills} tills.")
        for username in demo_users_create(language=_demo_language()):
            self.stdout.write(f"Demo account ready: {username}")
        found = 0
        for _pass in range(100):  # the whole demo history now, not pass by pass in the worker
            discovered = shifts_discover(pages=100, shifts=1000)
            found += discovered.found
            if discovered.history_done and (not discovered.waiting or not discovered.found):
                break
        self.stdout.write(f"Indexed {found} demo shifts.")
