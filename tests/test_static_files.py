"""Static files come from whitenoise with far-future caching (after collectstatic)."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage

pytestmark = pytest.mark.django_db


def test_whitenoise_serves_the_hashed_stylesheet(client, manifest_static):
    url = staticfiles_storage.url("css/site.css")
    assert url != "/static/css/site.css"  # hashed by the manifest storage
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert b"--color-primary" in b"".join(response.streaming_content)


def test_the_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
