"""The worker process (the Procfile's `worker:`), run for real: `manage.py worker` in a child
process on the test database, live against the loopback simulator, stopped with SIGTERM or
killed with kill -9 as a platform does. It lets go of the refresh at once on SIGTERM, its
replacement takes over within seconds, and a task it was running when it was killed is run
once more, mailing no manager twice."""

import json
import signal
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from bench.tcp_proxy import TcpProxy
from sessions_app.models import JobLease
from sessions_app.roles import MANAGER_GROUP
from sessions_app.services.liveness import process_dead
from sessions_app.services.shift_close import shift_close
from sessions_app.services.task_recovery import WorkerDied, tasks_recover
from sessions_app.tasks import review_alert
from tests.conftest import OUTLET_A, SIMULATOR_KEY
from tests.helpers import present
from tests.processes import ROOT, child_env, django_process, kill_hard, wait_until
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)


def _start_worker(simulator, *, interval: int = 60, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", str(interval)],
        cwd=ROOT,
        env=child_env(
            FINALPOS_API_KEY=SIMULATOR_KEY,
            FINALPOS_BASE_URL=simulator.url,
            TASKS_BACKEND="database",
            **env,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _lease_process() -> str:
    return JobLease.objects.values_list("process", flat=True).first() or ""


def _stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=30)


def test_sigterm_lets_go_of_the_refresh_and_the_replacement_takes_over_within_seconds(
    tills, simulator
):
    old = _start_worker(simulator)
    new = None
    try:
        wait_until(lambda: f":{old.pid}:" in _lease_process(), timeout=60)
        new = _start_worker(simulator)
        time.sleep(2)
        assert f":{old.pid}:" in _lease_process()  # the new one waits

        stopped_at = time.monotonic()
        old.send_signal(signal.SIGTERM)
        assert old.wait(timeout=30) == 0
        said = [
            json.loads(line) for line in present(old.stdout).read().splitlines() if line.strip()
        ]
        assert said[-1]["message"].startswith("Worker ") and said[-1]["message"].endswith(
            " stopped"
        )  # every line JSON, to the last
        took = wait_until(lambda: f":{new.pid}:" in _lease_process(), timeout=30)
        print(f"replacement refreshing {time.monotonic() - stopped_at:.1f} s after SIGTERM")
        assert took < 30  # not the lease's 300 s of age
    finally:
        _stop(old, *([new] if new else []))


def test_a_killed_refreshing_worker_is_replaced_without_waiting_for_its_lease_to_age(
    tills, simulator
):
    old = _start_worker(simulator)
    new = None
    try:
        wait_until(lambda: f":{old.pid}:" in _lease_process(), timeout=60)
        new = _start_worker(simulator)
        time.sleep(2)
        killed_at = time.monotonic()
        kill_hard(old)
        wait_until(lambda: f":{new.pid}:" in _lease_process(), timeout=30)
        print(f"replacement refreshing {time.monotonic() - killed_at:.1f} s after kill -9")
    finally:
        _stop(old, *([new] if new else []))


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_review_alert_whose_worker_was_killed_is_run_again_and_mails_no_manager_twice(
    open_shift, cashier, manager, make_staff, simulator, queued_tasks
):
    make_staff("max", MANAGER_GROUP, [OUTLET_A])  # two managers: two messages
    shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("200.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)},
        closing_note="",
        variance_reason="Drawer was open during the rush",
        seen_updated_at=None,
        close_request_id="e" * 32,
    )
    [alert] = DBTaskResult.objects.filter(task_path="sessions_app.tasks.review_alert")
    sink = SmtpSink(answer_messages=1)  # the first manager's message, then it hangs
    first = _start_worker(simulator, EMAIL_URL=sink.url)
    second = None
    try:
        wait_until(sink.hanging.is_set, timeout=60)
        kill_hard(first)
        alert.refresh_from_db()
        assert alert.status == TaskResultStatus.RUNNING  # left running by the dead worker
        assert len(sink.delivered) == 1

        sink.answer_messages = None  # the mail server answers again
        second = _start_worker(simulator, EMAIL_URL=sink.url)
        wait_until(
            lambda: DBTaskResult.objects.get(id=alert.id).status == TaskResultStatus.SUCCESSFUL,
            timeout=60,
        )
    finally:
        _stop(first, *([second] if second else []))
        sink.close()

    alert.refresh_from_db()
    assert len(alert.worker_ids) == 2  # run once more, by the second worker
    assert sorted(sink.delivered) == [["max@example.com"], ["mia@example.com"]]  # once each


def test_a_task_whose_worker_died_a_second_time_is_failed_for_an_operator(tills):
    dead = [_dead_process_id(), _dead_process_id()]
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": ["x" * 24], "kwargs": {}},
        task_path="sessions_app.tasks.station_status_update",
        worker_ids=dead,
        backend_name="default",
        run_after=get_date_max(),
        started_at=timezone.now(),
    )

    assert tasks_recover().failed == 1

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path.endswith(WorkerDied.__qualname__)
    assert "died, each of the 2 times" in task.traceback


def _dead_process_id() -> str:
    """The id of a process of this machine that has ended."""
    process = django_process(
        "from sessions_app.services.liveness import process_id\nprint(process_id())"
    )
    output, _ = process.communicate(timeout=30)
    name = output.strip()
    assert process_dead(name)
    return name


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="cuts a PostgreSQL connection (CI's second pass)",
)
def test_the_worker_lives_through_a_database_outage_and_carries_on(
    tills, open_shift, simulator, queued_tasks
):
    database = django_settings.DATABASES["default"]
    proxy = TcpProxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@127.0.0.1:{proxy.port}/"
        f"{database['NAME']}"
    )
    worker = _start_worker(simulator, interval=2, DATABASE_URL=url)
    try:
        wait_until(lambda: f":{worker.pid}:" in _lease_process(), timeout=60)
        proxy.cut()
        time.sleep(10)  # the outage: the worker used to exit 1 within the first second
        assert worker.poll() is None
        proxy.restore()
        restored = timezone.now()

        queued = review_alert.enqueue(open_shift.id)
        wait_until(
            lambda: DBTaskResult.objects.get(id=queued.id).status == TaskResultStatus.SUCCESSFUL,
            timeout=60,
        )
        wait_until(lambda: JobLease.objects.get().renewed_at > restored, timeout=60)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        _stop(worker)
        proxy.close()
    output = present(worker.stdout).read()
    assert "The database is unreachable" in output
