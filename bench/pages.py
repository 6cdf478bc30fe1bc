"""The pages the benchmark judges, how each is checked, and their measurements: one-connection
latency, multi-connection throughput against the floor page, and (in-process) queries."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import requests

from bench import config, load, scale
from bench.load import Check
from bench.machine import recorded

PAGE_SIZE = 50  # the history's rows per page (sessions_app/views/history.py)
DEEP_PAGE = 2000


@dataclass(frozen=True)
class Page:
    key: str
    name: str
    user: str  # "regional" (a manager of 5 outlets, 25 tills) or "owner" (all 250 tills)
    path: str
    marker: str  # text only the right page holds


def deep_page() -> int:
    """The page the history shows when asked for page 2000: its last page, as the history
    caps deep pages at MAX_PAGES."""
    from sessions_app.views.history import MAX_PAGES

    pages = -(-(scale.CLOSED_SHIFTS + scale.OPEN_SHIFTS) // PAGE_SIZE)
    return min(DEEP_PAGE, MAX_PAGES, pages)


def pages(info: dict[str, Any]) -> list[Page]:
    from django.utils.formats import localize  # the number as the template renders it

    deep = deep_page()
    deep_marker = f"Page {localize(deep)} of"
    filtered = (
        f"/sessions/?outlet={info['outlet']}&result=short&sort=-variance&date_to={info['today']}"
    )
    last_outlet = f"Store {scale.OUTLETS:02d}"
    return [
        Page("floor", "Alerts (the floor)", "regional", "/account/alerts/", "<h1>Alerts</h1>"),
        Page("board_regional", "Board · regional, 25 tills", "regional", "/", "Store 05"),
        Page("board_owner", "Board · owner, 250 tills", "owner", "/", last_outlet),
        Page("history_owner", "History · owner, newest first", "owner", "/sessions/", "Page 1 of"),
        Page(
            "history_owner_variance",
            "History · owner, by difference",
            "owner",
            "/sessions/?sort=-variance",
            "sorted by the largest difference",
        ),
        Page(
            "history_owner_deep",
            f"History · owner, page {DEEP_PAGE:,} (shows page {deep:,})",
            "owner",
            f"/sessions/?page={DEEP_PAGE}",
            deep_marker,
        ),
        Page(
            "history_owner_variance_deep",
            f"History · owner, by difference, page {DEEP_PAGE:,} (shows page {deep:,})",
            "owner",
            f"/sessions/?sort=-variance&page={DEEP_PAGE}",
            deep_marker,
        ),
        Page(
            "history_regional",
            "History · regional, filtered",
            "regional",
            filtered,
            "sorted by the largest difference",
        ),
        Page(
            "report",
            "Shift report · owner",
            "owner",
            f"/sessions/{info['report_id']}/",
            info["report_number"],
        ),
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
        "location": response.headers.get("Location", ""),
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
    one: dict[str, Any] = {}
    with recorded(one):
        one |= load.one_connection(
            port,
            page.path,
            cookie,
            check,
            requests=config.ONE_REQUESTS,
            seconds=config.ONE_SECONDS,
        )
    figures["one"] = one
    load.many_connections(
        port, page.path, cookie, check, seconds=config.WARMUP, connections=config.CONNECTIONS
    )
    many: dict[str, Any] = {}
    calls, booted = upstream_calls(), boots()
    with recorded(many):
        many |= load.many_connections(
            port,
            page.path,
            cookie,
            check,
            seconds=config.DURATION,
            connections=config.CONNECTIONS,
        )
    many["upstream_per_view"] = round((upstream_calls() - calls) / max(many["requests"], 1), 3)
    many["worker_boots"] = boots() - booted
    figures["many"] = many
    return figures


def count_queries(info: dict[str, Any]) -> dict[str, Any]:
    """Each page rendered in this process by Django's test client (after one warm-up render),
    with its SQL queries counted."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = get_user_model().objects
    counts: dict[str, Any] = {}
    for page in pages(info | {"report_number": ""}):
        browser = Client()
        browser.force_login(users.get(username=page.user))
        browser.get(page.path)
        with CaptureQueriesContext(connection) as captured:
            status = browser.get(page.path).status_code
        counts[page.key] = len(captured) if status == 200 else f"status {status}"
    return counts
