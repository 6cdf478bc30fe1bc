"""Pages are gzipped for browsers that accept it; the streamed CSV export is sent as written."""

import gzip

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_shifts

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(client, manager, tills):
    make_shifts(30)
    client.login(username="mia", password=PASSWORD)
    plain = client.get(reverse("sessions_app:shift_history"))
    packed = client.get(reverse("sessions_app:shift_history"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert html.count("<tr>") == plain.content.decode().count("<tr>") >= 30
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3


def test_the_csv_export_streams_uncompressed(client, manager, tills):
    make_shifts(3)
    client.login(username="mia", password=PASSWORD)
    response = client.get(reverse("sessions_app:shift_export"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.streaming
    assert "Content-Encoding" not in response
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.count("\n") == 4  # the header and three shifts
