"""The settings module refuses unsafe or mistyped configuration at boot."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CHOSEN_BY_EACH_TEST = {
    "SECRET_KEY",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "REDIS_URL",
    "DATABASE_CACHE",
    "ALLOW_DEMO_WITHOUT_DEBUG",
    "DATABASE_URL",
}
PRODUCTION = {"SECRET_KEY": "x" * 60, "DATABASE_CACHE": "true", "FINALPOS_API_KEY": "live-key"}


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in CHOSEN_BY_EACH_TEST and not key.startswith("FINALPOS_")
    }
    clean_env["DATABASE_URL"] = "sqlite:///:memory:"  # a test that wants none says so
    clean_env.update(env)
    clean_env.setdefault("DJANGO_SETTINGS_MODULE", "finalpos_dashboard.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=PROJECT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_boot_without_secret_key_when_debug_is_off():
    result = run_django("print('booted')")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr
    assert "booted" not in result.stdout


def test_it_boots_without_secret_key_in_debug():
    result = run_django("from django.conf import settings; print(settings.DEBUG)", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_debug_is_off_unless_set():
    result = run_django(
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_it_rejects_a_misspelt_finalpos_variable():
    result = run_django("print('booted')", DEBUG="true", FINALPOS_APIKEY="oops")
    assert result.returncode != 0
    assert "Unknown Final POS setting(s): FINALPOS_APIKEY" in result.stderr


def test_no_api_key_means_demo_mode_against_the_simulator():
    result = run_django(
        "from django.conf import settings; "
        "print(settings.FINALPOS_DEMO_MODE, settings.FINALPOS_BASE_URL)",
        DEBUG="true",
    )
    assert result.stdout.split() == ["True", "http://finalpos-simulator.invalid"]


def test_an_api_key_switches_to_the_real_api():
    result = run_django(
        "from django.conf import settings; "
        "print(settings.FINALPOS_DEMO_MODE, settings.FINALPOS_BASE_URL)",
        DEBUG="true",
        FINALPOS_API_KEY="live-key",
    )
    assert result.stdout.split() == ["False", "https://api.finalpos.com"]


def test_redis_url_selects_the_redis_cache():
    result = run_django(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DEBUG="true",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_it_refuses_to_start_without_a_shared_cache_when_debug_is_off():
    result = run_django("print('booted')", SECRET_KEY="x" * 60, FINALPOS_API_KEY="live-key")
    assert result.returncode != 0
    assert "ImproperlyConfigured: A shared cache is required when DEBUG is off" in result.stderr
    assert "Set REDIS_URL" in result.stderr and "DATABASE_CACHE=true" in result.stderr
    assert "booted" not in result.stdout


def test_database_cache_is_the_shared_fallback():
    result = run_django(
        "from django.conf import settings; cache = settings.CACHES['default'];"
        " print(cache['BACKEND'], cache['OPTIONS']['MAX_ENTRIES'])",
        **PRODUCTION,
    )
    # Far above the default 300, past which rows (throttle counts too) are culled.
    backend, max_entries = result.stdout.split()
    assert backend == "finalpos_dashboard.database_cache.BulkDatabaseCache"
    assert max_entries == "100000"


def test_redis_wins_over_the_database_cache():
    result = run_django(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        **PRODUCTION,
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr


def test_redis_certificate_checks_can_be_turned_off_for_a_self_signed_provider():
    code = "from django.conf import settings; print(settings.CACHES['default']['OPTIONS'])"
    verified = run_django(code, DEBUG="true", REDIS_URL="rediss://cache.example.com:6380/0")
    unverified = run_django(
        code,
        DEBUG="true",
        REDIS_URL="rediss://cache.example.com:6380/0",
        REDIS_VERIFY_CERTIFICATE="false",
    )
    assert "ssl_cert_reqs" not in verified.stdout, verified.stderr
    assert "'ssl_cert_reqs': 'none'" in unverified.stdout, unverified.stderr


def test_local_memory_is_the_cache_only_with_debug_on():
    result = run_django(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DEBUG="true",
    )
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_it_refuses_demo_mode_when_debug_is_off():
    result = run_django("print('booted')", SECRET_KEY="x" * 60, DATABASE_CACHE="true")
    assert result.returncode != 0
    assert "FINALPOS_API_KEY is not set, so the dashboard would run in demo mode" in result.stderr
    assert "ALLOW_DEMO_WITHOUT_DEBUG=true" in result.stderr
    assert "booted" not in result.stdout


def test_demo_mode_with_debug_off_runs_when_explicitly_allowed():
    result = run_django(
        "from django.conf import settings; print(settings.FINALPOS_DEMO_MODE)",
        SECRET_KEY="x" * 60,
        DATABASE_CACHE="true",
        ALLOW_DEMO_WITHOUT_DEBUG="true",
    )
    assert result.stdout.strip() == "True", result.stderr


def test_a_sqlite_database_uses_the_write_ahead_log(tmp_path):
    result = run_django(
        "from django.db import connection; cursor = connection.cursor();"
        " print(cursor.execute('PRAGMA journal_mode').fetchone()[0])",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'tills.sqlite3'}",
    )
    assert result.stdout.strip() == "wal", result.stderr


def test_check_deploy_is_clean_with_production_like_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={
            **{
                key: value
                for key, value in os.environ.items()
                if not key.startswith("FINALPOS_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
            },
            "DJANGO_SETTINGS_MODULE": "finalpos_dashboard.settings",
            "DEBUG": "false",
            "SECRET_KEY": "k9!vQ2@xL7#pR4$wZ1%nT8^bY5&cM3*hJ6(dF0)gS-uE+aK=iO~qW|zX" * 2,
            "DATABASE_CACHE": "true",
            "DATABASE_URL": "postgres://tills:password@db.example.com:5432/tills",
            "FINALPOS_API_KEY": "live-key",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "ALLOWED_HOSTS": "tills.example.com",
            "EMAIL_URL": "smtp+tls://alerts:password@smtp.example.com:587",
            "DEFAULT_FROM_EMAIL": "Till close <tills@example.com>",
            "SITE_URL": "https://tills.example.com",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_boot_without_database_url_when_debug_is_off():
    result = run_django("print('booted')", **PRODUCTION, DATABASE_URL="")
    assert result.returncode != 0 and "booted" not in result.stdout
    assert "DATABASE_URL is required when DEBUG is off" in result.stderr


def test_it_boots_without_database_url_in_debug_on_a_file_in_the_project():
    result = run_django(
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        DEBUG="true",
        DATABASE_URL="",
    )
    assert result.stdout.strip() == str(PROJECT / "db.sqlite3"), result.stderr


def test_check_deploy_warns_of_a_localhost_sender_and_no_site_url():
    result = run_django(
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')",
        **PRODUCTION,
        EMAIL_URL="smtp+tls://alerts:password@smtp.example.com:587",
    )
    assert result.returncode != 0
    assert "sessions_app.W001" in result.stderr and "tills@localhost" in result.stderr
    assert "sessions_app.W002" in result.stderr and "SITE_URL is not set" in result.stderr
