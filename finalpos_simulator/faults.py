"""Fault injection: the ways the simulated API can be told to fail, for tests and benchmarks."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FaultRule:
    """Answer matching calls badly: a forced status, a malformed body, a dropped connection,
    or a delay. ``when="after"`` performs the operation first (the write lands, the answer is
    lost), the nastiest case for a client. ``"overwritten"``: a write lands and is answered,
    then a till saves the copy it had from before over it, as if a moment later."""

    action: str  # "status" | "malformed" | "drop" | "delay" | "overwritten"
    status: int = 500
    messages: list[str] = field(default_factory=list)
    body: str | None = None
    delay_ms: int = 0
    method: str | None = None
    path_contains: str | None = None
    times: int | None = None  # None: every matching call
    when: str = "before"
    skip: int = 0  # let this many matching calls through first
    headers: dict[str, str] = field(default_factory=dict)  # e.g. Location, Retry-After

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method and self.method.upper() != method:
            return False
        return not (self.path_contains and self.path_contains not in path)

    def take(self) -> bool:
        """Called for a matching call: whether the fault applies to it (and count it)."""
        if self.skip > 0:
            self.skip -= 1
            return False
        if self.times is not None:
            self.times -= 1
        return True


@dataclass
class Faults:
    latency_ms: int = 0  # added to every call
    error_rate: float = 0.0  # share of calls answered 503
    slow_rate: float = 0.0  # share of calls delayed by slow_ms
    slow_ms: int = 0
    rules: list[FaultRule] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Faults":
        rules = [FaultRule(**rule) for rule in data.get("rules", [])]
        return cls(
            latency_ms=int(data.get("latency_ms", 0)),
            error_rate=float(data.get("error_rate", 0.0)),
            slow_rate=float(data.get("slow_rate", 0.0)),
            slow_ms=int(data.get("slow_ms", 0)),
            rules=rules,
        )
