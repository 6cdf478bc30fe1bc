"""Times on a shift's pages read as the outlet's clock showed them, and amounts in its
currency.

The shift pages switch to the outlet's time zone (views.common.shift_for_user_or_404); this
middleware puts the site's zone back after every response, since the switch is per thread
and a worker thread serves the next request too. Each outlet's rules are read once per
request (policy.policies_remembered)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sessions_app import money, policy


class OutletTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        money.deactivate()
        policy.forget_outlet_zones()
        try:
            with policy.policies_remembered():
                return self.get_response(request)
        finally:
            timezone.deactivate()
            money.deactivate()
