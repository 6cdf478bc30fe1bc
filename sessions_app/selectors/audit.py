"""The audit trail as managers read it."""

from django.db.models import QuerySet

from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.roles import User
from sessions_app.selectors.scope import in_scope


def audit_for_shift(*, record: SessionRecord) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type="session", object_id=record.id)


def audit_list(*, user: User, action: str = "", actor: str = "") -> QuerySet[AuditEntry]:
    """Audit entries at the user's outlets (all for superusers), newest first."""
    entries = in_scope(AuditEntry.objects.all(), user=user)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    return entries
