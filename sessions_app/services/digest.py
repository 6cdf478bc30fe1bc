"""The weekly digest: on Monday each manager who keeps it on gets last week at their outlets
in one e-mail. Queued by the worker's refresh pass when a week has turned, sent by a task."""

import logging
from datetime import date

from django.utils import timezone

from sessions_app.models import StaffProfile
from sessions_app.selectors.digest import digest_recipients, week_before
from sessions_app.services.queued import weekly_digest_enqueue

logger = logging.getLogger(__name__)


def weekly_digests_due(*, today: date | None = None) -> int:
    """Queues last week's digest for every manager who has not had it; returns how many. Each
    is marked as sent for that week as it is queued, so a second pass queues none again."""
    start, end = week_before(today or timezone.localdate())
    queued = 0
    for manager in digest_recipients(week_start=start):
        StaffProfile.objects.update_or_create(user=manager, defaults={"digest_sent_for": start})
        weekly_digest_enqueue(user_id=manager.pk, start=start, end=end)
        queued += 1
    if queued:
        logger.info("Weekly digests queued for %d manager(s), week of %s", queued, start)
    return queued
