"""The CSV export of shifts: one row per shift, with counted and expected per payment method.

This module owns the line's format. Each shift's line is written here when the shift is
indexed (`export_columns`) and kept on its row, with the key it was written for: the payment
methods and the outlet's time zone. An export then reads stored text and puts today's outlet
and till names in: 200,000 shifts are 200,000 strings read, not four million cells
formatted. A stored line whose key is no longer the current one (a setting changed since, or a
row written before lines were kept) is written again here from the row's fields, so the file
is right either way; the worker stores it again (services/export_lines.py).

Cells read as Python's csv module writes them, with spreadsheet formulas neutralised: free
text that starts like a formula gets a leading apostrophe, amounts have their currency's
decimals (none for JPY, three for KWD), times are ISO 8601 on the outlet's clock, to the
second."""

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections, transaction
from django.db.models import QuerySet

from sessions_app.closing.sales import payment_methods
from sessions_app.models import SessionRecord, Station
from sessions_app.money import currency
from sessions_app.policy import outlet_policies, site_time_zone
from sessions_app.roles import User
from sessions_app.selectors.catalog import outlet_names_for

# Bumped whenever a line's cells change: every line stored before is then written again.
EXPORT_FORMAT = "2"
CSV_CHUNK_ROWS = 256  # about 60 KB: one read and one socket write per chunk, not per row
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run
CSV_LEADING_COLUMNS = (
    "session_number",
    "session_id",
    "outlet",
    "station",
    "business_date",
    "opened_by",
    "open_time",
    "closed_by",
    "close_time",
    "currency",
    "opening_amount",
    "closing_amount",
    "cash_rounding",
)
# The row's fields a line is written from.
LINE_FIELDS = (
    "id",
    "session_number",
    "outlet_id",
    "business_date",
    "opened_by",
    "open_time",
    "closed_by",
    "close_time",
    "currency",
    "opening_amount",
    "closing_amount",
    "rounding",
    "result",
    "review_state",
    "counted",
    "expected",
    "variances",
    "closing_note",
    "variance_reason",
    "approved_by",
    "review_comment",
)
_STORED = ("export_key", "outlet_id", "station_id", "export_head", "export_tail", "id")


def export_key(methods: Sequence[str], zone: ZoneInfo) -> str:
    """What a stored line was written for."""
    return f"{EXPORT_FORMAT}|{','.join(methods)}|{zone.key}"


def export_columns(row: Mapping[str, Any], *, zone: ZoneInfo) -> dict[str, str]:
    """The stored line of a shift (``row`` holds LINE_FIELDS) on an outlet in ``zone``, for
    the configured payment methods: the cells before the outlet's and till's names, those
    after, and its key."""
    methods = [method.key for method in payment_methods()]
    head, tail = csv_line_parts(row, methods=methods, zone=zone)
    return {"export_head": head, "export_tail": tail, "export_key": export_key(methods, zone)}


def csv_line_parts(
    row: Mapping[str, Any], *, methods: Sequence[str], zone: ZoneInfo
) -> tuple[str, str]:
    """A shift's line but for the outlet's and till's names: the cells before them and after."""
    exact = _exact(row["currency"]) if row["currency"] else currency("").exact
    counted, expected, variances = (
        row[name] or {} for name in ("counted", "expected", "variances")
    )
    head = [_safe(row["session_number"]), row["id"]]
    tail = [
        _day(row["business_date"]),
        _safe(row["opened_by"]),
        _local(row["open_time"], zone),
        _safe(row["closed_by"]),
        _local(row["close_time"], zone),
        row["currency"] or "",
        _amount_text(row["opening_amount"], exact),
        _amount_text(row["closing_amount"], exact),
        _amount_text(row["rounding"], exact),
        row["result"] or "",
        row["review_state"] or "",
    ]
    for key in methods:
        tail += [
            _amount_text(figures.get(key), exact) for figures in (counted, expected, variances)
        ]
    others = sorted((key, value) for key, value in counted.items() if key not in methods)
    tail += [
        _safe(row["closing_note"]),
        _safe(row["variance_reason"]),
        _safe(row["approved_by"]),
        _safe(row["review_comment"]),
        _safe("; ".join(f"{key} {value}" for key, value in others)),
    ]
    return ",".join(map(_quoted, head)), ",".join(map(_quoted, tail))


def shift_csv_chunks(*, user: User, records: QuerySet[SessionRecord]) -> Iterator[str]:
    """The CSV of the given shifts, a chunk of lines at a time, for a streaming response."""
    methods = [method.key for method in payment_methods()]
    header = [*CSV_LEADING_COLUMNS, "result", "review_state"]
    for key in methods:
        header += [f"{key}_counted", f"{key}_expected", f"{key}_difference"]
    header += ["closing_note", "variance_reason", "approved_by", "review_comment", "other_tenders"]
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the BOM makes Excel read UTF-8
    csv.writer(buffer).writerow(header)
    yield buffer.getvalue()

    outlet_names = outlet_names_for(user=user)
    site = site_time_zone()
    zones = {key: policy.time_zone for key, policy in outlet_policies(outlet_names).items()}
    keys = _Lookup(lambda outlet_id: export_key(methods, site))
    keys.update((outlet_id, export_key(methods, zone)) for outlet_id, zone in zones.items())
    # An outlet or till the catalog no longer holds shows its id.
    outlets = _Lookup(_cell, {key: _cell(name) for key, name in outlet_names.items()})
    tills = _Lookup(
        _cell, {key: _cell(name) for key, name in Station.objects.values_list("id", "name")}
    )
    for rows in _stored_lines(records):
        lines = [
            f"{head},{outlets[outlet]},{tills[till]},{tail}\r\n"
            for _key, outlet, till, head, tail, _id in rows
        ]
        stale = [index for index, row in enumerate(rows) if row[0] != keys[row[1]]]
        if stale:
            rewritten = _lines_of(
                [rows[index][-1] for index in stale], methods=methods, zones=zones, site=site
            )
            for index in stale:
                _key, outlet, till, _head, _tail, session_id = rows[index]
                if session_id in rewritten:  # gone meanwhile: as kept
                    head, tail = rewritten[session_id]
                    lines[index] = f"{head},{outlets[outlet]},{tills[till]},{tail}\r\n"
        yield "".join(lines)


class _Lookup(dict[str, str]):
    """A dict that works out, and keeps, what it lacks."""

    def __init__(self, missing: Callable[[str], str], known: dict[str, str] | None = None):
        super().__init__(known or {})
        self.missing = missing

    def __missing__(self, key: str) -> str:
        value = self[key] = self.missing(key)
        return value


def stored_lines_sql(records: QuerySet[SessionRecord]) -> tuple[str, tuple[Any, ...]]:
    """What an export reads of each shift. Unfiltered, on SQLite, the export_lines index holds
    all of it (migration 0035)."""
    query = records.values_list(*_STORED).query
    sql, params = query.get_compiler(using=records.db).as_sql()
    return sql, tuple(params)


def _stored_lines(records: QuerySet[SessionRecord]) -> Iterator[list[tuple[Any, ...]]]:
    """The shifts' stored lines in the shifts' order, a chunk at a time, straight from a
    cursor (a server-side one on PostgreSQL: memory stays flat whatever the number of
    shifts). On PostgreSQL in one read-only transaction that turns the JIT compiler off,
    which would spend longer compiling than the read takes."""
    sql, params = stored_lines_sql(records)
    connection = connections[records.db]
    # On SQLite a transaction begins IMMEDIATE (settings): it would hold every write off for
    # the whole export. One statement reads one snapshot there anyway.
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(using=records.db) if postgresql else nullcontext():
        if postgresql:
            with connection.cursor() as settings:
                settings.execute("SET LOCAL jit = off")
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(CSV_CHUNK_ROWS):
                yield rows


def _lines_of(
    session_ids: list[str],
    *,
    methods: list[str],
    zones: dict[str, ZoneInfo],
    site: ZoneInfo,
) -> dict[str, tuple[str, str]]:
    """The lines of shifts whose stored line is stale, written again from their rows."""
    rows = SessionRecord.objects.filter(id__in=session_ids).values(*LINE_FIELDS)
    return {
        row["id"]: csv_line_parts(row, methods=methods, zone=zones.get(row["outlet_id"], site))
        for row in rows
    }


@cache
def _exact(code: str) -> Callable[[Decimal], Decimal]:
    """A currency's rounding to its decimals (Babel's data, looked up once a currency)."""
    return currency(code).exact


def _cell(text: str) -> str:
    return _quoted(_safe(text))


def _safe(text: str | None) -> str:
    """Free text a spreadsheet would not run: a leading apostrophe before a formula's start."""
    text = text or ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _quoted(cell: str) -> str:
    """As the csv module writes a cell: quoted when it holds a comma, a quote or a break."""
    if any(mark in cell for mark in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _day(day: date | str | None) -> str:
    if day is None:
        return ""
    return day if isinstance(day, str) else day.isoformat()


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    """The instant on the outlet's clock, ISO 8601 with its offset; "" when there is none."""
    return "" if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")


def _amount_text(value: object, exact: Callable[[Decimal], Decimal]) -> str:
    """A stored amount with its currency's decimals; anything that is not one, as stored."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return str(exact(amount)) if amount.is_finite() else str(value)
