"""Scaled out the way a PaaS does it: two gunicorn instances (the Procfile's web command)
sharing PostgreSQL and Redis. Two cashiers press "Close shift" on the same shift, one on each
instance, at the same moment: Final POS gets one write, and the other cashier is told.

Runs on PostgreSQL with Redis (the second CI pass); SQLite is one machine's database.
"""

import os
import secrets
import sys
import threading

import pytest
from django.conf import settings as django_settings

from bench.serving import free_port, sign_in, start_web
from sessions_app.models import SessionRecord
from tests.conftest import PASSWORD, SIMULATOR_KEY, add_faults
from tests.helpers import close_form

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
        or not os.environ.get("REDIS_URL"),
        reason="two instances share PostgreSQL and Redis (CI's second pass)",
    ),
]


@pytest.fixture
def two_instances(simulator, tmp_path, collected_static):
    database = django_settings.DATABASES["default"]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("FINALPOS_")},
        "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "REDIS_URL": os.environ["REDIS_URL"],
        "FINALPOS_API_KEY": SIMULATOR_KEY,
        "FINALPOS_BASE_URL": simulator.url,
        "WEB_CONCURRENCY": "1",
    }
    processes, urls = [], []
    for name in ("a", "b"):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        processes.append(start_web({**env, "PORT": str(port)}, url, tmp_path / f"web-{name}.log"))
        urls.append(url)
    yield urls
    for process in processes:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def test_two_instances_close_one_shift_once(two_instances, open_shift, cashier, simulator):
    path = f"/sessions/{open_shift.id}/close/"
    browsers = [sign_in(url, "cal", PASSWORD) for url in two_instances]
    forms = [close_form(b, url + path) for b, url in zip(browsers, two_instances, strict=True)]
    add_faults(simulator, {"action": "delay", "delay_ms": 400, "method": "PUT"})
    simulator.simulator.reset_log()
    pages: list[str] = [""] * 2
    barrier = threading.Barrier(2)

    def press(index: int) -> None:
        url = two_instances[index] + path
        barrier.wait()
        pages[index] = browsers[index].post(url, data=forms[index], headers={"Referer": url}).text

    threads = [threading.Thread(target=press, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    puts = [
        r
        for r in simulator.simulator.requests
        if r.method == "PUT" and r.path == f"/v1/api/session/{open_shift.id}"
    ]
    assert len(puts) == 1
    assert sum("is closed and balanced" in page for page in pages) == 1, pages
    assert sum("already closed by" in page for page in pages) == 1
    stored = simulator.simulator.store.get("session", open_shift.id)
    assert "closeTime" in stored and not SessionRecord.objects.get(id=open_shift.id).is_open
