"""Alerts a write triggers, queued to run once the write is committed (sessions_app.tasks)."""

from functools import partial

from django.db import transaction

from sessions_app.models import SessionRecord
from sessions_app.tasks import review_alert


def review_alert_enqueue(record: SessionRecord) -> None:
    """Queues the review alert of a shift that now needs review."""
    transaction.on_commit(partial(review_alert.enqueue, record.id))
