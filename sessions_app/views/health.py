"""The load balancer's probe: is this process up and can it reach its database."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    mode = "demo" if settings.FINALPOS_DEMO_MODE else "live"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return JsonResponse(
            {"status": "error", "database": "unreachable", "mode": mode}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "mode": mode})
