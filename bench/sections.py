"""One database's section of bench/RESULTS.md: every figure the run measured, with the machine's
load around it (bench/report.py writes the targets tables above it)."""

from typing import Any

from bench import config


def stage_figures(run: dict, key: str) -> list[tuple[int, dict]]:
    """(shifts seeded, figures) of an in-process page at each seed stage, smallest first."""
    found = [(int(shifts), pages.get(key)) for shifts, pages in run.get("stages", {}).items()]
    return sorted((shifts, figures) for shifts, figures in found if figures is not None)


def inprocess_figure(run: dict, group: str, key: str) -> dict | None:
    return run.get("inprocess", {}).get(group, {}).get(key)


def floor_ratio(run: dict, key: str, connections: int) -> float:
    pages = run["pages"]
    floors = [pages[k][f"c{connections}"]["rps"] for k in ("floor", "floor_again") if k in pages]
    return pages[key][f"c{connections}"]["rps"] / (sum(floors) / len(floors))


def _load(figures: dict) -> str:
    return f"{figures['load_before']:.1f} → {figures['load_after']:.1f}"


def _inprocess_table(pages: dict[str, Any]) -> str:
    lines = [
        "| page | path | p50 | floor p50 | × floor | queries | bytes | wrong | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for figures in pages.values():
        probe = figures["probe"]
        lines.append(
            f"| {probe['name']} | `{probe['path']}` | {figures['p50_ms']:.1f} ms "
            f"| {figures['floor_p50_ms']:.1f} ms | ×{figures['ratio']:.2f} | {figures['queries']} "
            f"| {figures['bytes']:,} | {figures['wrong']} | {_load(figures)} |"
        )
    return "\n".join(lines)


def _stages_table(run: dict) -> str:
    stages = sorted(run.get("stages", {}).items(), key=lambda item: int(item[0]))
    stages = [(int(shifts), pages) for shifts, pages in stages if pages]
    if not stages:
        return "Not measured in this run."
    head = " | ".join(f"{shifts:,} shifts" for shifts, _ in stages)
    lines = [f"| page | {head} | growth | queries |", "|---|" + "---|" * (len(stages) + 2)]
    for key, figures in stages[-1][1].items():
        cells, counts = [], []
        for _, pages in stages:
            found = pages.get(key)
            cells.append(f"×{found['ratio']:.2f} ({found['p50_ms']:.1f} ms)" if found else "—")
            counts.append(str(found["queries"]) if found else "—")
        first = stages[0][1].get(key)
        growth = f"×{figures['ratio'] / first['ratio']:.2f}" if first else "—"
        lines.append(
            f"| {figures['probe']['name']} | {' | '.join(cells)} | {growth} | "
            f"{' / '.join(counts)} |"
        )
    return "\n".join(lines)


def _throughput_table(run: dict) -> str:
    pages = run.get("pages")
    if not pages:
        return "Not measured in this run."
    lines = [
        "| page | req/s at 1 (× floor) | p50 at 1 | req/s at 4 (× floor) | p50 / p95 at 4 "
        "| wrong | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, figures in pages.items():
        one, four = figures["c1"], figures["c4"]
        wrong = sum(figures[c]["wrong_status"] + figures[c]["wrong_body"] for c in ("c1", "c4"))
        wrong_text = str(wrong) + ("" if figures["first"]["ok"] else " (first fetch wrong)")
        name = figures["page"]["name"] + (" (again, last)" if key.endswith("_again") else "")
        lines.append(
            f"| {name} | {one['rps']:.1f} (×{floor_ratio(run, key, 1):.2f}) | "
            f"{one['p50_ms']:.1f} ms | {four['rps']:.1f} (×{floor_ratio(run, key, 4):.2f}) | "
            f"{four['p50_ms']:.1f} / {four['p95_ms']:.1f} ms | {wrong_text} | "
            f"{one['load_before']:.1f} → {four['load_after']:.1f} |"
        )
    return "\n".join(lines)


def _open_section(run: dict) -> str:
    counted, opened = run.get("open_queries"), run.get("open")
    parts = []
    if counted:
        parts.append(
            f"Queries (in-process, Django's test client): the open form "
            f"{counted['form_25_tills']} for a cashier of 25 tills and "
            f"{counted['form_250_tills']} for one of 250; one open (the POST, through the "
            f"simulator over HTTP; the process's second, after the heartbeat row its first "
            f"lock writes) {counted['open_250_tills']}."
        )
    if opened:
        parts.append(
            f"{opened['opens']} opens through gunicorn, one after another on free tills: "
            f"**p50 {opened['p50_ms']:.1f} ms, p95 {opened['p95_ms']:.1f} ms** end to end, "
            f"{opened['upstream_calls']:.1f} calls to Final POS each (the create; the till's "
            f"status is a task), so own time p50 **{opened['own_p50_ms']:.1f} ms**, p95 "
            f"{opened['own_p95_ms']:.1f} ms. Load {_load(opened)}."
        )
    return "\n\n".join(parts) or "Not measured in this run."


def _close_section(run: dict) -> str:
    close = run.get("close")
    if not close:
        return "Not measured in this run."
    return (
        f"{close['closes']} closes through gunicorn, one after another, each on its own till (an "
        f"open shift with 20 to 40 sales): **p50 {close['p50_ms']:.1f} ms, p95 "
        f"{close['p95_ms']:.1f} ms** end to end. Each made {close['upstream_calls']:.1f} calls "
        f"to Final POS: the shift and its sales read side by side, then the write, so it waits "
        f"for one round trip fewer than it makes calls. Own time (total less those round "
        f"trips): p50 **{close['own_p50_ms']:.1f} ms**, p95 {close['own_p95_ms']:.1f} ms; less "
        f"the calls as the client timed them: p50 {close['own_logged_p50_ms']:.1f} ms. Load "
        f"{_load(close)}."
    )


def _csv_section(run: dict) -> str:
    csv = run.get("csv")
    if not csv:
        return "Not measured in this run."
    return (
        f"The owner's unfiltered export, {csv['rows']:,} rows (status {csv['status']}), as the "
        f"first request of a new gunicorn with one worker (requests that instance served: "
        f"{csv['requests_served']}): **{csv['seconds']:.2f} s** to the last byte, first byte "
        f"after {csv['first_byte_s']:.2f} s. The worker's memory (from `/proc`): VmRSS "
        f"{csv['rss_before_mb']:.0f} MB before, {csv['rss_after_mb']:.0f} MB after, peak "
        f"(VmHWM) {csv['rss_peak_mb']:.0f} MB. Load {_load(csv)}."
    )


def _soak_section(run: dict) -> str:
    soak = run.get("soak")
    if not soak:
        return "Not measured in this run."
    end = soak["end"]
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
        f"every {config.LOST_ANSWER_EVERY} s. Load {_load(soak)}, workers booted during the "
        f"soak: {soak['worker_boots']}.",
        "",
        "- Steps (what the cashiers did and saw, and the lost answers scheduled and taken):",
        steps,
        "- Refusals shown to the cashiers (message, times):",
        refusals or "  - none",
        f"- Dashboard answers by status (gunicorn's access log): {statuses}; other than "
        f"2xx/3xx: **{soak['server_errors']}**"
        + (f" ({'; '.join(soak['server_error_examples'])})" if soak["server_errors"] else ""),
        f"- Calls Final POS answered during the soak: {calls}.",
        f"- At the end Final POS held {end['upstream_sessions']:,} sessions, "
        f"{end['upstream_open']} of them open. Tills with two open sessions: "
        f"**{end['tills_with_two_open']}**. Open sessions the dashboard neither shows nor holds "
        f"as outcome unknown: **{end['open_not_shown_nor_held']}**"
        + (f" ({unseen})" if unseen else "")
        + f"; tills held as outcome unknown: {end['held_as_unknown']}.",
        f"- Shifts on the soak's tills compared with Final POS: {end['compared']}; "
        f"disagreements: **{end['disagreements']}**"
        + (f" ({kinds}; e.g. {'; '.join(end['disagreement_examples'][:3])})" if kinds else "")
        + ".",
    ]
    return "\n".join(lines)


def database_section(run: dict, name: str, elapsed: float | None) -> str:
    seed = run["seed"]
    check = seed.get("check") or {}
    took = f"; the whole run took {elapsed / 60:.1f} min" if elapsed else ""
    checked = (
        f" Seed check: {check['checked']} seeded shifts indexed again from their Final POS "
        f"record by the dashboard's own code, {check['differences']} differed."
        if check
        else ""
    )
    inprocess = run.get("inprocess", {})
    board = {**inprocess.get("board", {}), **inprocess.get("board_grown", {})}
    matrix = inprocess.get("history_matrix", {})
    return f"""## {name} (cache: {run["cache"]})

{seed["indexed"]:,} shifts indexed{took}; load average at the start
{run["load_at_start"][0]:.2f}.{checked} Worker restarts during the run:
{run.get("worker_restarts", "n/a")}.

### In-process, as the shifts grow

{_stages_table(run)}

### In-process: the board, and the shift report

{_inprocess_table({**board, **inprocess.get("report", {})}) if board else "Not measured."}

### In-process: the history, every filter × sort × first and last page

{_inprocess_table(matrix) if matrix else "Not measured in this run."}

### Throughput under gunicorn

{_throughput_table(run)}

### Open a shift

{_open_section(run)}

### Close a shift

{_close_section(run)}

### CSV export

{_csv_section(run)}

### Lost-answer soak

{_soak_section(run)}
"""
