"""Serving concerns that sit in front of the app's own middleware: the request id and its log
line, the platform's health probe, and compressed pages."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from finalpos_dashboard.log_format import request_id
from sessions_app.views import health

HEALTH_PATH = "/healthz"
REQUEST_ID_HEADER = "X-Request-ID"
# A router's id is kept when it is one token of common characters (Heroku's are 20 to 200);
# anything else could forge log lines, so a new id replaces it.
_SANE_REQUEST_ID = re.compile(r"[\w.:+/=-]{1,200}", re.ASCII)

logger = logging.getLogger("finalpos_dashboard.requests")


class RequestLogMiddleware:
    """Gives each request an id (the router's X-Request-ID when sane, else a new one), returns
    it in the response's X-Request-ID, stamps it on every log record made meanwhile, and logs
    one line per request: method, path, status, duration in ms, request id. A streamed
    response (the CSV export) is timed to its first byte."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        current = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = current
            logger.log(
                _level(request.path, response.status_code),
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "request_id": current,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id.reset(token)


def _level(path: str, status: int) -> int:
    if status >= 500:
        return logging.ERROR
    if path == HEALTH_PATH and status == 200:
        return logging.DEBUG  # a probe every few seconds would drown the log
    return logging.INFO


class HealthProbeMiddleware:
    """Answers /healthz ahead of SecurityMiddleware and CommonMiddleware. A platform's probe
    comes over plain HTTP, without X-Forwarded-Proto, and with the container's address as its
    Host: it must get the health, not a redirect to HTTPS or a 400 for an unknown host (and
    a DisallowedHost traceback in the log on every probe)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Probes read; any other method takes the normal way (and meets the CSRF check).
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            response = health.healthz(request)
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)


class PageGZipMiddleware(GZipMiddleware):
    """Compresses pages for browsers that accept gzip: a history page's 45 KB of HTML is about
    7 KB on a phone's network, and a PaaS router passes responses on as the app wrote them.
    Django's gzip pads each response by a random length and masks the CSRF token per request,
    its defences against BREACH. The streamed CSV export is sent as written: compressing it
    would cost the worker a second of CPU per 200,000 shifts."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.streaming:
            return response
        return super().process_response(request, response)
