"""Work done off the request path (Django's tasks framework, settings.TASKS): a cashier's
close never waits for a mail server. In production the database backend queues the task and
the worker process (`manage.py worker`) runs it; in demo mode and tests it runs at once."""

from django.tasks import task

from sessions_app import notifications
from sessions_app.models import SessionRecord
from sessions_app.services.station_status import station_status_push


@task
def review_alert(session_id: str) -> int:
    """Mails the outlet's managers about a shift that closed needing review, if it still
    does by the time the worker gets to it. Returns how many messages were sent."""
    record = SessionRecord.objects.filter(id=session_id).first()
    if record is None or not record.needs_review:
        return 0
    return notifications.review_alert_send(record)


@task
def station_status_update(session_id: str) -> str:
    """Writes the till's status a shift calls for, unless done already. Returns the error
    (kept on the shift, which the refresh retries) or ""."""
    record = SessionRecord.objects.filter(id=session_id).first()
    if record is None:
        return ""
    return station_status_push(record)
