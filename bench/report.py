"""bench/RESULTS.md from the runs' results (bench/var/<database>/results.json). Targets are
reported as met or missed and by how much, never asserted. `python -m bench.report` writes it
again from the last runs."""

import json
import sys
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench import config
from bench.sections import (
    database_section,
    floor_ratio,
    inprocess_figure,
    stage_figures,
)

NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
NOT_RUN = "not measured in this run"


def name_of(run: dict) -> str:
    return NAMES.get(run["database"], run["database"])


def at_most(value: float, target: float, unit: str = "×", *, digits: int = 1) -> str:
    if value <= target:
        return "met"
    over = value - target
    if unit == "×":
        return f"**missed** by ×{over:.{digits}f} (×{value:.{digits}f} against ≤ ×{target:g})"
    return f"**missed** by {over:,.{digits}f} {unit} ({value:,.{digits}f} against ≤ {target:g})"


def at_least(value: float, target: float) -> str:
    if value >= target:
        return "met"
    return f"**missed** by ×{target - value:.3f} (×{value:.3f} against ≥ ×{target:g})"


def verdicts(*parts: str) -> str:
    missed = [part for part in parts if part != "met"]
    return "; ".join(missed) if missed else "met"


# --- The rows the issue names ----------------------------------------------------------------


def _ratio_cell(figures: dict | None, target: float) -> tuple[str, str]:
    if not figures:
        return NOT_RUN, ""
    measured = (
        f"×{figures['ratio']:.1f} ({figures['p50_ms']:.1f} ms, floor {figures['floor_p50_ms']:.1f})"
    )
    return measured, at_most(figures["ratio"], target)


def board_row(run: dict, *, key: str, target: float) -> tuple[str, str]:
    board = run.get("inprocess", {}).get("board", {})
    grown = run.get("inprocess", {}).get("board_grown", {})
    measured, verdict = _ratio_cell(board.get(key), target)
    small = board.get(key.replace("owner", "regional"))
    large = grown.get(f"{key}_{1000}")
    if small and large:
        growth = large["ratio"] / small["ratio"]
        measured += f"; growth 25 → 1,000 tills ×{growth:.2f}"
        verdict = verdicts(verdict, at_most(growth, 1.5, digits=2))
    return measured, verdict


def tills_row(run: dict) -> tuple[str, str]:
    grown = run.get("inprocess", {}).get("board_grown", {})
    warm, cold = grown.get("board_owner_1000"), grown.get("board_owner_cold_1000")
    if not warm or not cold:
        return NOT_RUN, ""
    measured = (
        f"warm ×{warm['ratio']:.1f} ({warm['p50_ms']:.1f} ms), cold ×{cold['ratio']:.1f} "
        f"({cold['p50_ms']:.1f} ms)"
    )
    return measured, verdicts(at_most(warm["ratio"], 2), at_most(cold["ratio"], 4))


def growth_row(run: dict, *, key: str, target: float) -> tuple[str, str]:
    stages = stage_figures(run, key)
    if not stages:
        return NOT_RUN, ""
    (_, last), first = stages[-1], stages[0][1]
    measured, verdict = _ratio_cell(last, target)
    if len(stages) > 1:
        path = " → ".join(f"×{figures['ratio']:.1f}" for _, figures in stages)
        counts = " → ".join(f"{shifts:,}" for shifts, _ in stages)
        growth = last["ratio"] / first["ratio"]
        measured += f"; growth ×{growth:.2f} ({path} at {counts} shifts)"
        if key.startswith("history"):
            verdict = verdicts(verdict, at_most(growth, 1.2, digits=2))
    return measured, verdict


def open_row(run: dict) -> tuple[str, str]:
    counted, opened = run.get("open_queries"), run.get("open")
    if not counted and not opened:
        return NOT_RUN, ""
    cells, parts = [], []
    if counted:
        cells.append(
            f"queries: form {counted['form_25_tills']} (25 tills) / {counted['form_250_tills']} "
            f"(250 tills), open {counted['open_250_tills']}"
        )
        numbers = [v for v in counted.values() if isinstance(v, int)]
        parts.append(at_most(max(numbers), 15, "queries", digits=0) if numbers else "**missed**")
    if opened:
        cells.append(
            f"own p50 {opened['own_p50_ms']:.1f} ms (end to end {opened['p50_ms']:.1f} ms, "
            f"{opened['upstream_calls']:.1f} calls of {opened['latency_ms']} ms)"
        )
        parts.append(at_most(opened["own_p50_ms"], 20, "ms"))
    return "; ".join(cells), verdicts(*parts)


def close_row(run: dict) -> tuple[str, str]:
    close = run.get("close")
    if not close:
        return NOT_RUN, ""
    measured = (
        f"own p50 {close['own_p50_ms']:.1f} ms (end to end {close['p50_ms']:.1f} ms, "
        f"{close['upstream_calls']:.1f} calls, waiting for "
        f"{max(close['upstream_calls'] - 1, 1):.1f} round trips of {close['latency_ms']} ms)"
    )
    return measured, at_most(close["own_p50_ms"], 30, "ms")


CSV_MEMORY_MB = 25  # "memory flat": the worker grows by less than this, whatever the rows


def csv_row(run: dict) -> tuple[str, str]:
    csv = run.get("csv")
    if not csv:
        return NOT_RUN, ""
    grew = csv["rss_peak_mb"] - csv["rss_before_mb"]
    measured = (
        f"{csv['seconds']:.2f} s for {csv['rows']:,} rows (first byte {csv['first_byte_s']:.2f} "
        f"s); memory +{grew:.0f} MB at peak"
    )
    return measured, verdicts(
        at_most(csv["seconds"], 2, "s", digits=2), at_most(grew, CSV_MEMORY_MB, "MB", digits=0)
    )


ROWS = [
    (
        "Board · owner, warm",
        "≤ ×2; growth 25 → 1,000 tills ≤ ×1.5",
        partial(board_row, key="board_owner", target=2),
    ),
    (
        "Board · owner, cold",
        "≤ ×4; growth 25 → 1,000 tills ≤ ×1.5",
        partial(board_row, key="board_owner_cold", target=4),
    ),
    ("Board · 1,000 tills", "warm ≤ ×2, cold ≤ ×4", tills_row),
    (
        "History · owner, short only",
        "≤ ×3; growth ≤ ×1.2",
        partial(growth_row, key="history_short", target=3),
    ),
    (
        "History · owner, one month",
        "≤ ×3; growth ≤ ×1.2",
        partial(growth_row, key="history_month", target=3),
    ),
    ("Insights · owner", "≤ ×4", partial(growth_row, key="insights_owner", target=4)),
    ("Open a shift", "≤ 15 queries whatever the tills; own ≤ 20 ms", open_row),
    ("Close a shift", "own ≤ 30 ms", close_row),
    ("CSV", f"≤ 2 s from a fresh worker; memory flat (< {CSV_MEMORY_MB} MB)", csv_row),
]


def matrix_row(run: dict) -> tuple[str, str]:
    matrix = run.get("inprocess", {}).get("history_matrix")
    if not matrix:
        return NOT_RUN, ""
    worst = max(matrix.values(), key=lambda figures: figures["ratio"])
    over = sum(1 for figures in matrix.values() if figures["ratio"] > 3)
    measured = (
        f"worst ×{worst['ratio']:.1f} ({worst['probe']['name']}); {over} of {len(matrix)} over ×3"
    )
    return measured, at_most(worst["ratio"], 3)


def throughput_row(run: dict, *, key: str, target: float) -> tuple[str, str]:
    pages = run.get("pages")
    if not pages or key not in pages:
        return NOT_RUN, ""
    ratios = {c: floor_ratio(run, key, c) for c in (1, 4)}
    measured = ", ".join(f"×{value:.2f} at {c}" for c, value in ratios.items())
    return measured, verdicts(*(at_least(value, target) for value in ratios.values()))


def inprocess_row(run: dict, *, group: str, key: str, target: float) -> tuple[str, str]:
    return _ratio_cell(inprocess_figure(run, group, key), target)


THROUGHPUT = [
    ("board, regional", "board_regional", 0.5),
    ("board, owner", "board_owner", 0.25),
    ("history, owner, newest first", "history_all", 0.25),
    ("history, owner, by difference", "history_all_variance", 0.25),
    ("history, owner, page 40", "history_all_p40", 0.25),
    ("history, owner, short only", "history_short", 0.25),
    ("history, owner, one month", "history_month", 0.25),
    ("insights, owner", "insights_owner", 0.25),
]
MORE_ROWS = [
    ("History · any filter × sort × page", "≤ ×3", matrix_row),
    (
        "Board · regional, warm",
        "≤ ×2",
        partial(inprocess_row, group="board", key="board_regional", target=2),
    ),
    (
        "Board · regional, cold",
        "≤ ×4",
        partial(inprocess_row, group="board", key="board_regional_cold", target=4),
    ),
    (
        "Shift report · owner",
        "≤ ×2",
        partial(inprocess_row, group="report", key="report", target=2),
    ),
    *(
        (
            f"Throughput · {label}",
            f"≥ ×{target:g} at 1 and 4 connections",
            partial(throughput_row, key=key, target=target),
        )
        for label, key, target in THROUGHPUT
    ),
]


def targets_table(runs: list[dict], rows: list) -> str:
    head = " | ".join(f"{name_of(run)} | result" for run in runs)
    lines = [f"| row | target | {head} |", "|---|---|" + "---|---|" * len(runs)]
    for label, target, figure in rows:
        cells = " | ".join(" | ".join(figure(run)) for run in runs)
        lines.append(f"| {label} | {target} | {cells} |")
    return "\n".join(lines)


# --- The page ---------------------------------------------------------------------------


def write(
    runs: list[dict],
    *,
    commands: list[str],
    elapsed: dict[str, float],
    measured_at: str = "",
    path: Path | None = None,
) -> str:
    """RESULTS.md; measured_at is given when it is written again from earlier runs."""
    first = runs[0]
    machine, settings = first["machine"], first["settings"]
    now = f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    written = (
        f"Measured by `make bench` on {measured_at}, written again from the same runs' "
        f"results by `python -m bench.report` on {now}"
        if measured_at
        else f"Written by the bench on {now}"
    )
    took = ", ".join(f"{NAMES.get(k, k)} {v / 60:.1f} min" for k, v in elapsed.items())
    what_ran = "; ".join(
        f"{name_of(run)} with the cache in {run['cache']}"
        + (", an earlier run's seed reused" if run.get("reused_seed") else "")
        for run in runs
    )
    text = f"""# Benchmark results

{written}
({", ".join(f"`{command}`" for command in commands)}; {took or "time not recorded"}). Figures
are measured and reported against the targets of issue 25, never asserted in tests. What ran:
{what_ran}.

## How

- **Machine:** {machine["host"]}, {machine["cores"]} CPU ({machine["cpu"]}),
  {machine["memory_mb"]:,} MB RAM, {machine["kernel"]}, Python {machine["python"]}, load
  generator {machine["wrk"]}. The simulator, gunicorn, wrk and the bench share these CPUs
  with whatever else runs; each figure below carries the load around it. The targets are
  ratios to the floor page measured in the same run, which is why they survive a busy
  machine.
- **The floor** is `/account/alerts/` signed in as the regional manager, the cheapest
  signed-in page the dashboard has.
- **In-process** (the × figures): each page rendered by Django's test client in the bench's
  own process, with production settings and the run's database and cache, one request at a
  time, interleaved with the floor, {settings["inprocess_requests"]} requests of each; a page's
  figure is its p50 divided by the floor's p50. A *cold* board empties the cache before each
  of its requests. History and insights are measured after each seed stage (2,500, 20,000,
  then every shift): their growth is the last stage's ratio over the first's. The board's
  growth is the owner's board with 1,000 tills (150 outlets added for the measurement) over
  the regional manager's with 25.
- **Throughput:** the Procfile's `web:` command (`{settings["command"]}`, {settings["workers"]}
  gthread workers × 4 threads, without worker recycling), each page loaded by wrk for
  {settings["duration_s"]} s at 1 and then 4 connections after a {settings["warmup_s"]} s
  warm-up, as a share of the floor's requests per second at the same number of connections
  (the floor measured first and again last). Every answer is checked: not 200, without the
  page's marker or under half the first answer's size counts as wrong.
- **Final POS** is the simulator, a separate HTTP server on loopback answering every call after
  {settings["latency_ms"]} ms. An open's and a close's own time is the total less the round
  trips it waited for.
- **Who:** "regional" manages 5 outlets (25 tills); "owner" is a superuser who sees every
  outlet (50 outlets, 250 tills; the board shows them ten outlets a page, its first page
  measured, with every outlet in its choice of outlet). "cashier" works at all 50 outlets (the
  open form lists 250 tills); "cashier1" at 5.
- **Data:** {first["seed"]["closed_shifts"]:,} closed shifts (one a day on each of 250 tills at
  50 outlets), each with a version 2 closing report as the dashboard writes it, and 200 open
  ones; Final POS holds the catalog, the open shifts with their sales and the newest
  {first["seed"]["upstream_closed"]:,} closed shifts.

## Targets

{targets_table(runs, ROWS)}

## More figures against the issue's targets

{targets_table(runs, MORE_ROWS)}

{"\n".join(database_section(run, name_of(run), elapsed.get(run["database"])) for run in runs)}"""
    (path or config.RESULTS).write_text(text)
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
