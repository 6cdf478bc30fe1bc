"""The CSV export of shifts: one row per shift, with counted and expected per payment method.

Each line is written by the database in the export's query (sessions_app/export_sql.py),
so Python only joins the lines: 200,000 shifts are 200,000 strings, not
four million cells. Times are shown as each outlet's clock showed them: the offsets of each
outlet's time zone over the exported period are worked out here and handed to the query."""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db.models import Max, Min, QuerySet

from sessions_app import export_sql
from sessions_app.closing.sales import payment_methods
from sessions_app.models import SessionRecord
from sessions_app.money import currency
from sessions_app.policy import outlet_policies, site_time_zone
from sessions_app.roles import User
from sessions_app.selectors.catalog import outlet_names_for

CSV_CHUNK_BYTES = 64 * 1024  # one socket write per chunk, not per row
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
    """The CSV of the given shifts, in chunks of about 64 KB, for a streaming response."""
    methods = payment_methods()
    header = [*CSV_LEADING_COLUMNS, "result", "review_state"]
    for method in methods:
        header += [f"{method.key}_counted", f"{method.key}_expected", f"{method.key}_difference"]
    header += ["variance_reason", "approved_by", "review_comment", "other_tenders"]
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the BOM makes Excel read UTF-8
    csv.writer(buffer).writerow(header)
    yield buffer.getvalue()
    lines = export_sql.csv_lines(
        records, methods=[method.key for method in methods], offsets=_outlet_offsets(user)
    )
    chunk: list[str] = []
    size = 0
    for text in lines:
        chunk.append(text)
        size += len(text) + 2
        if size >= CSV_CHUNK_BYTES:
            chunk.append("")
            yield "\r\n".join(chunk)
            chunk, size = [], 0
    if chunk:
        chunk.append("")
        yield "\r\n".join(chunk)


def export_cells(
    counted: dict[str, str], expected: dict[str, str], variances: dict[str, str], code: str
) -> dict[str, str]:
    """The per-method cells of a shift's line (counted, expected, difference for each
    configured method, with the currency's decimals: 0.00, never 0), kept on its index row
    with the methods they were written for; the export reads the JSON instead for a row
    written for other methods."""
    keys = [method.key for method in payment_methods()]
    shown = currency(code)
    cells = [
        _quoted(_amount_text(figures.get(key), shown.exact))
        for key in keys
        for figures in (counted, expected, variances)
    ]
    return {"export_figures": ",".join(cells), "export_methods": ",".join(keys)}


def _amount_text(value: object, exact: Callable[[Decimal], Decimal]) -> str:
    """A stored amount with its currency's decimals; anything that is not one, as stored."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return str(exact(amount)) if amount.is_finite() else str(value)


def _quoted(cell: str) -> str:
    """As the csv module writes a cell: quoted when it holds a comma, a quote or a break."""
    if any(mark in cell for mark in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _outlet_offsets(user: User) -> export_sql.Offsets:
    """Each outlet's UTC offsets (and the site's, for any other) over every indexed shift."""
    names = outlet_names_for(user=user)
    zones = {key: policy.time_zone for key, policy in outlet_policies(names).items()}
    span = SessionRecord.objects.aggregate(first=Min("open_time"), last=Max("open_time"))
    now = datetime.now(UTC)
    start = (span["first"] or now) - timedelta(days=2)
    end = max(span["last"] or now, now) + timedelta(days=2)
    site = site_time_zone()
    by_zone: dict[str, list[str]] = {}
    for outlet_id, zone in zones.items():
        if zone.key != site.key:  # most outlets keep the site's zone: no test per row
            by_zone.setdefault(zone.key, []).append(outlet_id)
    return export_sql.Offsets(
        by_outlets=[
            (outlets, zone_offsets(ZoneInfo(key), start, end)) for key, outlets in by_zone.items()
        ],
        default=zone_offsets(site, start, end),
    )


def zone_offsets(zone: ZoneInfo, start: datetime, end: datetime) -> list[export_sql.Offset]:
    """A zone's offsets from start to end: (until this instant, seconds, "+HH:MM"), the last
    one open-ended. Found day by day, each change pinned to the second."""

    def seconds(moment: datetime) -> int:
        offset = moment.astimezone(zone).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def at(second: int) -> datetime:
        return datetime.fromtimestamp(second, UTC)

    found: list[export_sql.Offset] = []
    day = int(start.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())
    current = seconds(at(day))
    while at(day) < end:
        following = day + 86_400
        if seconds(at(following)) != current:
            # Changes fall on whole seconds: after low, at or before high.
            low, high = day, following
            while high - low > 1:
                middle = (low + high) // 2
                if seconds(at(middle)) == current:
                    low = middle
                else:
                    high = middle
            found.append(export_sql.Offset(until=at(high), seconds=current))
            current = seconds(at(high))
        day = following
    found.append(export_sql.Offset(until=None, seconds=current))
    return found
