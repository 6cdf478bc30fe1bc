"""The CSV export of shifts: one row per shift, with counted and expected per payment method."""

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from sessions_app.closing import payment_methods
from sessions_app.models import SessionRecord
from sessions_app.money import currency
from sessions_app.policy import outlet_policies, site_time_zone
from sessions_app.roles import User
from sessions_app.selectors.catalog import outlet_names_for, station_names_for
from sessions_app.selectors.history import EXPORT_COLUMNS, export_rows

CSV_ROWS_PER_CHUNK = 500  # one socket write per chunk, not per row
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


def shift_csv_chunks(*, user: User, records: QuerySet[SessionRecord]) -> Iterator[str]:
    """The CSV of the given shifts, a few hundred rows per chunk, for a streaming response."""
    methods = payment_methods()
    configured = {method.key for method in methods}
    outlet_names = outlet_names_for(user=user)
    station_names = station_names_for(user=user)
    zones = {key: policy.time_zone for key, policy in outlet_policies(outlet_names).items()}
    site_zone = site_time_zone()
    header = [*CSV_LEADING_COLUMNS, "result", "review_state"]
    for method in methods:
        header += [f"{method.key}_counted", f"{method.key}_expected", f"{method.key}_difference"]
    header += ["variance_reason", "approved_by", "review_comment", "other_tenders"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the BOM makes Excel read UTF-8
    writer.writerow(header)
    pending = 0
    leading = len(EXPORT_COLUMNS)
    per_method_end = leading + 3 * len(methods)
    for row in export_rows(records):
        (
            session_id,
            number,
            outlet_id,
            station_id,
            business_date,
            opened_by,
            open_time,
            closed_by,
            close_time,
            code,
            opening,
            closing_amount,
            rounding,
            result,
            review,
        ) = row[:leading]
        zone = zones.get(outlet_id, site_zone)  # times as the outlet's clock showed them
        decimals = currency(code).decimals  # each shift's amounts in its own currency's
        line = [
            _safe(number),
            session_id,
            _safe(outlet_names.get(outlet_id, outlet_id)),
            _safe(station_names.get(station_id, station_id)),
            str(business_date),
            _safe(opened_by),
            _local_time(open_time, zone),
            _safe(closed_by),
            _local_time(close_time, zone),
            code,
            _amount(opening, decimals),
            _amount(closing_amount, decimals),
            _amount(rounding, decimals),
            result,
            review,
        ]
        line += [_amount(value, decimals) for value in row[leading:per_method_end]]
        line += [_safe(value or "") for value in row[per_method_end:-1]]
        line.append(_other_tenders(row[-1], configured))
        writer.writerow(line)
        pending += 1
        if pending == CSV_ROWS_PER_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


def _amount(value: Any, decimals: int) -> str:
    """An amount as text with the currency's decimals (none for JPY, three for KWD). Per-method
    amounts are already text (as stored in the JSON). SQLite hands back decimal columns as
    floats: below 10^12 the nearest float to an amount in thousandths always formats back to
    exactly those digits, and formatting is five times quicker than going through Decimal."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(Decimal(value).quantize(Decimal(1).scaleb(-decimals)))


def _other_tenders(counted: Any, configured: set[str]) -> str:
    """Tenders declared at close that the dashboard does not reconcile, as
    "giftCard 25.00; voucher 5.00" (the JSON comes as text from SQLite)."""
    if isinstance(counted, str):
        counted = json.loads(counted)
    if not isinstance(counted, dict) or counted.keys() <= configured:
        return ""
    others = sorted((key, value) for key, value in counted.items() if key not in configured)
    return _safe("; ".join(f"{key} {value}" for key, value in others))


def _local_time(value: Any, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # SQLite keeps UTC without an offset
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).isoformat(timespec="seconds")


def _safe(text: str) -> str:
    """Neutralises spreadsheet formulas in free text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
