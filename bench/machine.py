"""The machine's state beside each figure: load average before and after a run, the CPU time
the hypervisor gave to other guests (steal) during it, and the memory of a process."""

import os
import platform
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages from /proc/loadavg."""
    return [float(value) for value in Path("/proc/loadavg").read_text().split()[:3]]


def cpu_jiffies() -> tuple[int, int]:
    """(steal, total) jiffies of all CPUs from the first line of /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    # user nice system idle iowait irq softirq steal guest guest_nice; guest time is already
    # counted in user and nice, so it is left out of the total.
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def steal_percent(start: tuple[int, int], end: tuple[int, int]) -> float:
    total = end[1] - start[1]
    return round(100 * (end[0] - start[0]) / total, 1) if total else 0.0


@contextmanager
def recorded(figures: dict) -> Iterator[None]:
    """Adds load_before, load_after (1-minute load average), steal_pct and wall_s to figures."""
    figures["load_before"] = load_average()[0]
    jiffies = cpu_jiffies()
    started = time.monotonic()
    try:
        yield
    finally:
        figures["wall_s"] = round(time.monotonic() - started, 2)
        figures["steal_pct"] = steal_percent(jiffies, cpu_jiffies())
        figures["load_after"] = load_average()[0]


def memory_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory (VmRSS) or its peak (VmHWM), in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def cpu_ticks(pids: list[int]) -> int:
    """User and system CPU time of these processes (and their threads), in clock ticks."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def wait_idle(pids: list[int], *, quiet: float = 0.5, timeout: float = 120) -> float:
    """Waits until these processes have used no CPU for `quiet` seconds (requests still queued
    from the last run would otherwise be served during the next one); returns the wait."""
    started = time.monotonic()
    last, still_since = cpu_ticks(pids), time.monotonic()
    while time.monotonic() - started < timeout:
        time.sleep(0.1)
        now = cpu_ticks(pids)
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            break
    return round(time.monotonic() - started, 2)


def describe() -> dict:
    """What the figures were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    wrk = "not installed (Python load generator used)"
    if shutil.which("wrk"):
        version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        wrk = version.split("\n")[0].split(" Copyright")[0] or "wrk"
    return {
        "host": platform.node(),
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_mb": memory_kb // 1024,
        "kernel": platform.platform(),
        "python": platform.python_version(),
        "wrk": wrk,
    }
