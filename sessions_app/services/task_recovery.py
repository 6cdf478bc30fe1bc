"""Queued tasks whose worker died while running them (killed, its machine gone): django-tasks-db
leaves them RUNNING for ever. The worker process looks for them (sessions_app's worker command):
each is queued again once, to run from the start (every task of ours is safe to run twice);
one whose worker dies a second time is marked failed, for an operator to look at and retry.
"""

import logging
from dataclasses import dataclass

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sessions_app.services.liveness import process_dead

logger = logging.getLogger(__name__)

RUNS_ALLOWED = 2  # the first run and one more after its worker died


class WorkerDied(Exception):
    """Names the failure of a task whose workers died each time they ran it."""


@dataclass(frozen=True)
class TaskRecovery:
    requeued: int = 0
    failed: int = 0


def tasks_recover(*, idle_worker_id: str = "") -> TaskRecovery:
    """Queues again (or, the second time, fails) every running task whose worker died.
    ``idle_worker_id`` is this process's own task worker while it runs nothing: a task it had
    claimed when the database went away is not running either."""
    requeued = failed = 0
    for task in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if worker != idle_worker_id and not process_dead(worker, held_since=task.started_at):
            continue
        # Only as it was seen: a worker that claimed it meanwhile keeps it.
        still = DBTaskResult.objects.filter(
            id=task.id, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) < RUNS_ALLOWED:
            if still.update(status=TaskResultStatus.READY):
                requeued += 1
                logger.warning("Task %s: its worker %s died; queued to run again", task.id, worker)
        elif still.update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
            traceback=(
                f"The worker running this task died, each of the {len(task.worker_ids)} times "
                f"it ran ({', '.join(task.worker_ids)}). Retry it from the operator's view once "
                "the cause is known."
            ),
        ):
            failed += 1
            logger.error("Task %s: its worker died again (%s); marked failed", task.id, worker)
    return TaskRecovery(requeued=requeued, failed=failed)
