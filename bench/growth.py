"""The in-process measurements of a run: at each seed stage the pages whose growth with the
number of shifts is a target, and once every shift is in, the board (warm and cold, and again
with 1,000 tills), every history filter, sort and page, and the shift report."""

from typing import Any

from bench import config, inprocess, probes, tills
from bench.inprocess import Browsers


def browsers() -> Browsers:
    return Browsers()


def _part(probe: inprocess.Probe) -> str:
    return probe.key.split("_", 1)[0]  # history, insights, board, report


def at_stage(shifts: int, info: dict[str, Any], browsers: Browsers, *, say: Any) -> dict:
    chosen = [p for p in probes.growth_probes(info) if config.wanted(_part(p))]
    if not chosen:
        return {}
    say(f"in-process, {shifts:,} shifts seeded:")
    return inprocess.measure_all(chosen, browsers, say)


def full(info: dict[str, Any], browsers: Browsers, *, say: Any) -> dict[str, Any]:
    measured: dict[str, Any] = {}
    if config.wanted("board"):
        say("in-process, the board (25 and 250 tills):")
        measured["board"] = inprocess.measure_all(probes.board_probes(), browsers, say)
        with tills.grown_catalog() as added:
            label = probes.tills_label(250 + added)
            say(f"in-process, the board with {label}:")
            grown = [
                inprocess.Probe(
                    f"{p.key}_{tills.GROWN_TILLS}",
                    f"{p.name} ({label})",
                    p.user,
                    p.path,
                    p.marker,
                    p.cold,
                )
                for p in probes.board_probes()
                if p.user == "owner"
            ]
            measured["board_grown"] = inprocess.measure_all(grown, browsers, say)
            measured["board_grown_tills"] = 250 + added
    if config.wanted("history"):
        say("in-process, every history filter × sort × page:")
        measured["history_matrix"] = inprocess.measure_all(
            probes.history_matrix(info), browsers, say
        )
    if config.wanted("report"):
        measured["report"] = inprocess.measure_all([probes.report_probe(info)], browsers, say)
    return measured
