"""Setup of outlets and tills: written to Final POS first, then cached from its answer."""

import contextlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.finalpos import FinalPOSClient, FinalPOSNotFound, get_client, records
from sessions_app.models import Outlet, OutletAssignment, Station
from sessions_app.roles import User
from sessions_app.services.audit import audited
from sessions_app.services.catalog import outlet_cache_save, till_cache_save
from sessions_app.services.errors import NameTaken, TillInUse
from sessions_app.services.settle.updates import settled
from sessions_app.services.shift_checks import open_shift_on

CLOCK_SLACK = timedelta(minutes=2)  # Final POS's clock and ours may differ a little


@dataclass(frozen=True)
class OutletDetails:
    """An outlet's details as a manager gives them (the fields Final POS requires, and the two
    optional ones)."""

    name: str
    address: str
    city: str
    state: str
    country: str
    post_code: str
    phone: str
    address2: str = ""
    alias: str = ""


def outlet_create(*, details: OutletDetails, created_by_user: User) -> Outlet:
    """Creates an outlet in Final POS and caches it; a manager who creates one works there."""
    data = records.OutletInput(**asdict(details))
    summary = _("Create outlet %(name)s") % {"name": data.name}
    with audited(
        actor=created_by_user, action="setup", object_type="outlet", summary=summary
    ) as audit:
        client = get_client()
        if any(o.name.casefold() == data.name.casefold() for o in client.outlet_list()):
            raise NameTaken(_("There is already an outlet named %(name)s.") % {"name": data.name})
        since = timezone.now()
        created = settled(
            audit,
            write=lambda: client.outlet_create(data),
            landed=lambda: _newest_named(client.outlet_list(), data.name, since),
        )
        cached = outlet_cache_save(created, fetched_at=timezone.now())
        if not created_by_user.is_superuser:
            OutletAssignment.objects.get_or_create(user=created_by_user, outlet_id=created.id)
        audit.object_id = audit.outlet_id = created.id
        audit.after = created.to_input().to_wire()
    return cached


def outlet_update(*, outlet: Outlet, changes: dict[str, Any], updated_by_user: User) -> Outlet:
    """Edits an outlet's details: reads it, changes the given fields, writes the whole record
    back (fields the dashboard does not edit go back as read)."""
    client = get_client()
    current = client.outlet_get(outlet.id)
    summary = _("Edit outlet %(name)s") % {"name": changes.get("name", outlet.name)}
    with audited(
        actor=updated_by_user,
        action="setup",
        object_type="outlet",
        summary=summary,
        object_id=outlet.id,
        outlet_id=outlet.id,
        before=current.to_input().to_wire(),
    ) as audit:
        wanted = replace(current.to_input(), **changes)
        updated = settled(
            audit,
            write=lambda: client.outlet_update(outlet.id, wanted),
            landed=lambda: _if_holds(
                client.outlet_get(outlet.id), lambda found: found.to_input() == wanted
            ),
        )
        audit.after = updated.to_input().to_wire()
    return outlet_cache_save(updated, fetched_at=timezone.now())


def till_create(*, outlet: Outlet, name: str, created_by_user: User) -> Station:
    summary = _("Add till %(till)s to %(outlet)s") % {"till": name, "outlet": outlet.name}
    with audited(
        actor=created_by_user,
        action="setup",
        object_type="station",
        summary=summary,
        outlet_id=outlet.id,
    ) as audit:
        client = get_client()
        # Names are unique within an outlet: a second try after a lost answer cannot add the
        # same till twice, and a lost answer is settled by finding the till by its name.
        siblings = [s for s in client.station_list() if s.outlet_id == outlet.id]
        if any(sibling.name.casefold() == name.casefold() for sibling in siblings):
            raise NameTaken(
                _("There is already a till named %(till)s at %(outlet)s.")
                % {"till": name, "outlet": outlet.name}
            )
        since = timezone.now()
        created = settled(
            audit,
            write=lambda: client.station_create(
                records.StationInput(name=name, outlet_id=outlet.id)
            ),
            landed=lambda: _newest_named(
                [s for s in client.station_list() if s.outlet_id == outlet.id], name, since
            ),
        )
        audit.object_id = created.id
        audit.after = {"name": created.name}
    return till_cache_save(created, fetched_at=timezone.now())


def till_rename(*, till: Station, name: str, renamed_by_user: User) -> Station:
    client = get_client()
    summary = _("Rename till %(old)s to %(new)s") % {"old": till.name, "new": name}
    with audited(
        actor=renamed_by_user,
        action="setup",
        object_type="station",
        summary=summary,
        object_id=till.id,
        outlet_id=till.outlet_id,
        before={"name": till.name},
    ) as audit:
        current = client.station_get(till.id)
        updated = settled(
            audit,
            write=lambda: client.station_update(till.id, replace(current.to_input(), name=name)),
            landed=lambda: _if_holds(client.station_get(till.id), lambda found: found.name == name),
        )
        audit.after = {"name": updated.name}
    return till_cache_save(updated, fetched_at=timezone.now())


def till_delete(*, till: Station, deleted_by_user: User) -> None:
    """Deletes a till in Final POS, unless a shift is open on it (checked upstream)."""
    client = get_client()
    open_shift = open_shift_on(till, client=client)
    if open_shift is not None:
        raise TillInUse(
            _(
                "%(till)s has an open shift (%(number)s, opened by %(cashier)s). Close it "
                "before deleting the till."
            )
            % {
                "till": till.name,
                "number": open_shift.session_number,
                "cashier": open_shift.opened_by,
            }
        )
    with audited(
        actor=deleted_by_user,
        action="setup",
        object_type="station",
        summary=_("Delete till %(till)s") % {"till": till.name},
        object_id=till.id,
        outlet_id=till.outlet_id,
        before={"name": till.name},
    ) as audit:
        with contextlib.suppress(FinalPOSNotFound):  # already gone: drop it from the cache
            settled(
                audit,
                write=lambda: client.station_delete(till.id),
                landed=lambda: _till_gone(client, till.id),
            )
        Station.objects.filter(id=till.id).delete()
        audit.after = {"deleted": True}


def _newest_named[Record: (records.Outlet, records.Station)](
    found: list[Record], name: str, since: datetime
) -> Record | None:
    """A create whose answer was lost, found in the list Final POS gives (by its name, made
    since the attempt began)."""
    matching = [
        record
        for record in found
        if record.name == name
        and (record.updated_at is None or record.updated_at >= since - CLOCK_SLACK)
    ]
    return matching[-1] if matching else None


def _if_holds[Record](record: Record, holds: Callable[[Record], bool]) -> Record | None:
    return record if holds(record) else None


def _till_gone(client: FinalPOSClient, station_id: str) -> bool | None:
    try:
        client.station_get(station_id)
    except FinalPOSNotFound:
        return True
    return None
