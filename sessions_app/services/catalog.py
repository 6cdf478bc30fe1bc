"""The catalog: outlets and stations cached from Final POS for display and access checks."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client, records
from sessions_app.models import Outlet, Station, SyncState

logger = logging.getLogger(__name__)

CATALOG = SyncState.CATALOG


@dataclass(frozen=True)
class CatalogRefreshResult:
    outlets: int
    stations: int


def catalog_refresh(*, client: FinalPOSClient | None = None) -> CatalogRefreshResult:
    """Re-reads every outlet and station from Final POS into the local cache."""
    client = client or get_client()
    attempted_at = timezone.now()
    try:
        outlets = client.outlet_list()
        stations = client.station_list()
    except FinalPOSError as error:
        SyncState.objects.update_or_create(
            name=CATALOG, defaults={"last_attempt_at": attempted_at, "last_error": error.message}
        )
        raise
    fetched_at = timezone.now()
    with transaction.atomic():
        for outlet in outlets:
            outlet_cache_save(outlet, fetched_at=fetched_at)
        Outlet.objects.exclude(id__in=[outlet.id for outlet in outlets]).delete()
        for station in stations:
            station_cache_save(station, fetched_at=fetched_at)
        Station.objects.exclude(id__in=[station.id for station in stations]).delete()
        SyncState.objects.update_or_create(
            name=CATALOG,
            defaults={
                "last_attempt_at": attempted_at,
                "last_success_at": fetched_at,
                "last_error": "",
            },
        )
    logger.info("Catalog refreshed: %d outlets, %d stations", len(outlets), len(stations))
    return CatalogRefreshResult(outlets=len(outlets), stations=len(stations))


def outlet_cache_save(outlet: records.Outlet, *, fetched_at: datetime) -> Outlet:
    cached, _created = Outlet.objects.update_or_create(
        id=outlet.id,
        defaults={
            "name": outlet.name,
            "address": outlet.address,
            "address2": outlet.address2,
            "city": outlet.city,
            "state": outlet.state,
            "country": outlet.country,
            "post_code": outlet.post_code,
            "phone": outlet.phone,
            "alias": outlet.alias,
            "fetched_at": fetched_at,
        },
    )
    return cached


def station_cache_save(station: records.Station, *, fetched_at: datetime) -> Station:
    cached, _created = Station.objects.update_or_create(
        id=station.id,
        defaults={
            "outlet_id": station.outlet_id,
            "name": station.name,
            "status": station.raw_status,
            "status_reported_at": station.updated_at,
            "fetched_at": fetched_at,
        },
    )
    return cached
