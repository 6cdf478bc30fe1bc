"""Custom error pages in the site's look."""

import re

import pytest
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_page_gets_the_custom_404(client, cashier):
    client.force_login(cashier)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()
    assert b"Back to the tills" in response.content


def test_the_500_page_renders_without_a_database_or_context(rf):
    from sessions_app.views.site import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def _server_error_page(rf) -> str:
    from sessions_app.views.site import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    return response.content.decode()


def test_the_500_page_links_the_stylesheet_and_has_nothing_inline(rf, manifest_static):
    page = _server_error_page(rf)
    # The Content-Security-Policy allows no inline style or script.
    assert "<style" not in page and "style=" not in page and "<script" not in page
    assert re.search(r'<link rel="stylesheet" href="/static/css/site\.[0-9a-f]{12}\.css">', page)
    assert 'class="card card--auth"' in page


def test_the_500_page_renders_when_the_static_manifest_is_missing(rf, settings, tmp_path):
    settings.STORAGES = settings.PRODUCTION_STORAGES
    settings.STATIC_ROOT = tmp_path  # collectstatic never ran here: no manifest
    page = _server_error_page(rf)
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert "Something went wrong on our side" in page


def test_the_500_page_gives_the_request_id_as_a_reference():
    from finalpos_dashboard.log_format import request_id

    token = request_id.set("3f2a9c1e77b04c1d")
    try:
        page = _server_error_page(RequestFactory())
    finally:
        request_id.reset(token)
    assert "Reference for support: 3f2a9c1e77b04c1d" in page


def test_with_the_database_away_the_page_says_so_and_answers_503(rf):
    from django.db import OperationalError

    from sessions_app.views.site import server_error

    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(rf.get("/"))  # as Django calls it, inside the except
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "cannot reach its database right now" in response.content.decode()
