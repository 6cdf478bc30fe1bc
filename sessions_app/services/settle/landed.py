"""An open whose answer was lost, found: any read of its shift (a refresh, discovery, a
manager adding it by its id) settles it. The index save calls both steps, the first inside
its transaction, so the till is let go together with the shift being indexed.

This module imports nothing that reads Final POS: the index save, far below the services
that look for a lost open (settle/opens.py), depends on it."""

from django.utils.translation import gettext as _

from sessions_app.models import AuditEntry, PendingOpen, SessionRecord
from sessions_app.services.audit import audit_write, record_snapshot


def landed_opens_clear(*, station_id: str, session_number: str) -> list[PendingOpen]:
    """Lets the till go of the held opens this shift answers, returning them."""
    found = list(PendingOpen.objects.filter(station_id=station_id, session_number=session_number))
    PendingOpen.objects.filter(pk__in=[pending.pk for pending in found]).delete()
    return found


def landed_opens_audit(found: list[PendingOpen], record: SessionRecord) -> None:
    """The audit row of each: the open whose answer was lost did reach Final POS."""
    for pending in found:
        audit_write(
            actor=pending.opened_by_user,
            action="open",
            object_type="session",
            object_id=record.id,
            outlet_id=record.outlet_id,
            summary=_("Found %(number)s in Final POS: the open whose answer was lost landed")
            % {"number": record.session_number},
            after=record_snapshot(record),
            outcome=AuditEntry.LANDED,
        )
