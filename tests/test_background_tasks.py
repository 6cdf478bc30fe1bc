"""Review alerts run off the request path: a close returns at once while the mail server
hangs; only the worker waits for it. With the production backend (tasks queued in the
database) and a real SMTP socket on loopback that accepts and never answers."""

import signal
import socket
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from sessions_app.services.shift_close import shift_close

pytestmark = pytest.mark.django_db(transaction=True)


class HangingMailServer:
    """Accepts SMTP connections and never says a word."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.port = self.socket.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self) -> None:
        for connection in self.connections:
            connection.close()
        self.socket.close()


def _run_worker(*, tasks: int) -> None:
    """django-tasks-db's own worker command (what `manage.py worker` runs), until it has run
    this many tasks; it sets signal handlers for its process, put back afterwards."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker",
            batch=True,
            max_tasks=tasks,
            interval=0,
            startup_delay=False,
            reload=False,
            worker_id="test-worker",
            verbosity=0,
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.fixture
def hanging_mail(settings):
    server = HangingMailServer()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 1},
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield server
    server.close()


def test_a_close_returns_while_the_mail_server_hangs_and_only_the_worker_waits(
    close_open_shift, manager, hanging_mail
):
    record = close_open_shift(
        cash="200.00", variance_reason="Drawer was open during the rush", request_id="e" * 32
    )

    assert record.needs_review and not record.is_open
    [queued] = DBTaskResult.objects.filter(task_path="sessions_app.tasks.review_alert")
    assert queued.status == "READY" and queued.args_kwargs["args"] == [record.id]
    assert hanging_mail.connections == []  # the close never spoke to the mail server

    _run_worker(tasks=2)  # the alert, and the till's status

    assert len(hanging_mail.connections) == 1  # the worker waited for it instead
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == 0  # logged, not sent


def test_a_shift_approved_before_the_worker_gets_to_it_sends_nothing(
    close_open_shift, manager, hanging_mail
):
    from sessions_app.models import SessionRecord

    record = close_open_shift(
        cash="200.00", variance_reason="Drawer was open during the rush", request_id="f" * 32
    )
    SessionRecord.objects.filter(id=record.id).update(review_state="approved")

    _run_worker(tasks=2)  # the alert, and the till's status

    assert hanging_mail.connections == []
    [alert] = DBTaskResult.objects.filter(task_path="sessions_app.tasks.review_alert")
    assert alert.status == "SUCCESSFUL" and alert.return_value == 0


def test_the_tills_status_after_a_close_is_written_by_the_worker(
    open_shift, cashier, simulator, settings
):
    """A close waits for its two round trips only; the till's status is the worker's job."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    store = simulator.simulator.store
    assert store.get("station", open_shift.station_id)["status"] == "IN_USE"
    result = shift_close(
        record=open_shift,
        closed_by_user=cashier,
        counted={"cash": Decimal("240.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)},
        closing_note="",
        seen_updated_at=None,
        close_request_id="f" * 32,
    )
    assert result.station_status_error == ""
    assert result.record.station_status_pending == "AVAILABLE"
    assert store.get("station", open_shift.station_id)["status"] == "IN_USE"

    _run_worker(tasks=1)

    assert store.get("station", open_shift.station_id)["status"] == "AVAILABLE"
    result.record.refresh_from_db()
    assert result.record.station_status_pending == ""


def test_a_tills_status_task_run_twice_writes_the_till_once(open_shift, cashier, simulator):
    """A task whose worker died is run once more (services/task_recovery.py): the till's
    status task reads the till first, so its second run writes nothing."""
    from sessions_app.models import SessionRecord
    from sessions_app.tasks import station_status_update

    SessionRecord.objects.filter(id=open_shift.id).update(station_status_pending="AVAILABLE")
    simulator.simulator.reset_log()

    assert station_status_update.call(open_shift.id) == ""
    SessionRecord.objects.filter(id=open_shift.id).update(station_status_pending="AVAILABLE")
    assert station_status_update.call(open_shift.id) == ""  # as a re-run finds it

    puts = [r for r in simulator.simulator.requests if r.method == "PUT"]
    assert len(puts) == 1
    assert simulator.simulator.store.get("station", open_shift.station_id)["status"] == "AVAILABLE"
