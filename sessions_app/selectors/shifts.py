"""Which indexed shifts a user may see, one by id, and the names to show beside them."""

from django.db.models import QuerySet

from sessions_app.finalpos.records import is_valid_id
from sessions_app.models import Outlet, SessionRecord, Station
from sessions_app.roles import User
from sessions_app.selectors.scope import in_scope


def shifts_visible_to(*, user: User) -> QuerySet[SessionRecord]:
    """Indexed shifts at the user's outlets (tombstones included)."""
    return in_scope(SessionRecord.objects.all(), user=user)


def names_for(records: list[SessionRecord]) -> tuple[dict[str, str], dict[str, str]]:
    """Outlet and station names for a page of shifts (two queries)."""
    outlets = dict(
        Outlet.objects.filter(id__in={r.outlet_id for r in records}).values_list("id", "name")
    )
    tills = dict(
        Station.objects.filter(id__in={r.station_id for r in records}).values_list("id", "name")
    )
    return outlets, tills


def shift_for_user(*, user: User, session_id: str) -> SessionRecord | None:
    if not is_valid_id(session_id):
        return None
    return shifts_visible_to(user=user).filter(id=session_id).first()


def shift_twins(*, record: SessionRecord) -> list[SessionRecord]:
    """Other open shifts with the same number on the same till: an open whose answer was lost,
    then opened again, when the first had landed after all."""
    if not record.is_open:
        return []
    return list(
        SessionRecord.objects.filter(
            station_id=record.station_id,
            session_number=record.session_number,
            close_time__isnull=True,
            deleted_at__isnull=True,
        ).exclude(id=record.id)
    )
