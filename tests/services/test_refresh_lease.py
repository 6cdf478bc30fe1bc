"""One refreshing worker at a time: a second instance waits instead of repeating every
call, and takes over when the first stops. Real threads, each with its own connection."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sessions_app.models import JobLease
from sessions_app.services.locks import job_lease_release, job_lease_take
from sessions_app.services.refresh import refresh_loop

pytestmark = pytest.mark.django_db(transaction=True)
STALE = timedelta(minutes=5)


def test_a_lease_is_held_by_one_and_taken_over_when_stale():
    assert job_lease_take("refresh", holder="a", token="a" * 32, stale_after=STALE)
    assert not job_lease_take("refresh", holder="b", token="b" * 32, stale_after=STALE)
    assert job_lease_take("refresh", holder="a", token="a" * 32, stale_after=STALE)  # renews

    JobLease.objects.update(renewed_at=timezone.now() - STALE - timedelta(seconds=1))
    assert job_lease_take("refresh", holder="b", token="b" * 32, stale_after=STALE)
    job_lease_release("refresh", token="a" * 32)  # the old holder's release changes nothing
    assert JobLease.objects.get().holder == "b"


def test_a_second_worker_waits_and_takes_over_when_the_first_stops(tills, simulator):
    passes: dict[str, int] = {"first": 0, "second": 0}
    stop = {"first": threading.Event(), "second": threading.Event()}

    def run(name: str) -> None:
        try:
            refresh_loop(
                interval=0.05,
                holder=name,
                stopping=stop[name],
                on_pass=lambda result: passes.__setitem__(name, passes[name] + 1),
            )
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    deadline = time.monotonic() + 10
    while passes["first"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    time.sleep(0.5)

    assert passes["first"] >= 2 and passes["second"] == 0  # the second only waited
    stop["first"].set()
    first.join(timeout=10)
    deadline = time.monotonic() + 10
    while passes["second"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    stop["second"].set()
    second.join(timeout=10)

    assert passes["second"] >= 1  # it took over once the first had gone
    assert not JobLease.objects.exists()
