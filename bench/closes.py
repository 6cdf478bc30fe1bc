"""A close end to end: the cashier's POST confirm through gunicorn, one after another, each on
its own till, against the target "at most 2 x upstream latency + 30 ms". The upstream time of
each close comes from the simulator's request log (the calls it answered, each after the
configured latency) and from the dashboard's own log lines, which time every call."""

import re
import time
from pathlib import Path
from typing import Any

import requests

from bench.load import percentile
from bench.machine import recorded

UPSTREAM_LINE = re.compile(r"finalpos \w+ \S+ -> \d+ in ([\d.]+) ms")
HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|close_request_id|updated_at)"[^>]*value="([^"]*)"')


def still_open(shifts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The seeded open shifts still open (a reused seed's earlier run closed some)."""
    from sessions_app.models import SessionRecord

    open_ids = set(
        SessionRecord.objects.filter(
            id__in=[shift["id"] for shift in shifts], close_time__isnull=True
        ).values_list("id", flat=True)
    )
    return [shift for shift in shifts if shift["id"] in open_ids]


def close_form(cashier: requests.Session, url: str) -> dict[str, str]:
    return dict(HIDDEN.findall(cashier.get(url).text))


def measure(
    *,
    web_url: str,
    simulator_url: str,
    control: dict[str, str],
    cashier: requests.Session,
    shifts: list[dict[str, Any]],
    log: Path,
    latency_ms: int,
) -> dict[str, Any]:
    totals, logged, simulated, calls = [], [], [], []
    figures: dict[str, Any] = {"latency_ms": latency_ms}
    with recorded(figures):
        for shift in shifts:
            url = f"{web_url}/sessions/{shift['id']}/close/"
            fields = close_form(cashier, url) | {
                "counted_cash": shift["expected"]["cash"],
                "counted_card": shift["expected"]["card"],
                "counted_oliverPay": shift["expected"]["oliverPay"],
                "closing_note": "",
                "variance_reason": "",
                "action": "confirm",
            }
            time.sleep(0.05)  # let the form's own log lines land first
            requests.delete(f"{simulator_url}/_simulator/requests", headers=control, timeout=10)
            offset = log.stat().st_size
            started = time.perf_counter()
            response = cashier.post(
                url, data=fields, headers={"Referer": url}, allow_redirects=False
            )
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 302 or "/close/" in response.headers.get("Location", ""):
                (log.parent / "close-refused.html").write_text(response.text)
                raise RuntimeError(
                    f"close of {shift['id']} answered {response.status_code}"
                    f" (page in {log.parent / 'close-refused.html'})"
                )
            time.sleep(0.05)
            answered = requests.get(
                f"{simulator_url}/_simulator/requests", headers=control, timeout=10
            ).json()["requests"]
            with log.open() as handle:
                handle.seek(offset)
                spent = [float(ms) for ms in UPSTREAM_LINE.findall(handle.read())]
            totals.append(elapsed)
            logged.append(sum(spent))
            # The shift and its sales are read side by side: one round trip for the two.
            simulated.append(max(len(answered) - 1, 1) * latency_ms)
            calls.append(len(answered))
    own_logged = sorted(t - u for t, u in zip(totals, logged, strict=True))
    own_simulated = sorted(t - u for t, u in zip(totals, simulated, strict=True))
    totals.sort()
    return figures | {
        "closes": len(totals),
        "p50_ms": round(percentile(totals, 0.5), 1),
        "p95_ms": round(percentile(totals, 0.95), 1),
        "upstream_calls": round(sum(calls) / max(len(calls), 1), 2),
        "upstream_logged_ms": round(sum(logged) / max(len(logged), 1), 1),
        "own_p50_ms": round(percentile(own_simulated, 0.5), 1),
        "own_p95_ms": round(percentile(own_simulated, 0.95), 1),
        "own_logged_p50_ms": round(percentile(own_logged, 0.5), 1),
        "own_logged_p95_ms": round(percentile(own_logged, 0.95), 1),
        "target_ms": 2 * latency_ms + 30,
    }
