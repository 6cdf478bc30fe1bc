"""Opening a shift: its queries (the form and the open itself, counted in-process for a cashier
of 25 tills and one of 250), and the open end to end through gunicorn, one after another on
free tills, against "own time ≤ 20 ms": the total less the round trips to Final POS it waited
for (the simulator answers every call after the configured latency, one call at a time)."""

import re
import time
from pathlib import Path
from typing import Any

import requests

from bench import scale
from bench.load import percentile
from bench.machine import recorded

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FLOAT = "200.00"


def free_tills(count: int) -> list[str]:
    """Tills with no shift open, no lost open and no claim, from the owner's last outlets."""
    from sessions_app.models import PendingOpen, SessionRecord

    busy = set(
        SessionRecord.objects.filter(close_time__isnull=True, deleted_at__isnull=True).values_list(
            "station_id", flat=True
        )
    )
    busy |= set(PendingOpen.objects.values_list("station_id", flat=True))
    free = [scale.station_id(i) for i in reversed(range(scale.TILLS)) if i >= 25]
    return [till for till in free if till not in busy][:count]


def count_queries(
    station_id: str, *, warm_up: str, statements_to: Path | None = None
) -> dict[str, Any]:
    """Queries of the open form (GET) for a cashier of 25 tills and for one of 250, and of
    one open (POST, through the simulator over HTTP) by the cashier of 250, whose statements
    go to ``statements_to`` (one per line, for whoever chases the count). An open on the
    ``warm_up`` till goes first, uncounted, as the form's first GET does: a process's first
    lock writes its heartbeat row, once."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = get_user_model().objects
    counts: dict[str, Any] = {}
    for label, username in (("form_25_tills", "cashier1"), ("form_250_tills", "cashier")):
        browser = Client()
        browser.force_login(users.get(username=username))
        browser.get("/sessions/open/")
        with CaptureQueriesContext(connection) as captured:
            status = browser.get("/sessions/open/").status_code
        counts[label] = len(captured) if status == 200 else f"status {status}"
    browser = Client()
    browser.force_login(users.get(username="cashier"))
    warmed = browser.post(
        "/sessions/open/", {"station": warm_up, "opening_amount": FLOAT, "opening_note": ""}
    )
    if warmed.status_code != 302:
        return counts | {"open_250_tills": f"status {warmed.status_code} (warm-up)"}
    with CaptureQueriesContext(connection) as captured:
        answer = browser.post(
            "/sessions/open/", {"station": station_id, "opening_amount": FLOAT, "opening_note": ""}
        )
    opened = answer.status_code == 302
    if statements_to is not None:
        statements_to.write_text("".join(f"{query['sql']}\n" for query in captured))
    counts["open_250_tills"] = len(captured) if opened else f"status {answer.status_code}"
    return counts


def measure(
    *,
    web_url: str,
    simulator_url: str,
    control: dict[str, str],
    cashier: requests.Session,
    tills: list[str],
    latency_ms: int,
) -> dict[str, Any]:
    totals, calls = [], []
    figures: dict[str, Any] = {"latency_ms": latency_ms}
    url = f"{web_url}/sessions/open/"
    with recorded(figures):
        for till in tills:
            token = TOKEN.search(cashier.get(f"{url}?station={till}").text)
            assert token, "no CSRF token on the open form"
            time.sleep(0.05)
            requests.delete(f"{simulator_url}/_simulator/requests", headers=control, timeout=10)
            started = time.perf_counter()
            response = cashier.post(
                url,
                data={
                    "csrfmiddlewaretoken": token[1],
                    "station": till,
                    "opening_amount": FLOAT,
                    "opening_note": "",
                },
                headers={"Referer": url},
                allow_redirects=False,
            )
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 302:
                raise RuntimeError(f"open on {till} answered {response.status_code}")
            time.sleep(0.05)
            answered = requests.get(
                f"{simulator_url}/_simulator/requests", headers=control, timeout=10
            ).json()["requests"]
            totals.append(elapsed)
            calls.append(len(answered))
    own = sorted(t - c * latency_ms for t, c in zip(totals, calls, strict=True))
    totals.sort()
    return figures | {
        "opens": len(totals),
        "p50_ms": round(percentile(totals, 0.5), 1),
        "p95_ms": round(percentile(totals, 0.95), 1),
        "upstream_calls": round(sum(calls) / max(len(calls), 1), 2),
        "own_p50_ms": round(percentile(own, 0.5), 1),
        "own_p95_ms": round(percentile(own, 0.95), 1),
        "target_own_ms": 20,
    }
