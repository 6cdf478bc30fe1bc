"""Work a write triggers, queued to run once the write is committed (sessions_app.tasks): the
person who pressed the button never waits for it."""

from datetime import date
from functools import partial

from django.db import transaction

from sessions_app.models import SessionRecord
from sessions_app.tasks import review_alert, station_status_update, weekly_digest


def review_alert_enqueue(record: SessionRecord) -> None:
    """Queues the review alert of a shift that now needs review."""
    transaction.on_commit(partial(review_alert.enqueue, record.id))


def till_status_enqueue(record: SessionRecord) -> str:
    """Queues writing the till's status the shift calls for (IN_USE after an open, AVAILABLE
    after a close). Returns the error when it has already run and failed (the immediate
    backend, demo mode and tests), else "": the worker writes it, and while the shift is not
    deleted the refresh retries it until it lands, as the record's pending status says."""
    if not record.station_status_pending:
        return ""
    # Called after the write committed, so no on_commit: with the database backend the task
    # row is simply the next write; the immediate backend runs it here and now.
    if not station_status_update.enqueue(record.id).is_finished:
        return ""  # queued: nothing has run yet to read back
    record.refresh_from_db(fields=["station_status_pending", "station_status_error"])
    return record.station_status_error


def weekly_digest_enqueue(*, user_id: int, start: date, end: date) -> None:
    """Queues one manager's digest of the week from ``start`` to ``end``."""
    weekly_digest.enqueue(user_id, start.isoformat(), end.isoformat())
