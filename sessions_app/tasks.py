"""Work done off the request path (Django's tasks framework, settings.TASKS): a cashier's
close never waits for a mail server. In production the database backend queues the task and
the worker process (`manage.py worker`) runs it; in demo mode and tests it runs at once.

Each task is safe to run twice: a task whose worker died is run once more
(services/task_recovery.py), and may have done part of its work the first time.
"""

import contextlib
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.tasks import TaskContext, task
from django.utils import timezone

from sessions_app import notifications
from sessions_app.models import AlertDelivery, SessionRecord
from sessions_app.password_reset import reset_link_allowed
from sessions_app.selectors.digest import week_digest
from sessions_app.services.till_status import till_status_push


@task(takes_context=True)
def review_alert(context: TaskContext, session_id: str) -> int:
    """Mails the outlet's managers about a shift that closed needing review, if it still
    does by the time the worker gets to it; a manager this task has mailed already is not
    mailed again. Returns how many messages were sent."""
    record = SessionRecord.objects.filter(id=session_id).first()
    if record is None or not record.needs_review:
        return 0
    task_id = str(context.task_result.id)
    mailed = set(AlertDelivery.objects.filter(task_id=task_id).values_list("recipient", flat=True))

    def delivered(address: str) -> None:
        with contextlib.suppress(IntegrityError):  # already noted
            AlertDelivery.objects.create(task_id=task_id, recipient=address, sent_at=timezone.now())

    return notifications.review_alert_send(record, skip=mailed, on_sent=delivered)


@task
def station_status_update(session_id: str) -> str:
    """Writes the till's status a shift calls for, unless done already (it reads the till
    first, so a second run writes nothing). Returns the error (kept on the shift, which the
    refresh retries) or ""."""
    record = SessionRecord.objects.filter(id=session_id).first()
    if record is None:
        return ""
    return till_status_push(record)


@task
def password_reset_mail(email: str, origin: str) -> int:
    """The "forgot your password" e-mail, sent here rather than in the request: the page
    answers a known and an unknown address alike, in the same time. A second run may mail the
    link twice (harmless: either link works once)."""
    if not reset_link_allowed(email):  # a stranger cannot fill someone's inbox
        return 0
    return notifications.password_reset_send(email=email, origin=origin)


@task
def weekly_digest(user_id: int, start: str, end: str) -> int:
    """Mails one manager their outlets' week (``start`` and ``end`` as ISO dates); returns 1
    when it was sent, 0 when there was nothing to say or no one to say it to."""
    manager = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if manager is None or not manager.email:
        return 0
    digest = week_digest(user=manager, start=date.fromisoformat(start), end=date.fromisoformat(end))
    if not digest.has_news:
        return 0
    return notifications.weekly_digest_send(manager=manager, digest=digest)
