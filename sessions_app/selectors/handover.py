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


@dataclass(frozen=True)
class TillBeforeOpen:
    """What opening a shift needs to know of a till."""

    indexed_open: tuple[SessionRecord, ...]  # open here as the index last saw them: read again
    left: LeftInDrawer | None  # what the till's last closed shift said to leave, if it did


def till_before_open(till_id: str) -> TillBeforeOpen:
    """The till's open shifts and its last closed one, in one query (each part through its
    own partial index)."""
    live = SessionRecord.objects.filter(station_id=till_id, deleted_at__isnull=True)
    open_ids = live.filter(close_time__isnull=True).order_by().values("id")
    last_close = live.filter(close_time__isnull=False).order_by("-close_time").values("id")[:1]
    # One list of ids, not an OR of two subqueries: PostgreSQL reads every shift for that.
    # The last close is wrapped, as SQLite takes no LIMIT in a part of a UNION.
    last_close_id = SessionRecord.objects.filter(id__in=last_close).order_by().values("id")
    rows = list(SessionRecord.objects.filter(id__in=open_ids.union(last_close_id, all=True)))
    last = next((row for row in rows if row.close_time is not None), None)
    left = (
        LeftInDrawer(
            amount=last.left_in_drawer, session_id=last.id, session_number=last.session_number
        )
        if last is not None and last.left_in_drawer is not None
        else None
    )
    return TillBeforeOpen(
        indexed_open=tuple(row for row in rows if row.close_time is None), left=left
    )


def left_in_drawer_after_check(till_id: str, before: TillBeforeOpen) -> LeftInDrawer | None:
    """What the last close left, once the shifts the index had open here were read again: one
    of them closed on the till meanwhile is the last close now, so it is read again then."""
    if not before.indexed_open:
        return before.left
    return left_in_drawer([till_id]).get(till_id)
