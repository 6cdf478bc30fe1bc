"""The suite-wide guard that fails any test whose responses carry the Final POS API key."""

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import RequestFactory

from finalpos_dashboard.middleware import PageGZipMiddleware
from tests.leak_guard import LEAKS, ApiKeyLeakGuard


def _guarded(response: HttpResponseBase) -> None:
    ApiKeyLeakGuard(lambda request: response)(RequestFactory().get("/somewhere"))


def test_it_records_a_page_that_shows_the_key(settings):
    settings.FINALPOS_API_KEY = "live-key-0123456789"
    _guarded(HttpResponse("<p>key: live-key-0123456789</p>"))
    assert LEAKS == ["GET /somewhere answered with the API key"]
    LEAKS.clear()


def test_it_reads_a_page_gzipped_for_a_browser(settings):
    """Browsers in the e2e tests accept gzip, and the guard sits outside the compression."""
    settings.FINALPOS_API_KEY = "live-key-0123456789"
    page = HttpResponse("<p>key: live-key-0123456789</p>" + " " * 300)
    compressed = PageGZipMiddleware(lambda request: page)
    request = RequestFactory().get("/somewhere", HTTP_ACCEPT_ENCODING="gzip")
    assert ApiKeyLeakGuard(compressed)(request)["Content-Encoding"] == "gzip"
    assert LEAKS == ["GET /somewhere answered with the API key"]
    LEAKS.clear()


def test_it_records_a_header_that_carries_the_key(settings):
    settings.FINALPOS_API_KEY = "live-key-0123456789"
    response = HttpResponse("fine")
    response["X-Debug"] = "live-key-0123456789"
    _guarded(response)
    assert len(LEAKS) == 1
    LEAKS.clear()


def test_it_lets_a_clean_page_through(settings):
    settings.FINALPOS_API_KEY = "live-key-0123456789"
    _guarded(HttpResponse("<p>all good</p>"))
    _guarded(StreamingHttpResponse(iter(["a,b\n"])))
    assert LEAKS == []
