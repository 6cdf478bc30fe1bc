"""The platform's probe: is this process up, and can it reach its database and its cache.

Served by `finalpos_dashboard.middleware.HealthProbeMiddleware` before the HTTPS redirect and
the host check; the URL route remains so that `reverse("healthz")` works.
"""

import logging
import os
import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK, UNREACHABLE = "ok", "unreachable"
# One key per process: probes overwrite it rather than fill the cache.
_CACHE_KEY = f"healthz:{os.getpid()}"


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check: the database is unreachable: %s", error)
        return UNREACHABLE
    return OK


def _cache_status() -> str:
    token = secrets.token_hex(8)
    try:
        cache.set(_CACHE_KEY, token, timeout=60)
        read_back = cache.get(_CACHE_KEY)
    except Exception as error:  # each backend fails its own way (redis, database, socket)
        logger.error("Health check: the cache is unreachable: %s", error)
        return UNREACHABLE
    if read_back != token:
        logger.error("Health check: the cache did not return what was just stored")
        return UNREACHABLE
    return OK


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_status(), "cache": _cache_status()}
    healthy = all(status == OK for status in checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            **checks,
            "mode": "demo" if settings.FINALPOS_DEMO_MODE else "live",
        },
        status=200 if healthy else 503,
    )
