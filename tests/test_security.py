"""Security guarantees that hold across every page: headers, CSRF, request size, ids checked
before they reach an upstream URL, and who may reach what."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import OUTLET_A, OUTLET_B, PASSWORD, SIMULATOR_KEY, STATION_B1
from tests.leak_guard import LEAKS, ApiKeyLeakGuard

pytestmark = pytest.mark.django_db


def _dashboard_paths(shift_id: str) -> list[str]:
    """Every dashboard URL, with ids filled in (a shift, outlet A, till B1, the first user, a
    password link's parts), and the operator's view's own pages (its index, sign-in and app
    pages; the model pages are below those)."""
    ids = {
        "session_id": shift_id,
        "outlet_id": OUTLET_A,
        "station_id": STATION_B1,
        "movement_id": "0" * 32,
        "member_id": 1,
        "conflict_id": 1,
        "uidb64": "MQ",
        "token": "set-password",
        "app_label": "sessions_app",
        "content_type_id": 1,
        "object_id": "1",
    }
    paths = []
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", [pattern]):
            if isinstance(inner, URLPattern) and inner.name:
                namespace = f"{pattern.namespace}:" if isinstance(pattern, URLResolver) else ""
                wanted = {k: v for k, v in ids.items() if k in inner.pattern.regex.groupindex}
                paths.append(reverse(namespace + inner.name, kwargs=wanted))
    return paths


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ):
        assert directive in policy
    assert "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_every_post_needs_a_csrf_token(superuser, closed_shift):
    browser = Client(enforce_csrf_checks=True)
    browser.login(username="root", password=PASSWORD)
    paths = _dashboard_paths(closed_shift.id)
    assert len(paths) > 25
    refused = {path: browser.post(path, {"reason": "x"}).status_code for path in paths}
    assert set(refused.values()) == {403}, refused


def test_oversized_requests_are_refused(client, cashier, open_shift):
    client.login(username="cal", password=PASSWORD)
    url = reverse("sessions_app:shift_close", args=[open_shift.id])
    response = client.post(url, {"closing_note": "x" * 300_000})
    assert response.status_code == 400


HOSTILE_IDS = ["..%2F..%2Foutlets", "a" * 23, "a" * 25, "a" * 23 + "%3F", "%00" * 8, "!" * 24]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_ids_are_checked_before_any_upstream_call(client, manager, tills, simulator, hostile):
    client.login(username="mia", password=PASSWORD)
    simulator.simulator.reset_log()
    for path in (
        f"/sessions/{hostile}/",
        f"/sessions/{hostile}/close/",
        f"/setup/tills/{hostile}/",
        f"/setup/outlets/{hostile}/",
    ):
        assert client.get(path).status_code == 404
    assert client.post("/sessions/add/", {"session_id": hostile}).status_code == 302
    assert list(simulator.simulator.requests) == []


def test_cashiers_reach_no_manager_page(client, cashier, closed_shift):
    client.login(username="cal", password=PASSWORD)
    statuses = {}
    for path in _dashboard_paths(closed_shift.id):
        statuses[path] = client.get(path).status_code
    assert 500 not in statuses.values()
    for name in (
        "shift_history",
        "shift_export",
        "insights",
        "audit_list",
        "staff_list",
        "setup_overview",
        "outlet_create",
        "preferences",
    ):
        assert statuses[reverse(f"sessions_app:{name}")] == 403
    for name in ("shift_correct", "shift_reopen", "shift_delete"):
        assert statuses[reverse(f"sessions_app:{name}", args=[closed_shift.id])] == 403


def test_a_manager_of_another_outlet_sees_nothing_by_guessing(client, manager_b, closed_shift):
    client.login(username="bob", password=PASSWORD)
    for path in _dashboard_paths(closed_shift.id):
        if closed_shift.id in path or OUTLET_A in path:
            # A POST-only address leads to its shift's page, which is not found either.
            assert client.get(path, follow=True).status_code == 404, path
            assert client.post(path, {"reason": "mine"}).status_code == 404, path
    assert closed_shift.session_number not in client.get("/sessions/").content.decode()
    export = b"".join(client.get("/sessions/export.csv").streaming_content).decode()
    assert closed_shift.session_number not in export
    assert client.get(reverse("sessions_app:outlet_edit", args=[OUTLET_B])).status_code == 200


def test_the_leak_guard_notices_a_key_in_a_page(settings):
    settings.FINALPOS_API_KEY = SIMULATOR_KEY
    guard = ApiKeyLeakGuard(lambda request: HttpResponse(f"key={SIMULATOR_KEY}"))
    guard(RequestFactory().get("/oops"))
    assert LEAKS == ["GET /oops answered with the API key"]
    LEAKS.clear()
