"""The catalog: outlets and stations cached from Final POS for display and access checks."""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.finalpos import FinalPOSClient, FinalPOSError, get_client, records
from sessions_app.models import AuditEntry, Outlet, Station, SyncState
from sessions_app.roles import User
from sessions_app.services.audit import audit_write

logger = logging.getLogger(__name__)

CATALOG = SyncState.CATALOG


@dataclass(frozen=True)
class CatalogRefreshResult:
    outlets: int
    tills: int
    removed: int = 0
    held_outlets: int = 0  # no longer listed, kept until a manager confirms
    held_tills: int = 0


def catalog_refresh(
    *, client: FinalPOSClient | None = None, confirmed_removals: Collection[str] = ()
) -> CatalogRefreshResult:
    """Re-reads every outlet and station from Final POS into the local cache.

    Outlets and tills Final POS no longer lists are removed, unless that would remove more
    than CATALOG_REMOVAL_SHARE of them (and more than one): then they are kept and held for a
    manager to confirm (``confirmed_removals`` names the ones confirmed)."""
    client = client or get_client()
    attempted_at = timezone.now()
    try:
        outlets = client.outlet_list()
        tills = client.station_list()
    except FinalPOSError as error:
        SyncState.objects.update_or_create(
            name=CATALOG,
            defaults={"last_attempt_at": attempted_at, "last_error": error.stored_message},
        )
        raise
    fetched_at = timezone.now()
    with transaction.atomic():
        gone_outlets = _unlisted(Outlet.objects.all(), outlets)
        gone_tills = _unlisted(Station.objects.all(), tills)
        hold = _too_many(gone_outlets, Outlet.objects.count()) or _too_many(
            gone_tills, Station.objects.count()
        )
        confirmed = set(confirmed_removals)
        held_outlets = sorted(gone_outlets - confirmed) if hold else []
        held_tills = sorted(gone_tills - confirmed) if hold else []
        for outlet in outlets:
            outlet_cache_save(outlet, fetched_at=fetched_at)
        for till in tills:
            till_cache_save(till, fetched_at=fetched_at)
        removed = Outlet.objects.filter(id__in=gone_outlets - set(held_outlets)).delete()[0]
        removed += Station.objects.filter(id__in=gone_tills - set(held_tills)).delete()[0]
        SyncState.objects.update_or_create(
            name=CATALOG,
            defaults={
                "last_attempt_at": attempted_at,
                "last_success_at": fetched_at,
                "last_error": "",
                "held_removals": {"outlets": held_outlets, "stations": held_tills}
                if held_outlets or held_tills
                else {},
            },
        )
    if held_outlets or held_tills:
        logger.warning(
            "Catalog refresh held back: Final POS no longer lists %d outlets and %d tills",
            len(held_outlets),
            len(held_tills),
        )
    logger.info("Catalog refreshed: %d outlets, %d tills", len(outlets), len(tills))
    return CatalogRefreshResult(
        outlets=len(outlets),
        tills=len(tills),
        removed=removed,
        held_outlets=len(held_outlets),
        held_tills=len(held_tills),
    )


def catalog_removals_confirm(
    *, confirmed_by_user: User, ids: Collection[str], client: FinalPOSClient | None = None
) -> CatalogRefreshResult:
    """A manager confirms that held outlets and tills are gone: the list is read again and
    those still unlisted are removed."""
    result = catalog_refresh(client=client, confirmed_removals=ids)
    audit_write(
        actor=confirmed_by_user,
        action="setup",
        object_type="catalog",
        summary=_("Confirmed the removal of outlets and tills Final POS no longer lists"),
        after={"confirmed": sorted(ids), "removed": result.removed},
        outcome=AuditEntry.LOCAL,  # the dashboard's own record: nothing sent
    )
    return result


def _unlisted(cached: QuerySet, listed: list) -> set[str]:
    return set(cached.exclude(id__in=[item.id for item in listed]).values_list("id", flat=True))


def _too_many(gone: set[str], cached: int) -> bool:
    return len(gone) > 1 and len(gone) > cached * settings.CATALOG_REMOVAL_SHARE


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


def till_cache_save(till: records.Station, *, fetched_at: datetime) -> Station:
    cached, _created = Station.objects.update_or_create(
        id=till.id,
        defaults={
            "outlet_id": till.outlet_id,
            "name": till.name,
            "status": till.raw_status,
            "status_reported_at": till.updated_at,
            "fetched_at": fetched_at,
        },
    )
    return cached
