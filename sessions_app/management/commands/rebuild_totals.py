"""Recounts the history's per-day and per-month totals from the session index."""

from typing import Any

from django.core.management.base import BaseCommand

from sessions_app.services.daily_totals import daily_totals_rebuild


class Command(BaseCommand):
    help = (
        "Recounts the history's totals per outlet, day and month from the indexed shifts. "
        "Every write keeps them exact; run it after loading shifts into the database by other "
        "means, or once after the first deploy that adds them, when the old processes have "
        "stopped."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days = daily_totals_rebuild()
        self.stdout.write(f"Recounted the totals of {days} outlet-days.")
