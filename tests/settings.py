"""Settings for the test suite: the project's settings with test-only defaults."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault(
    "FINALPOS_SIMULATOR_DB",
    os.path.join(tempfile.gettempdir(), f"finalpos-simulator-tests-{os.getpid()}.sqlite3"),
)

from finalpos_dashboard.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
