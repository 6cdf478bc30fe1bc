"""The board as the chain grows: the owner's board measured again with 1,000 tills (200 outlets)
instead of 250. The extra outlets, tills and open shifts are local rows only (the board reads
nothing else), with the seed's share of open tills, and are removed again afterwards."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bench import scale

GROWN_TILLS = 1000


@contextmanager
def grown_catalog(tills: int = GROWN_TILLS) -> Iterator[int]:
    """Outlets and tills added up to `tills` in all (yields the number added), then removed."""
    from sessions_app.models import Outlet, SessionRecord, Station

    now = timezone.now()
    outlets = range(scale.OUTLETS, tills // scale.TILLS_PER_OUTLET)
    stations = range(scale.TILLS, tills)
    open_share = scale.OPEN_SHIFTS / scale.TILLS
    opened = now - timedelta(hours=6)
    Outlet.objects.bulk_create(
        Outlet(id=scale.outlet_id(i), name=f"Store {i + 1:02d}", city="Bangor", fetched_at=now)
        for i in outlets
    )
    Station.objects.bulk_create(
        Station(
            id=scale.station_id(i),
            outlet_id=scale.outlet_id(i // scale.TILLS_PER_OUTLET),
            name=f"Till {i % scale.TILLS_PER_OUTLET + 1}",
            status="IN_USE" if i % scale.TILLS_PER_OUTLET < open_share * 5 else "AVAILABLE",
            fetched_at=now,
        )
        for i in stations
    )
    shifts = [
        SessionRecord(
            id=scale.open_id(i),
            session_number=f"S-{opened.year}-9{i:05d}",
            outlet_id=scale.outlet_id(i // scale.TILLS_PER_OUTLET),
            station_id=scale.station_id(i),
            opened_by=f"Cashier {i % 400:03d}",
            open_time=opened,
            business_date=timezone.localdate(opened),
            opening_amount=Decimal("200.00"),
            fetched_at=now,
        )
        for i in stations
        if i % scale.TILLS_PER_OUTLET < open_share * 5
    ]
    SessionRecord.objects.bulk_create(shifts)
    try:
        yield len(stations)
    finally:
        SessionRecord.objects.filter(id__in=[shift.id for shift in shifts]).delete()
        Station.objects.filter(id__in=[scale.station_id(i) for i in stations]).delete()
        Outlet.objects.filter(id__in=[scale.outlet_id(i) for i in outlets]).delete()
