"""Throughput under gunicorn: each page loaded with wrk at 1 and at 4 connections, as a ratio
to the floor page's throughput (measured first and again last). Every answer is checked."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import requests

from bench import config, load, probes
from bench.load import Check
from bench.machine import recorded

CONNECTIONS = (1, 4)


@dataclass(frozen=True)
class Page:
    key: str
    name: str
    user: str  # "regional" (a manager of 5 outlets, 25 tills) or "owner" (all 250 tills)
    path: str
    marker: str  # text only the right page holds
    target: float  # the throughput to reach, as a share of the floor's


def pages(info: dict[str, Any]) -> list[Page]:
    def history(which: str, sort: str = "-date", page: int = 1) -> Page:
        probe = probes.history_probe(info, which, sort, page)
        return Page(probe.key, probe.name, "owner", probe.path, probe.marker, 0.25)

    return [
        Page("floor", "Alerts (the floor)", "regional", "/account/alerts/", "<h1>Alerts</h1>", 0),
        Page("board_regional", "Board · regional, 25 tills", "regional", "/", "Store 01", 0.5),
        Page("board_owner", "Board · owner, 250 tills", "owner", "/", "Store 01", 0.25),
        history("all"),
        history("all", "-variance"),
        history("all", "-date", probes.DEEP_PAGE),
        history("short"),
        history("month"),
        Page("insights_owner", "Insights · owner", "owner", "/insights/", "By cashier", 0.25),
    ]


def first_fetch(port: int, page: Page, cookie: str) -> dict[str, Any]:
    """The page fetched once with requests: status (no redirect followed), size, marker."""
    response = requests.get(
        f"http://127.0.0.1:{port}{page.path}",
        cookies={"sessionid": cookie},
        allow_redirects=False,
        timeout=120,
    )
    found = page.marker in response.text
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "marker_found": found,
        "ok": response.status_code == 200 and found,
    }


def measure(
    port: int,
    page: Page,
    cookie: str,
    *,
    upstream_calls: Callable[[], int],
    boots: Callable[[], int],
    idle: Callable[[], float],
) -> dict[str, Any]:
    figures: dict[str, Any] = {"page": asdict(page), "idle_wait_s": idle()}
    figures["first"] = first_fetch(port, page, cookie)
    # Half the size of the first answer: a sign-in page or an error page is far smaller.
    check = Check(page.marker, figures["first"]["bytes"] // 2)
    load.many_connections(
        port, page.path, cookie, check, seconds=config.WARMUP, connections=max(CONNECTIONS)
    )
    for connections in CONNECTIONS:
        run: dict[str, Any] = {}
        calls, booted = upstream_calls(), boots()
        with recorded(run):
            run |= load.many_connections(
                port, page.path, cookie, check, seconds=config.DURATION, connections=connections
            )
        run["upstream_per_view"] = round((upstream_calls() - calls) / max(run["requests"], 1), 3)
        run["worker_boots"] = boots() - booted
        figures[f"c{connections}"] = run
    return figures
