"""bench/RESULTS.md from the runs' results (bench/var/<database>/results.json). Targets are
reported as met or missed and by how much, never asserted. `python -m bench.report` writes it
again from the last runs."""

import json
import sys
from datetime import datetime
from typing import Any

from bench import config

NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
OWNER_PAGES = (
    "board_owner",
    "history_owner",
    "history_owner_variance",
    "history_owner_deep",
    "history_owner_variance_deep",
)


def name_of(run: dict) -> str:
    return NAMES.get(run["database"], run["database"])


def _ms(value: float) -> str:
    return f"{value:,.1f} ms"


def at_most(value: float, target: float, unit: str = "ms") -> str:
    if value <= target:
        return f"met ({target - value:,.1f} {unit} under)"
    return f"**missed** by {value - target:,.1f} {unit} ({value / target:.1f}× the target)"


def at_least(value: float, target: float) -> str:
    if value >= target:
        return f"met ({value / target:.1f}× the target)"
    return f"**missed** by {target - value:.3f} ({value / target:.0%} of the target)"


def floor_rps(run: dict) -> float:
    pages = run["pages"]
    runs = [pages[key]["many"]["rps"] for key in ("floor", "floor_again") if key in pages]
    return sum(runs) / len(runs)


def ratio(run: dict, key: str) -> float:
    return run["pages"][key]["many"]["rps"] / floor_rps(run)


def wrong(figures: dict) -> str:
    many, one = figures["many"], figures["one"]
    count = many["wrong_status"] + many["wrong_body"] + one["wrong_status"] + one["wrong_body"]
    first = "" if figures["first"]["ok"] else f", first fetch {figures['first']['status']}"
    timeouts = f" (+{many['socket_errors']} socket errors)" if many["socket_errors"] else ""
    boots = f", {many['worker_boots']} workers booted" if many["worker_boots"] else ""
    return f"{count}{timeouts}{first}{boots}"


def queries(run: dict, key: str) -> str:
    counted = run["seed"].get("queries")
    if not counted:
        return "not counted"
    return f"{counted['at_small'].get(key)} / {counted['at_full'].get(key)}"


def targets(run: dict) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for one run, in the issue's order."""
    pages = run["pages"]
    rows = []
    for key in OWNER_PAGES:
        p95 = pages[key]["one"]["p95_ms"]
        label = f"{pages[key]['page']['name']}: p95 ≤ 25 ms, one connection"
        rows.append((label, _ms(p95), at_most(p95, 25)))
    rows.append(
        (
            "Board · regional: throughput ≥ 0.5× the floor",
            f"{ratio(run, 'board_regional'):.3f}×",
            at_least(ratio(run, "board_regional"), 0.5),
        )
    )
    for key in OWNER_PAGES:
        rows.append(
            (
                f"{pages[key]['page']['name']}: throughput ≥ 0.25× the floor",
                f"{ratio(run, key):.3f}×",
                at_least(ratio(run, key), 0.25),
            )
        )
    close = run["close"]
    rows.append(
        (
            f"A close end to end ≤ 2 × {close['latency_ms']} ms + 30 ms (p95 of "
            f"{close['closes']} closes)",
            f"p95 {_ms(close['p95_ms'])}, p50 {_ms(close['p50_ms'])}",
            at_most(close["p95_ms"], close["target_ms"]),
        )
    )
    csv = run["csv"]
    rows.append(
        (
            "CSV of all shifts ≤ 2 s (the first request of a fresh worker)",
            f"{csv['seconds']:.2f} s for {csv['rows']:,} rows",
            at_most(csv["seconds"], 2, "s"),
        )
    )
    counted = run["seed"].get("queries")
    if counted:
        changed = [
            key
            for key, full in counted["at_full"].items()
            if full != counted["at_small"].get(key) or not isinstance(full, int)
        ]
        rows.append(
            (
                "Queries per page constant in the number of shifts",
                f"{counted['small']:,} vs {run['seed']['indexed']:,} shifts: "
                + (f"changed on {', '.join(changed)}" if changed else "the same on every page"),
                "**missed**" if changed else "met",
            )
        )
    soak, end = run["soak"], run["soak"]["end"]
    for label, value in (
        ("Soak: tills with two open sessions in Final POS (0)", end["tills_with_two_open"]),
        (
            "Soak: open sessions neither shown nor held as outcome unknown (0)",
            end["open_not_shown_nor_held"],
        ),
        ("Soak: shifts where the index disagrees with Final POS (0)", end["disagreements"]),
        ("Soak: dashboard answers other than 2xx/3xx (0)", soak["server_errors"]),
    ):
        rows.append((label, str(value), "met" if value == 0 else f"**missed** by {value}"))
    return rows


def targets_table(runs: list[dict]) -> str:
    head = " | ".join(f"{name_of(run)} | result" for run in runs)
    lines = [f"| target | {head} |", "|---|" + "---|---|" * len(runs)]
    per_run = [targets(run) for run in runs]
    for index, (label, _measured, _verdict) in enumerate(per_run[0]):
        cells = " | ".join(f"{rows[index][1]} | {rows[index][2]}" for rows in per_run)
        lines.append(f"| {label} | {cells} |")
    return "\n".join(lines)


def pages_side_by_side(runs: list[dict]) -> str:
    head = " | ".join(
        f"{name_of(run)} 1 conn p50 / p95 | {name_of(run)} req/s (× floor)" for run in runs
    )
    lines = [f"| page | {head} | queries |", "|---|" + "---|---|" * len(runs) + "---|"]
    for key, figures in runs[0]["pages"].items():
        if key.endswith("_again"):
            continue
        cells = []
        for run in runs:
            one, many = run["pages"][key]["one"], run["pages"][key]["many"]
            cells.append(
                f"{one['p50_ms']:.1f} / {one['p95_ms']:.1f} ms | {many['rps']:.1f} "
                f"({ratio(run, key):.3f}×)"
            )
        counted = {queries(run, key) for run in runs}
        query_cell = (
            counted.pop()
            if len(counted) == 1
            else ", ".join(f"{name_of(run)} {queries(run, key)}" for run in runs)
        )
        lines.append(f"| {figures['page']['name']} | {' | '.join(cells)} | {query_cell} |")
    return "\n".join(lines)


def page_table(run: dict) -> str:
    lines = [
        "| page | path | 1 conn p50 | 1 conn p95 (requests) | req/s | × floor | p95 under load "
        "| wrong answers | queries | upstream calls / view | load before → after | steal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, figures in run["pages"].items():
        page, one, many = figures["page"], figures["one"], figures["many"]
        name = page["name"] + (" (again, last)" if key.endswith("_again") else "")
        loaded = f"{many['p95_ms']:.1f}" if many["requests"] else "none finished"
        lines.append(
            f"| {name} | `{page['path']}` | {one['p50_ms']:.1f} | {one['p95_ms']:.1f} "
            f"({one['requests']}) | {many['rps']:.1f} | {ratio(run, key):.3f} "
            f"| {loaded} | {wrong(figures)} | {queries(run, page['key'])} "
            f"| {many['upstream_per_view']:.3f} | {one['load_before']:.2f} → "
            f"{many['load_after']:.2f} | {one['steal_pct']:.1f} / {many['steal_pct']:.1f} % |"
        )
    return "\n".join(lines)


def load_range(runs: list[dict]) -> tuple[float, float]:
    loads = [
        figures[phase][moment]
        for run in runs
        for figures in run["pages"].values()
        for phase in ("one", "many")
        for moment in ("load_before", "load_after")
    ]
    return min(loads), max(loads)


def steal_range(run: dict) -> str:
    steals = [f[phase]["steal_pct"] for f in run["pages"].values() for phase in ("one", "many")]
    return f"{min(steals):.1f} to {max(steals):.1f} %"


def close_section(run: dict) -> str:
    close = run["close"]
    return f"""{close["closes"]} closes, one after another, each on its own till (an open shift
with 20 to 40 sales), the cashier's POST confirm timed through gunicorn with the simulator
answering every call after {close["latency_ms"]} ms: **p50 {_ms(close["p50_ms"])}, p95
{_ms(close["p95_ms"])}** against a target of {close["target_ms"]} ms. Each close made
{close["upstream_calls"]:.1f} calls to Final POS (the simulator's request log): the shift and
its sales read side by side, then the write, so it waits for one round trip fewer than it
makes calls (the till's status is a task for the worker). The dashboard's own share, the
total minus those round trips × {close["latency_ms"]} ms: p50 {_ms(close["own_p50_ms"])},
p95 {_ms(close["own_p95_ms"])}. The client timed {_ms(close["upstream_logged_ms"])} of calls a
close on average, the two side-by-side reads counted apart. Load {close["load_before"]:.2f} →
{close["load_after"]:.2f}, steal {close["steal_pct"]} %."""


def csv_section(run: dict) -> str:
    csv = run["csv"]
    return f"""The owner's unfiltered export, {csv["rows"]:,} rows (status {csv["status"]}), as
the first request of a new gunicorn with one worker (requests that instance served:
{csv["requests_served"]}): **{csv["seconds"]:.2f} s**, first byte after
{csv["first_byte_s"]:.2f} s. The worker's memory (from `/proc`): VmRSS
{csv["rss_before_mb"]:.0f} MB before, {csv["rss_after_mb"]:.0f} MB after, peak (VmHWM)
{csv["rss_peak_mb"]:.0f} MB. Load {csv["load_before"]:.2f} → {csv["load_after"]:.2f}, steal
{csv["steal_pct"]} %."""


def soak_section(run: dict) -> str:
    soak, end = run["soak"], run["soak"]["end"]
    steps = "\n".join(f"  - {name}: {n}" for name, n in soak["steps"].items())
    refusals = "\n".join(f"  - {text} ({n})" for text, n in soak["refusals"].items())
    calls = ", ".join(f"{name} {n}" for name, n in soak["upstream_calls"].items())
    statuses = ", ".join(f"{code}: {n}" for code, n in soak["dashboard_statuses"].items())
    kinds = ", ".join(f"{kind}: {n}" for kind, n in end["disagreement_kinds"].items())
    unseen = ", ".join(end["open_not_shown_examples"])
    lines = [
        f"{soak['seconds']} s: {soak['cashiers']} cashiers opening and closing shifts on the "
        "regional manager's 25 tills, a manager reloading the board every 2 s, "
        "`refresh_finalpos --loop --interval 5` running, and Final POS losing one write answer "
        f"every {config.LOST_ANSWER_EVERY} s. Load {soak['load_before']:.2f} → "
        f"{soak['load_after']:.2f}, steal {soak['steal_pct']} %, workers booted during the "
        f"soak: {soak['worker_boots']}.",
        "",
        "- Steps (what the cashiers did and saw, and the lost answers scheduled and taken):",
        steps,
        "- Refusals shown to the cashiers (message, times):",
        refusals or "  - none",
        f"- Dashboard answers by status (gunicorn's access log): {statuses}; other than "
        f"2xx/3xx: **{soak['server_errors']}**"
        + (f" ({'; '.join(soak['server_error_examples'])})" if soak["server_errors"] else ""),
        f"- The refresh worker finished {soak['refresh_passes']} passes "
        f"({soak['refresh_failures']} failed); a pass re-reads every open shift and every "
        f"shift closed in the last 48 hours, {soak['refresh_rows']:,} at the start, one call "
        f"each. Calls Final POS answered during the soak: {calls}.",
        f"- At the end Final POS held {end['upstream_sessions']:,} sessions, "
        f"{end['upstream_open']} of them open. Tills with two open sessions: "
        f"**{end['tills_with_two_open']}**. Open sessions the dashboard neither shows nor holds "
        f"as outcome unknown: **{end['open_not_shown_nor_held']}**"
        + (f" ({unseen})" if unseen else "")
        + f"; tills held as outcome unknown: {end['held_as_unknown']}.",
        f"- Shifts on the soak's tills compared with Final POS (open or closed, close time, "
        f"closing amounts against counted): {end['compared']}; disagreements: "
        f"**{end['disagreements']}**"
        + (f" ({kinds}; e.g. {'; '.join(end['disagreement_examples'][:3])})" if kinds else "")
        + ".",
    ]
    return "\n".join(lines)


def run_section(run: dict, elapsed: float | None) -> str:
    seed, check = run["seed"], run["seed"]["check"]
    took = f"; the whole run took {elapsed / 60:.1f} min" if elapsed else ""
    differed = f" ({', '.join(check['examples'])})" if check["examples"] else ""
    return f"""## {name_of(run)} (cache: {run["cache"]})

Seeded in {seed["seed_seconds"]:.0f} s, {seed["indexed"]:,} shifts indexed{took}. Load average
at the start {run["load_at_start"][0]:.2f}. Seed check: {check["checked"]} seeded shifts indexed
again from their Final POS record by the dashboard's own code: {check["differences"]} differed
from the seeded row{differed}.

{page_table(run)}

### Close end to end

{close_section(run)}

### CSV export

{csv_section(run)}

### Lost-answer soak

{soak_section(run)}
"""


def write(
    runs: list[dict],
    *,
    commands: list[str],
    elapsed: dict[str, float],
    measured_at: str = "",
) -> str:
    """RESULTS.md; measured_at is given when it is written again from earlier runs."""
    first = runs[0]
    machine, settings, seed = first["machine"], first["settings"], first["seed"]
    restarts = ", ".join(
        f"{name_of(run)} {run['worker_boots'] - settings['workers']}" for run in runs
    )
    steal = "; ".join(f"{name_of(run)} {steal_range(run)}" for run in runs)
    lowest, highest = load_range(runs)
    busy = (
        ": more runnable processes than CPUs, so every figure here is slower than on a quiet "
        "machine, and by a varying amount; the ratios to the floor, measured under the same "
        "conditions, move less than the absolute figures."
        if highest > machine["cores"]
        else "."
    )
    now = f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    written = (
        f"Measured by `make bench` on {measured_at}, written again from the same runs' "
        f"results by `python -m bench.report` on {now}"
        if measured_at
        else f"Written by `make bench` on {now}"
    )
    small = seed["queries"]["small"] if seed.get("queries") else 0
    queries_how = (
        "each page rendered once in-process by Django's test client (after a warm-up render) "
        f"with its SQL queries counted, first with the {small:,} newest shifts seeded, then with "
        "all of them."
        if small
        else "not counted (BENCH_QUERIES=0)."
    )
    text = f"""# Benchmark results

{written}
({", ".join(f"`{command}`" for command in commands)}). Figures are measured and reported
against the targets, never asserted in tests. Databases: {", ".join(name_of(r) for r in runs)}.

## Machine and settings

- **Machine:** {machine["host"]}, {machine["cores"]} CPU ({machine["cpu"]}),
  {machine["memory_mb"]:,} MB RAM, {machine["kernel"]}, Python {machine["python"]}, load
  generator {machine["wrk"]}. wrk, the simulator, the refresh worker and gunicorn share these
  CPUs, and so may other people's test runs: every figure below has the 1-minute load average
  before and after it, and the CPU steal during it (the share of CPU time the hypervisor gave
  to other guests, from `/proc/stat`). Steal during the page runs: {steal}. The 1-minute
  load average during the page runs went from {lowest:.1f} to {highest:.1f} on
  {machine["cores"]} CPUs{busy}
- **Serving:** the Procfile's `web:` command with production settings (`DEBUG=false`, manifest
  static files), {settings["workers"]} gthread workers × 4 threads, **without worker
  recycling**: bench/serving.py strips the Procfile's `--max-requests 2000
  --max-requests-jitter 200`, so no worker restarts in the middle of a measurement. Workers
  booted beyond the first {settings["workers"]} (a restart): {restarts}. The command:
  `{settings["command"]}`.
- **Final POS** is the simulator, a separate HTTP server on loopback answering every call
  after {settings["latency_ms"]} ms.
- **Load:** each page is fetched once with `requests` (status 200, no redirect followed, its
  marker text), then loaded on **one connection** with sequential requests (at most
  {settings["one_requests"]} requests or {settings["one_seconds"]} s; Python's `http.client`
  with keep-alive, whose own cost is in the figure), then after a {settings["warmup_s"]} s
  warm-up with **{settings["connections"]} connections for {settings["duration_s"]} s** (wrk,
  2 threads). Every answer of both runs is checked (bench/wrk_report.lua for wrk): one that
  is not status 200, or lacks the page's marker, or is under half the first answer's size
  counts as wrong, so a redirect to the sign-in page never counts as fast.
- **The floor:** `/account/alerts/` signed in as the regional manager, the cheapest signed-in
  page the dashboard has ({queries(first, "floor")} queries). It is measured first and again
  last; each page's throughput is given as a ratio to the mean of the two floor runs.
- **Who:** "regional" is a manager of 5 outlets (25 tills); "owner" is a superuser who sees
  all 50 outlets (250 tills).
- **Queries:** {queries_how}
- **Data:** {seed["closed_shifts"]:,} closed shifts (one a day on each of 250 tills at 50
  outlets) and 200 open ones. Every closed shift carries a version 2 closing report as the
  dashboard writes it (per-method figures, cash movements, sales, the cash drawer, the bank
  deposit and the review; a cash count on 70 %, a blind count on 85 %, a handover or a
  manager's correction on a few) and the index's per-method fields (counted, expected,
  variances, cash_variance, variance_abs, result: 60 % balanced, 6 % mixed). Final POS holds
  the catalog, the open shifts with their sales, and the newest {seed["upstream_closed"]:,}
  closed shifts (the refresh re-reads the last 48 hours).

## Targets

{targets_table(runs)}

## Pages side by side

Latencies in milliseconds; queries with {small:,} / with all shifts.

{pages_side_by_side(runs)}

{"\n".join(run_section(run, elapsed.get(run["database"])) for run in runs)}"""
    config.RESULTS.write_text(text)
    return text


def load_runs(names: list[str]) -> list[dict[str, Any]]:
    runs = []
    for name in names:
        path = config.VAR / name / "results.json"
        if path.exists():
            runs.append(json.loads(path.read_text()))
    return runs


def remember(commands: list[str], elapsed: dict[str, float]) -> None:
    """What python -m bench.report needs to write RESULTS.md again from these runs."""
    measured_at = f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    (config.VAR / "run.json").write_text(
        json.dumps({"commands": commands, "elapsed": elapsed, "measured_at": measured_at})
    )


if __name__ == "__main__":
    # Writes RESULTS.md again from the last runs' results.json (after a change of wording).
    found = load_runs(sys.argv[1:] or ["sqlite", "postgres"])
    last = config.VAR / "run.json"
    run = json.loads(last.read_text()) if last.exists() else {}
    write(
        found,
        commands=run.get("commands", ["python -m bench.report"]),
        elapsed=run.get("elapsed", {}),
        measured_at=run.get("measured_at", "an earlier run"),
    )
    print(f"wrote {config.RESULTS.relative_to(config.ROOT)}")
