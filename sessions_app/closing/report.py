"""The closing report itself: a typed, versioned document with one tolerant parse and one
strict serialise."""

import json
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from sessions_app.closing.drawer import (
    BlindCount,
    CashDrawer,
    CashMovement,
    Handover,
    SalesSummary,
)
from sessions_app.closing.parts import (
    CashDrop,
    Correction,
    MethodFigures,
    Review,
)
from sessions_app.closing.values import (
    RawEntry,
    UnreadablePart,
    amount_from_report,
    amount_to_report,
    amounts_text,
    counts_to_report,
    read_amounts,
    read_counts,
    read_object,
    read_text,
    read_time,
    time_text,
)

VERSION = 2
WRITER = "till-close-dashboard"  # marks the reports this project writes (from version 2)


@dataclass
class PreviousClose:
    """A close that a reopening undid, kept whole."""

    closed_by: str
    close_time: datetime | None
    closing_amounts: dict[str, Decimal | None]
    closing_note: str
    report: "ClosingReport | None"

    @classmethod
    def from_document(cls, value: Any) -> "PreviousClose":
        data = read_object(value)
        report = data.get("report")
        return cls(
            closed_by=read_text(data.get("closedBy")),
            close_time=read_time(data.get("closeTime")),
            closing_amounts=read_amounts(data.get("closingAmounts") or {}),
            closing_note=read_text(data.get("closingNote")),
            report=ClosingReport.from_document(report) if report is not None else None,
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "closedBy": self.closed_by,
            "closeTime": time_text(self.close_time),
            "closingAmounts": amounts_text(self.closing_amounts),
            "closingNote": self.closing_note,
            "report": self.report.to_document() if self.report is not None else None,
        }


@dataclass
class Reopening:
    at: datetime | None
    by: str
    reason: str
    previous_close: PreviousClose | None

    @classmethod
    def from_document(cls, value: Any) -> "Reopening":
        data = read_object(value)
        previous = data.get("previousClose")
        return cls(
            at=read_time(data.get("at")),
            by=read_text(data.get("by")),
            reason=read_text(data.get("reason")),
            previous_close=PreviousClose.from_document(previous) if previous else None,
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "at": time_text(self.at),
            "by": self.by,
            "reason": self.reason,
            "previousClose": self.previous_close.to_document() if self.previous_close else None,
        }


def _entries(
    value: Any, kind: type[Correction] | type[Reopening] | type[CashMovement]
) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise UnreadablePart(f"not a list: {value!r}")
    entries: list[Any] = []
    for item in value:
        try:
            entries.append(kind.from_document(item))
        except UnreadablePart:
            entries.append(RawEntry(item))
    return entries


def _entries_document(entries: list[Any]) -> list[Any]:
    return [entry.raw if isinstance(entry, RawEntry) else entry.to_document() for entry in entries]


# The report's keys, in the order they are written, with how each is read.
_PARTS: dict[str, tuple[str, Any]] = {
    "version": ("version", lambda v: v if isinstance(v, int) and not isinstance(v, bool) else 1),
    "writer": ("writer", read_text),
    "currency": ("currency", read_text),
    "expectedAvailable": ("expected_available", bool),
    "methods": (
        "methods",
        lambda v: {str(k): MethodFigures.from_document(line) for k, line in read_object(v).items()},
    ),
    "varianceTotal": ("variance_total", amount_from_report),
    "varianceReason": ("variance_reason", read_text),
    "cashCount": ("cash_count", read_counts),
    "cashMovements": ("cash_movements", lambda v: _entries(v, CashMovement)),
    "sales": ("sales", lambda v: None if v is None else SalesSummary.from_document(v)),
    "cashDrawer": ("cash_drawer", lambda v: None if v is None else CashDrawer.from_document(v)),
    "handover": ("handover", lambda v: None if v is None else Handover.from_document(v)),
    "blindCount": ("blind_count", lambda v: None if v is None else BlindCount.from_document(v)),
    # Version 1 called the money banked at close a "cash drop"; version 2 a bank deposit.
    "cashDrop": ("cash_drop", lambda v: None if v is None else CashDrop.from_document(v)),
    "bankDeposit": ("cash_drop", lambda v: None if v is None else CashDrop.from_document(v)),
    "review": ("review", Review.from_document),
    "corrections": ("corrections", lambda v: _entries(v, Correction)),
    "reopenings": ("reopenings", lambda v: _entries(v, Reopening)),
    "closeRequestId": ("close_request_id", read_text),
    # null: none (reports written before 2026-12-07 could carry one where no till wrote any).
    "foreign": ("foreign", lambda v: v if v is None or isinstance(v, str) else json.dumps(v)),
}


# The key each part is written under (the last one listed, for a part that was renamed).
_WIRE_NAMES = {attribute: key for key, (attribute, _read) in _PARTS.items()}


class ReportParts(TypedDict, total=False):
    """The parts ClosingReport.set changes, by attribute name and type: a misspelt part, or a
    value of the wrong type, fails mypy instead of adding an attribute nobody writes."""

    currency: str
    expected_available: bool
    methods: dict[str, MethodFigures]
    variance_total: Decimal | None
    variance_reason: str
    cash_count: dict[Decimal, int] | None
    cash_movements: list[CashMovement | RawEntry]
    sales: SalesSummary | None
    cash_drawer: CashDrawer | None
    handover: Handover | None
    blind_count: BlindCount | None
    cash_drop: CashDrop | None
    review: Review
    corrections: list[Correction | RawEntry]
    reopenings: list[Reopening | RawEntry]
    close_request_id: str
    foreign: str | None


@dataclass
class ClosingReport:
    """This project's closing report, or a till's report kept whole in ``foreign``."""

    version: int = VERSION
    writer: str = WRITER
    currency: str = ""
    expected_available: bool = True
    methods: dict[str, MethodFigures] = field(default_factory=dict)
    variance_total: Decimal | None = None
    variance_reason: str = ""
    cash_count: dict[Decimal, int] | None = None
    cash_movements: list[CashMovement | RawEntry] = field(default_factory=list)
    sales: SalesSummary | None = None
    cash_drawer: CashDrawer | None = None
    handover: Handover | None = None
    blind_count: BlindCount | None = None
    cash_drop: CashDrop | None = None
    review: Review = field(default_factory=Review)
    corrections: list[Correction | RawEntry] = field(default_factory=list)
    reopenings: list[Reopening | RawEntry] = field(default_factory=list)
    close_request_id: str = ""
    # Parts present in the document: only these are written back (a reopened shift's report
    # has no figures yet, and must not gain empty ones).
    present: set[str] = field(default_factory=set)
    extra: dict[str, Any] = field(default_factory=dict)
    unreadable: dict[str, Any] = field(default_factory=dict)
    # A till's own closingReportData, kept whole: the whole document when the till wrote the
    # report, or inside ours once the dashboard has written over it.
    foreign: str | None = None
    is_ours: bool = True

    @property
    def review_state(self) -> str:
        return self.review.state

    def expected_amounts(self) -> dict[str, Decimal] | None:
        """The expected amounts the shift was closed with; None when they were not known."""
        if not self.is_ours or not self.expected_available:
            return None
        expected = {
            key: line.expected for key, line in self.methods.items() if line.expected is not None
        }
        return expected or None

    def without_reopenings(self) -> "ClosingReport":
        """A copy as it stood at one close, for the reopening that undoes it."""
        copy = deepcopy(self)
        copy.reopenings = []
        copy.present.discard("reopenings")
        copy.unreadable.pop("reopenings", None)
        return copy

    def set(self, **changes: Unpack[ReportParts]) -> "ClosingReport":
        """Sets parts by their attribute names and marks them present (so they are written).
        A report the dashboard writes to is written as this version."""
        self.version, self.writer = VERSION, WRITER
        self.present.add("writer")
        for attribute, value in changes.items():
            setattr(self, attribute, value)
            for key, (part_attribute, _read) in _PARTS.items():
                if part_attribute == attribute:  # one key per part (a renamed one goes)
                    self.present.discard(key)
                    self.unreadable.pop(key, None)
            self.present.add(_WIRE_NAMES[attribute])
        return self

    @classmethod
    def from_document(cls, document: Any) -> "ClosingReport":
        """A decoded report; never raises."""
        if document is None:  # JSON null: no report at all, not a till's report reading "null"
            return cls(is_ours=False)
        if isinstance(document, dict) and set(document) == {"foreign"}:
            return cls(foreign=str(document["foreign"]), is_ours=False)
        if not _looks_like_ours(document):
            return cls(foreign=json.dumps(document, ensure_ascii=False), is_ours=False)
        report = cls()
        for key, value in document.items():
            if key not in _PARTS:
                report.extra[key] = value
                continue
            attribute, read = _PARTS[key]
            try:
                setattr(report, attribute, read(value))
            except (UnreadablePart, TypeError, ValueError, AttributeError):
                report.unreadable[key] = value
                continue
            report.present.add(key)
        return report

    def to_document(self) -> dict[str, Any]:
        if not self.is_ours:
            return {"foreign": self.foreign}
        document: dict[str, Any] = {}
        for key, (attribute, _read) in _PARTS.items():
            if key in self.unreadable:
                document[key] = self.unreadable[key]
            elif key in self.present or key == "version":
                document[key] = _part_document(getattr(self, attribute))
        return document | self.extra

    def to_json(self) -> str:
        """The closingReportData string to send to Final POS."""
        if not self.is_ours:
            raise ValueError("A till's report is never written back as the dashboard's own.")
        return json.dumps(self.to_document(), separators=(",", ":"), ensure_ascii=False)


def _part_document(value: Any) -> Any:
    if isinstance(value, dict) and value and isinstance(next(iter(value)), Decimal):
        return counts_to_report(value)
    if isinstance(value, dict):
        return {key: _part_document(item) for key, item in value.items()}
    if isinstance(value, list) and value and all(_is_entry(item) for item in value):
        return _entries_document(value)
    if isinstance(value, Decimal):
        return amount_to_report(value)
    if hasattr(value, "to_document"):
        return value.to_document()
    return value


def _is_entry(item: Any) -> bool:
    return isinstance(item, RawEntry) or hasattr(item, "to_document")


def _looks_like_ours(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    if document.get("writer") == WRITER:
        return True
    version = document.get("version")  # version 1 carried no writer
    if not isinstance(version, int) or isinstance(version, bool):
        return False
    return isinstance(document.get("methods"), dict) or isinstance(document.get("reopenings"), list)


def parse(raw: str | None) -> ClosingReport | None:
    """A session's closingReportData; None when there is none. Never raises."""
    if raw is None or raw == "":
        return None
    try:
        document = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        return ClosingReport(foreign=raw, is_ours=False)
    if document is None:  # "null": a writer cleared the report (a reopen does)
        return None
    if not _looks_like_ours(document):
        return ClosingReport(foreign=raw, is_ours=False)
    return ClosingReport.from_document(document)


def from_index(document: dict[str, Any] | None) -> ClosingReport | None:
    """The report as the index keeps it (SessionRecord.report)."""
    return None if document is None else ClosingReport.from_document(document)
