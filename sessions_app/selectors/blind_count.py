"""Whether a blind count's expected figures have been shown (services/blind_count.py keeps the
first count from that moment)."""

from datetime import datetime

from sessions_app.models import CountReveal


def count_revealed_at(session_id: str) -> datetime | None:
    reveal = CountReveal.objects.filter(session_id=session_id).only("revealed_at").first()
    return reveal.revealed_at if reveal is not None else None
