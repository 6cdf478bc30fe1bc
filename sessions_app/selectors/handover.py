"""Handover between shifts: the float the last shift on a till left in the drawer."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from sessions_app.models import SessionRecord, Station


@dataclass(frozen=True)
class LeftInDrawer:
    amount: Decimal
    session_id: str
    session_number: str


def left_in_drawer(till_ids: list[str]) -> dict[str, LeftInDrawer]:
    """Per till, what its last closed shift said to leave in the drawer (where it said so): one
    query whatever the number of tills, each till's last close found through its index."""
    if not till_ids:
        return {}
    closes = SessionRecord.objects.filter(close_time__isnull=False, deleted_at__isnull=True)
    last_close = closes.filter(station_id=OuterRef("id")).order_by("-close_time").values("id")
    lasts = Station.objects.filter(id__in=till_ids).values(last=Subquery(last_close[:1]))
    found = closes.filter(id__in=lasts, left_in_drawer__isnull=False).values_list(
        "station_id", "left_in_drawer", "id", "session_number"
    )
    return {
        station_id: LeftInDrawer(amount=amount, session_id=session_id, session_number=number)
        for station_id, amount, session_id, number in found
        if amount is not None
    }
