"""Keeping each shift's stored CSV line current (sessions_app/exports.py). A line written for
other payment methods or another time zone (a setting changed, or a row indexed before lines
were kept) is written again here, a batch at a time, after each refresh pass of the worker.
Until then an export writes such a line itself: a file is never wrong, only slower."""

from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q

from sessions_app.closing.sales import payment_methods
from sessions_app.exports import LINE_FIELDS, csv_line_parts, export_key
from sessions_app.models import Outlet, SessionRecord
from sessions_app.policy import outlet_policies, site_time_zone

BATCH = 500  # rows a transaction writes: a cashier's close waits for one batch at most


def export_lines_store(*, most: int = 20_000) -> int:
    """Writes again the stored lines of up to ``most`` shifts whose key is not the one an
    export expects, outlet by outlet; returns how many were written."""
    methods = [method.key for method in payment_methods()]
    site = site_time_zone()
    catalogued = list(Outlet.objects.values_list("id", flat=True))
    zones = {key: policy.time_zone for key, policy in outlet_policies(catalogued).items()}
    # Outlet by outlet (those the catalog no longer holds on the site's clock, as an export
    # shows them), each in two ranges of the index (outlet_id, export_key) either side of the
    # current key: rows already current are never read.
    indexed = SessionRecord.objects.order_by().values_list("outlet_id", flat=True).distinct()
    written = 0
    for outlet_id in sorted({*catalogued, *indexed}):
        zone = zones.get(outlet_id, site)
        key = export_key(methods, zone)
        for stale in (Q(export_key__lt=key), Q(export_key__gt=key)):
            stale &= Q(outlet_id=outlet_id)
            while written < most:
                batch = _store(
                    stale, methods=methods, zone=zone, key=key, most=min(BATCH, most - written)
                )
                written += batch
                if batch < BATCH:
                    break
    return written


def _store(stale: Q, *, methods: list[str], zone: ZoneInfo, key: str, most: int) -> int:
    """One batch, read and written under the rows' lock (SQLite: the one writer), so a shift
    indexed meanwhile keeps the line its own save wrote."""
    with transaction.atomic():
        rows = list(
            SessionRecord.objects.select_for_update()
            .filter(stale)
            .order_by()
            .values(*LINE_FIELDS)[:most]
        )
        lines = [(*csv_line_parts(row, methods=methods, zone=zone), key, row["id"]) for row in rows]
        table = connection.ops.quote_name(SessionRecord._meta.db_table)
        with connection.cursor() as cursor:  # one statement, many rows: no CASE per field
            cursor.executemany(
                f"UPDATE {table} SET export_head = %s, export_tail = %s, export_key = %s "  # noqa: S608
                "WHERE id = %s",
                lines,
            )
    return len(rows)
