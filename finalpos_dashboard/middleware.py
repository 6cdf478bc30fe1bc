"""Serving concerns that sit in front of the app's own middleware."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from sessions_app.views import health

HEALTH_PATH = "/healthz"


class HealthProbeMiddleware:
    """Answers /healthz ahead of SecurityMiddleware and CommonMiddleware. A platform's probe
    comes over plain HTTP, without X-Forwarded-Proto, and with the container's address as its
    Host: it must get the health, not a redirect to HTTPS or a 400 for an unknown host (and
    a DisallowedHost traceback in the log on every probe)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            response = health.healthz(request)
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)
