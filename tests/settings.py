"""Settings for the test suite: the project's settings with test-only defaults."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789abcdef")
# pytest-django runs with DEBUG off, where the project's settings refuse demo mode and a
# per-process cache. The suite runs against the simulator, so it allows demo mode, and it
# declares the database cache only to pass that check: below, without REDIS_URL, it swaps in
# the local-memory cache, which only this module can do (no variable gives it to production).
os.environ.setdefault("ALLOW_DEMO_WITHOUT_DEBUG", "true")
os.environ.setdefault("DATABASE_CACHE", "true")
# Production settings require DATABASE_URL with DEBUG off; the suite's own database is
# pytest-django's test database (below), whatever this names.
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{os.path.join(tempfile.gettempdir(), 'dashboard-tests.sqlite3')}"
)
os.environ.setdefault(
    "FINALPOS_SIMULATOR_DB",
    os.path.join(tempfile.gettempdir(), f"finalpos-simulator-tests-{os.getpid()}.sqlite3"),
)

# Under pytest-xdist (`make test` runs the suite in parallel) each worker has a Redis database
# of its own, as it has its own test database: a test clears the cache (FLUSHDB), and the
# processes a test starts inherit the variable.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if "?" not in os.environ.get("REDIS_URL", "?") and _worker.startswith("gw"):
    _base, _, _number = os.environ["REDIS_URL"].rstrip("/").rpartition("/")
    _first = int(_number) if _number.isdigit() else 0
    _server = _base if _number.isdigit() else os.environ["REDIS_URL"].rstrip("/")
    os.environ["REDIS_URL"] = f"{_server}/{_first + int(_worker[2:])}"

from finalpos_dashboard.settings import *  # noqa: E402, F403 (after the variables above)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: threads in the concurrency tests then wait for the
    # write lock as they would in production instead of failing at once.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"dashboard-tests-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF;"  # noqa: F405

if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Pages link plain static URLs, so the suite needs no collectstatic (plain `pytest` works in a
# fresh clone); the tests of the hashed, far-future-cached files ask for them with the
# `manifest_static` fixture (tests/conftest.py), which collects them once.
from finalpos_dashboard.settings import STORAGES as PRODUCTION_STORAGES  # noqa: E402

STORAGES = {
    **PRODUCTION_STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
# Mail stays in memory; a worker process a test starts is given a loopback EMAIL_URL instead.
if not os.environ.get("EMAIL_URL"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Every response is checked for the Final POS API key (tests/leak_guard.py).
MIDDLEWARE = ["tests.leak_guard.ApiKeyLeakGuard", *MIDDLEWARE]  # noqa: F405

# The demo company's tills act on their own only in tests that drive them step by step.
FINALPOS_SIMULATOR_TILLS = False

# One machine: a holder's pid tells whether it is alive. No heartbeat thread writing into the
# test database behind the tests' backs (tests/services/test_liveness.py starts beats itself).
PROCESS_HEARTBEAT_SECONDS = 0
