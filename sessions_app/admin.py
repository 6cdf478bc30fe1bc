"""The operator's view (Django's admin at /ops/, superusers only): queued and failed tasks with
"Run again", the refresh lease, write locks and till claims with whether their holder is alive,
sign-in lockouts, and the audit trail. Read-only: shifts, tills and outlets are Final POS's and
are changed through the dashboard's pages, which write to it first; staff accounts through the
Staff page or `manage.py staff`, which audit every change."""

from typing import Any

import django.contrib.auth.admin  # noqa: F401 - registers User and Group, unregistered below
from django.contrib import admin, messages
from django.contrib.auth.models import Group, User
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.tasks import TaskResultStatus
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from sessions_app.models import (
    AuditEntry,
    JobLease,
    PendingOpen,
    ProcessBeat,
    ShiftWriteLock,
    SignInFailure,
    StationClaim,
)
from sessions_app.services.liveness import process_dead


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen, never changed here."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # PostgreSQL cannot compare text with a NUL: search for the rest of what was typed.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


class HolderAliveMixin:
    @admin.display(boolean=True, description=_("holder alive"))
    def holder_alive(self, obj: Any) -> bool | None:
        if not obj.process:
            return None  # from before holders were named: only its age tells
        return not process_dead(obj.process, held_since=_held_since(obj))


def _held_since(obj: Any) -> Any:
    for field in ("acquired_at", "claimed_at", "renewed_at"):
        if hasattr(obj, field):
            return getattr(obj, field)
    return None


@admin.register(JobLease)
class JobLeaseAdmin(HolderAliveMixin, ReadOnlyAdmin):
    list_display = ["name", "holder", "process", "renewed_at", "holder_alive"]


@admin.register(ShiftWriteLock)
class ShiftWriteLockAdmin(HolderAliveMixin, ReadOnlyAdmin):
    list_display = ["session_id", "holder", "process", "acquired_at", "holder_alive"]


@admin.register(StationClaim)
class StationClaimAdmin(HolderAliveMixin, ReadOnlyAdmin):
    list_display = ["station_id", "claimed_by", "process", "claimed_at", "holder_alive"]


@admin.register(ProcessBeat)
class ProcessBeatAdmin(ReadOnlyAdmin):
    list_display = ["process", "started_at", "beat_at"]


@admin.register(PendingOpen)
class PendingOpenAdmin(ReadOnlyAdmin):
    list_display = ["station_id", "session_number", "opened_by", "attempted_at", "error"]


@admin.register(SignInFailure)
class SignInFailureAdmin(ReadOnlyAdmin):
    """Unlock someone from the Staff page (audited), or give them a new password."""

    list_display = ["username", "address", "failures", "window_ends_at"]
    search_fields = ["username", "address"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "summary", "outcome", "outlet_id"]
    list_filter = ["action", "outcome", "object_type"]
    search_fields = ["actor_name", "summary", "object_id"]
    date_hierarchy = "at"


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskAdmin(DBTaskResultAdmin):
    """django-tasks-db's own view of the queue, with "Run again" for failed tasks: each is
    queued anew through its task, with the same arguments; the failed one stays as it was."""

    actions = ["run_again"]
    search_fields = ["task_path", "id"]

    @admin.action(description=_("Run the selected failed tasks again"))
    def run_again(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        queued = 0
        for result in queryset.filter(status=TaskResultStatus.FAILED):
            arguments = result.args_kwargs
            result.task.using(run_after=None).enqueue(*arguments["args"], **arguments["kwargs"])
            queued += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d task queued to run again.",
                "%(count)d tasks queued to run again.",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS if queued else messages.WARNING,
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


# Staff accounts change through the Staff page and `manage.py staff`, which check who may
# change whom and audit it.
for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
