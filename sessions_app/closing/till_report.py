"""A till's own report (``closingReportData`` as the Final POS app writes it), read as figures
for the shapes the dashboard knows; anything else is shown as the till wrote it."""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sessions_app.closing.values import amount_or_none

LONGEST_READ = 64 * 1024  # a report longer than this is shown raw, never parsed
_TEXT_HEADER = re.compile(r"^END OF SESSION\s*(?P<number>\S*)\s*$")
_TEXT_LINE = re.compile(r"^(?P<key>[A-Za-z][\w ]{0,40}):\s*(?P<amount>-?\d{1,12}(?:\.\d{1,3})?)$")


@dataclass(frozen=True)
class TillFigures:
    """What the till's report says: the totals it declared per tender, and its drawer."""

    shape: str  # "json" or "text"
    declared: dict[str, Decimal] = field(default_factory=dict)
    opening_cash: Decimal | None = None
    expected_cash: Decimal | None = None
    counted_cash: Decimal | None = None
    over_under: Decimal | None = None


def read_till_report(text: str | None) -> TillFigures | None:
    """The till's figures, or None for a report of a shape the dashboard does not know (or
    too long to read): never raises."""
    if not text or len(text) > LONGEST_READ:
        return None
    stripped = text.strip()
    if stripped.startswith("{"):
        return _from_json(stripped)
    return _from_text(stripped)


def _from_json(text: str) -> TillFigures | None:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    totals, found = document.get("totals"), document.get("cashDrawer")
    declared = _amounts(totals) if isinstance(totals, dict) else {}
    drawer: dict[str, Any] = found if isinstance(found, dict) else {}
    figures = TillFigures(
        shape="json",
        declared=declared,
        opening_cash=amount_or_none(drawer.get("openingCash")),
        expected_cash=amount_or_none(drawer.get("expectedCash")),
        counted_cash=amount_or_none(drawer.get("closingCash")),
        over_under=amount_or_none(drawer.get("overUnder")),
    )
    known = (figures.expected_cash, figures.counted_cash, figures.over_under)
    return figures if declared or any(value is not None for value in known) else None


def _from_text(text: str) -> TillFigures | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not _TEXT_HEADER.match(lines[0]):
        return None
    declared: dict[str, Any] = {}
    for line in lines[1:]:
        match = _TEXT_LINE.match(line)
        if match:
            declared[match["key"].strip()] = match["amount"]
    amounts = _amounts(declared)
    return TillFigures(shape="text", declared=amounts) if amounts else None


def _amounts(values: dict[str, Any]) -> dict[str, Decimal]:
    found = {}
    for key, value in values.items():
        amount = amount_or_none(value)
        if amount is not None and isinstance(key, str) and len(key) <= 40:
            found[key] = amount
    return found
