"""In-process page timings, measured the way issue 25 measures them: each page rendered by
Django's test client in the bench's own process (production settings, the same database and
cache as gunicorn), one request at a time, interleaved with the floor page in the same run,
BENCH_INPROCESS_REQUESTS of each. A page's figure is its p50 as a ratio to the floor's p50
measured beside it, which holds up on a busy machine far better than milliseconds do.

A cold board empties the cache before each of its requests (the floor's requests are not
affected); the cache is left warm by every other probe."""

import time
from dataclasses import asdict, dataclass
from statistics import median
from typing import Any

from bench import config
from bench.machine import recorded

FLOOR_PATH = "/account/alerts/"
FLOOR_USER = "regional"
FLOOR_MARKER = "<h1>Alerts</h1>"


@dataclass(frozen=True)
class Probe:
    key: str
    name: str
    user: str  # "regional", "owner" (or "cashier" for a cashier's page)
    path: str
    marker: str  # text only the right page holds
    cold: bool = False  # the cache emptied before every request of this page


class Browsers:
    """One signed-in test client per user, made on first use."""

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def __getitem__(self, username: str) -> Any:
        if username not in self._clients:
            from django.contrib.auth import get_user_model
            from django.test import Client

            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            self._clients[username] = client
        return self._clients[username]


def _get(client: Any, path: str, marker: str) -> tuple[float, bool]:
    """One request: its time in ms, and whether it was the right page (200, marker)."""
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    ok = response.status_code == 200 and marker.encode() in response.content
    return elapsed, ok


def _empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def _queries(client: Any, probe: Probe) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if probe.cold:
        _empty_cache()
    with CaptureQueriesContext(connection) as captured:
        client.get(probe.path)
    return len(captured)


def measure(probe: Probe, browsers: Browsers, *, requests: int | None = None) -> dict[str, Any]:
    """The probe and the floor, alternately, `requests` times each, after one warm-up each."""
    requests = requests or config.INPROCESS_REQUESTS
    floor, page = browsers[FLOOR_USER], browsers[probe.user]
    _get(floor, FLOOR_PATH, FLOOR_MARKER)
    first = page.get(probe.path)
    floors: list[float] = []
    pages: list[float] = []
    wrong = 0
    figures: dict[str, Any] = {"probe": asdict(probe)}
    with recorded(figures):
        for _ in range(requests):
            elapsed, ok = _get(floor, FLOOR_PATH, FLOOR_MARKER)
            floors.append(elapsed)
            wrong += not ok
            if probe.cold:
                _empty_cache()
            elapsed, ok = _get(page, probe.path, probe.marker)
            pages.append(elapsed)
            wrong += not ok
    floor_p50, page_p50 = median(floors), median(pages)
    return figures | {
        "requests": requests,
        "bytes": len(first.content),
        "status": first.status_code,
        "p50_ms": round(page_p50, 2),
        "floor_p50_ms": round(floor_p50, 2),
        "ratio": round(page_p50 / floor_p50, 2),
        "wrong": wrong,
        "queries": _queries(page, probe),
    }


def measure_all(probes: list[Probe], browsers: Browsers, say: Any = print) -> dict[str, Any]:
    measured = {}
    for probe in probes:
        figures = measured[probe.key] = measure(probe, browsers)
        say(
            f"  {probe.name}: p50 {figures['p50_ms']} ms, ×{figures['ratio']} the floor "
            f"({figures['floor_p50_ms']} ms), {figures['queries']} queries"
            + (f", WRONG {figures['wrong']}" if figures["wrong"] else "")
        )
    return measured
