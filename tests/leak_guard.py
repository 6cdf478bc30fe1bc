"""A test-only middleware that records any response carrying the Final POS API key.

The suite-wide fixture `_api_key_never_leaks` (conftest) fails a test when this records
anything, or when the key appears in a log line captured during the test."""

import gzip

from django.conf import settings

LEAKS: list[str] = []


def secrets_in_use() -> list[str]:
    return [key for key in (settings.FINALPOS_API_KEY, settings.FINALPOS_SIMULATOR_API_KEY) if key]


class ApiKeyLeakGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exposed = b"".join(f"{name}: {value}\n".encode() for name, value in response.items())
        if not response.streaming:
            content = response.content
            if response.get("Content-Encoding") == "gzip":  # a browser's page, e.g. in e2e tests
                content = gzip.decompress(content)
            exposed += content
        for key in secrets_in_use():
            if key.encode() in exposed:
                LEAKS.append(f"{request.method} {request.path} answered with the API key")
        return response
