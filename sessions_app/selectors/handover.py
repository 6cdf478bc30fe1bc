"""Handover between shifts: the float the last shift on a till left in the drawer."""

from dataclasses import dataclass
from decimal import Decimal

from sessions_app import closing_report
from sessions_app.models import SessionRecord


@dataclass(frozen=True)
class LeftInDrawer:
    amount: Decimal
    session_id: str
    session_number: str


def left_in_drawer(station_ids: list[str]) -> dict[str, LeftInDrawer]:
    """Per till, what its last closed shift said to leave in the drawer (where it said so)."""
    found: dict[str, LeftInDrawer] = {}
    for station_id in station_ids:
        last = (
            SessionRecord.objects.filter(
                station_id=station_id, close_time__isnull=False, deleted_at__isnull=True
            )
            .order_by("-close_time")
            .only("id", "session_number", "report")
            .first()
        )
        report = closing_report.from_index(last.report) if last else None
        if last is not None and report is not None and report.cash_drop is not None:
            found[station_id] = LeftInDrawer(
                amount=report.cash_drop.leave,
                session_id=last.id,
                session_number=last.session_number,
            )
    return found
