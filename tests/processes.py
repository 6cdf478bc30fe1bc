"""Real processes of the dashboard for the recovery tests: a Python process set up with the
suite's settings on the test database (so what it holds is seen by the test), and the
production processes (the Procfile's web and worker) on a database of their own."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings as django_settings

from tests.helpers import present

ROOT = Path(__file__).resolve().parents[1]


def current_database_url() -> str:
    """The database the tests are using now, as a DATABASE_URL for a child process."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: the suite's settings on the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINALPOS_")}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": current_database_url(),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        **extra,
    }


def django_process(code: str, **env: str) -> subprocess.Popen:
    """Runs ``code`` after django.setup() in a new process; its stdout is a pipe of lines."""
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=child_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(process: subprocess.Popen, expected: str, timeout: float = 30) -> None:
    """Reads the process's stdout until a line says ``expected``."""
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.strip() == expected:
            return
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"no {expected!r} from the process: {present(process.stderr).read()}")


def kill_hard(process: subprocess.Popen) -> None:
    """kill -9: no finally, no atexit, nothing released."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> float:
    """Seconds until ``condition()`` held; AssertionError after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(step)
    raise AssertionError(f"not within {timeout} s")
