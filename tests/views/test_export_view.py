"""CSV export of exactly the filtered shifts, streamed."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse

from sessions_app import exports
from sessions_app.selectors.history import HistoryFilters, shift_history
from tests.conftest import OUTLET_A, OUTLET_B, PASSWORD, STATION_A2, STATION_B1, make_shifts
from tests.helpers import present

pytestmark = pytest.mark.django_db
URL = reverse("sessions_app:shift_export")


def _rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_it_streams_the_filtered_shifts_with_a_header(client, manager, tills):
    make_shifts(3, variance="-2.00")
    make_shifts(2, station=STATION_A2, variance="0.00", start=10)
    make_shifts(4, outlet=OUTLET_B, station=STATION_B1, start=20)
    client.login(username="mia", password=PASSWORD)
    response = client.get(URL, {"result": "short"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert len(rows) == 3  # outlet B's shorts are not this manager's
    assert rows[0]["station"] == "Till 1" and rows[0]["outlet"] == "Alpha Street"
    assert rows[0]["cash_difference"] == "-2.00" and rows[0]["result"] == "short"
    assert rows[0]["cash_counted"] == "198.00" and rows[0]["cash_expected"] == "200.00"


def test_formulas_in_names_are_neutralised(client, manager, tills):
    make_shifts(1, opened_by="=HYPERLINK(1)")
    client.login(username="mia", password=PASSWORD)
    assert _rows(client.get(URL))[0]["opened_by"] == "'=HYPERLINK(1)"


def test_cashiers_cannot_export(client, cashier, tills):
    client.login(username="cal", password=PASSWORD)
    assert client.get(URL).status_code == 403


def test_large_exports_stream_in_chunks_with_exact_amounts_and_local_times(client, manager, tills):
    from django.utils import timezone

    from sessions_app.models import SessionRecord

    make_shifts(1201, variance="-0.10")
    client.login(username="mia", password=PASSWORD)
    response = client.get(URL)
    chunks = list(response.streaming_content)
    assert len(chunks) >= 3  # rows go out in chunks of 500, not all at once
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert len(rows) == 1201
    newest = present(SessionRecord.objects.order_by("-open_time").first())
    first = rows[0]
    assert first["session_id"] == newest.id
    assert first["open_time"] == timezone.localtime(newest.open_time).isoformat("T", "seconds")
    assert first["business_date"] == newest.business_date.isoformat()
    assert (first["opening_amount"], first["closing_amount"]) == ("200.00", "199.90")
    assert first["cash_difference"] == "-0.10"
    assert {row["opening_amount"] for row in rows} == {"200.00"}


def test_every_free_text_cell_is_neutralised(client, manager, tills):
    from sessions_app.models import Outlet, SessionRecord, Station

    make_shifts(1, opened_by="@SUM(1)")
    Outlet.objects.filter(id=OUTLET_A).update(name="=cmd|'/c calc'!A1")
    Station.objects.filter(outlet_id=OUTLET_A).update(name="+Till")
    SessionRecord.objects.update(
        session_number="-2+3",
        closed_by="=1+1",
        report={"varianceReason": '=HYPERLINK("x")', "review": {"comment": "@x"}},
        variance_reason='=HYPERLINK("x")',  # as indexing copies them out of the report
        review_comment="@x",
        closing_note="-1 in the drawer",
    )
    client.login(username="mia", password=PASSWORD)
    [row] = _rows(client.get(URL))
    for column in (
        "outlet",
        "station",
        "session_number",
        "opened_by",
        "closed_by",
        "closing_note",
        "variance_reason",
        "review_comment",
    ):
        assert row[column][:1] == "'", (column, row[column])


def test_tenders_the_dashboard_does_not_reconcile_are_exported_as_declared(client, manager, tills):
    from sessions_app.models import SessionRecord

    make_shifts(2)
    SessionRecord.objects.filter(session_number="S-2026-0001").update(
        counted={"cash": "199.00", "giftCard": "25.00", "voucher": "=5"}
    )
    client.login(username="mia", password=PASSWORD)
    rows = {row["session_number"]: row for row in _rows(client.get(URL))}
    assert rows["S-2026-0001"]["other_tenders"] == "giftCard 25.00; voucher =5"
    assert rows["S-2026-0002"]["other_tenders"] == ""


def test_the_migration_copies_reasons_and_reviews_out_of_past_reports(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from sessions_app.models import SessionRecord

    executor = MigrationExecutor(connection)
    executor.migrate([("sessions_app", "0014_history_totals")])
    old = executor.loader.project_state([("sessions_app", "0014_history_totals")]).apps
    OldRecord = old.get_model("sessions_app", "SessionRecord")
    reports = {
        "ours": {
            "varianceReason": "Short after the rush",
            "review": {"approvedBy": "Mia Manager", "comment": "Counted the safe again"},
        },
        "till": {"source": "final-pos-ipad", "totals": {"cash": "180.00"}},
    }
    for index, report in enumerate(reports.values()):
        OldRecord.objects.create(
            id=f"{index:024x}",
            session_number=f"S-2026-000{index}",
            outlet_id=OUTLET_A,
            station_id="aaaaaaaaaaaaaaaaaaaa0101",
            opened_by="Cal",
            open_time="2026-11-01T09:00:00Z",
            business_date="2026-11-01",
            opening_amount="200.00",
            fetched_at="2026-11-01T17:00:00Z",
            report=report,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ours, till = SessionRecord.objects.order_by("id")
    assert (ours.variance_reason, ours.approved_by, ours.review_comment) == (
        "Short after the rush",
        "Mia Manager",
        "Counted the safe again",
    )
    assert (till.variance_reason, till.approved_by, till.review_comment) == ("", "", "")


def _reference_row(record, outlet_names, till_names, zones, site_zone, methods) -> list[str]:
    """The export's row as the Python writer of the last release wrote it (the SQL must read
    the same), each amount with its currency's decimals."""
    from datetime import UTC
    from decimal import Decimal

    from sessions_app.money import currency

    def safe(text):
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    def local(moment, outlet_id):
        if moment is None:
            return ""
        return moment.astimezone(zones.get(outlet_id, site_zone)).isoformat(timespec="seconds")

    def exact(amount):
        if amount in (None, ""):
            return ""
        return str(currency(record.currency).exact(Decimal(str(amount))))

    row = [
        safe(record.session_number),
        record.id,
        safe(outlet_names.get(record.outlet_id, record.outlet_id)),
        safe(till_names.get(record.station_id, record.station_id)),
        record.business_date.isoformat(),
        safe(record.opened_by),
        local(record.open_time.astimezone(UTC), record.outlet_id),
        safe(record.closed_by),
        local(record.close_time, record.outlet_id),
        record.currency,
        exact(record.opening_amount),
        exact(record.closing_amount),
        exact(record.rounding),
        record.result,
        record.review_state,
    ]
    for key in methods:
        row += [exact(record.counted.get(key)), exact(record.expected.get(key))]
        row.append(exact(record.variances.get(key)))
    others = sorted((k, v) for k, v in record.counted.items() if k not in methods)
    row += [safe(record.closing_note), safe(record.variance_reason), safe(record.approved_by)]
    row.append(safe(record.review_comment))
    row.append(safe("; ".join(f"{k} {v}" for k, v in others)))
    return row


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Lord_Howe"])
def test_every_cell_reads_as_the_python_writer_wrote_it(client, superuser, tills, zone):
    """Quotes, commas, line breaks, formulas, other tenders, open shifts, and each outlet's
    own clock across a change of daylight saving time."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from sessions_app.models import Outlet, OutletSettings, SessionRecord, Station

    make_shifts(40, variance="-0.10")
    make_shifts(3, outlet=OUTLET_B, station=STATION_B1, start=100)
    OutletSettings.objects.create(outlet_id=OUTLET_A, time_zone=zone)
    Outlet.objects.filter(id=OUTLET_A).update(name='Alpha, "the" street')
    start = datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("UTC"))  # days around the change
    for index, record in enumerate(SessionRecord.objects.filter(outlet_id=OUTLET_A)):
        record.open_time = start + timedelta(hours=7 * index, minutes=7, seconds=index)
        record.close_time = record.open_time + timedelta(hours=8)
        record.save()
    SessionRecord.objects.filter(session_number="S-2026-0001").update(
        session_number='S-1,"2"',
        opened_by="Ann\nBee",
        closed_by="-Cee",
        variance_reason='Line one\r\nline "two"',
        approved_by="@Mia",
        review_comment="fine, really",
        counted={"cash": "199.90", "cartéCadeau": "25.00", "voucher": "=5", "Zed": "1.00"},
    )
    SessionRecord.objects.filter(session_number="S-2026-0002").update(
        close_time=None, closing_amount=None, result="", counted={}, variances={}
    )
    Station.objects.filter(id=STATION_B1).delete()  # a till the catalog no longer knows
    client.login(username="root", password=PASSWORD)
    text = b"".join(client.get(URL).streaming_content).decode("utf-8-sig")
    methods = [key for key, _name in settings.PAYMENT_METHODS]
    outlet_names = dict(Outlet.objects.values_list("id", "name"))
    till_names = dict(Station.objects.values_list("id", "name"))
    zones = {OUTLET_A: ZoneInfo(zone)}
    site = ZoneInfo(settings.TIME_ZONE)
    records = SessionRecord.objects.filter(deleted_at__isnull=True).order_by("-open_time", "-id")
    expected = io.StringIO()
    writer = csv.writer(expected)
    for record in records:
        writer.writerow(_reference_row(record, outlet_names, till_names, zones, site, methods))
    assert text.split("\r\n", 1)[1] == expected.getvalue()
    # The same lines kept on the rows (by the worker) and read as kept.
    from sessions_app.services.export_lines import export_lines_store

    assert export_lines_store() == len(records)
    assert b"".join(client.get(URL).streaming_content).decode("utf-8-sig") == text


@pytest.mark.parametrize("others", [(), ("JPY",), ("JPY", "KWD")])
def test_amounts_have_the_decimals_of_each_shifts_currency(client, superuser, tills, others):
    """Only two-decimal currencies, or a mix with none and three decimals in one export: the
    opening, closing and rounding cells of each shift in its own currency's decimals."""
    from decimal import Decimal

    from sessions_app.models import SessionRecord
    from sessions_app.money import currency

    make_shifts(6, variance="-0.125")
    make_shifts(4, outlet=OUTLET_B, station=STATION_B1, start=100, variance="1.5")
    SessionRecord.objects.update(rounding=Decimal("0.005"))
    for index, code in enumerate(others):
        SessionRecord.objects.filter(session_number__endswith=str(index + 1)).update(currency=code)
    client.login(username="root", password=PASSWORD)
    rows = {row["session_id"]: row for row in _rows(client.get(URL))}
    records = SessionRecord.objects.all()
    assert {record.currency for record in records} == {"USD", *others}
    assert len(rows) == len(records) == 10
    for record in records:
        exact = currency(record.currency).exact
        row = rows[record.id]
        assert row["opening_amount"] == str(exact(record.opening_amount))
        assert row["closing_amount"] == str(exact(present(record.closing_amount)))
        assert row["cash_rounding"] == str(exact(Decimal("0.005")))


def test_the_line_kept_at_indexing_reads_as_the_python_writer_wrote_it(
    client, manager, cashier, tills, closed_shift
):
    """The lines kept on the rows of shifts the dashboard indexed (one closed, one open) are
    the lines the reference writer writes from the rows, and the lines written again from the
    rows (as for a line written for other payment methods) are the same."""
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from sessions_app.models import Outlet, SessionRecord, Station
    from sessions_app.services.shift_open import shift_open

    shift_open(till=tills["a2"], opened_by_user=cashier, opening_amount=Decimal("150.00"))
    client.login(username="mia", password=PASSWORD)
    kept = b"".join(client.get(URL).streaming_content)
    records = SessionRecord.objects.order_by("-open_time", "-id")
    assert len(records) == 2 and records[0].is_open
    # Kept for the lines an export expects, so the export below reads them as kept.
    assert {record.export_key for record in records} == {
        f"{exports.EXPORT_FORMAT}|cash,card,oliverPay|{settings.TIME_ZONE}"
    }
    methods = [key for key, _name in settings.PAYMENT_METHODS]
    outlet_names = dict(Outlet.objects.values_list("id", "name"))
    till_names = dict(Station.objects.values_list("id", "name"))
    site = ZoneInfo(settings.TIME_ZONE)
    expected = io.StringIO()
    for record in records:
        row = _reference_row(record, outlet_names, till_names, {}, site, methods)
        csv.writer(expected).writerow(row)
    assert kept.decode("utf-8-sig").split("\r\n", 1)[1] == expected.getvalue()
    SessionRecord.objects.update(export_key="1|cash,card|UTC", export_tail="stale,stale")
    assert b"".join(client.get(URL).streaming_content) == kept
    rows = list(csv.DictReader(io.StringIO(kept.decode("utf-8-sig"))))
    closed = next(row for row in rows if row["session_id"] == closed_shift.id)
    assert (closed["cash_counted"], closed["card_counted"]) == ("230.00", "60.00")


def test_a_new_time_zone_shows_at_once_and_the_worker_stores_the_lines_again(
    client, manager, closed_shift
):
    """An outlet moved to another time zone: its shifts' kept lines are for the old one, so
    the export writes theirs itself (the new clock at once), until the worker's pass stores
    them again; then the file is the same, read from the rows."""
    from sessions_app.models import Outlet, SessionRecord
    from sessions_app.services.export_lines import export_lines_store
    from sessions_app.services.outlet_settings import outlet_settings_update

    client.login(username="mia", password=PASSWORD)
    [before] = _rows(client.get(URL))
    outlet = Outlet.objects.get(id=closed_shift.outlet_id)
    outlet_settings_update(
        outlet=outlet, changes={"time_zone": "Asia/Tokyo"}, updated_by_user=manager
    )
    [moved] = _rows(client.get(URL))
    assert moved["close_time"].endswith("+09:00") and not before["close_time"].endswith("+09:00")
    assert export_lines_store() == 1
    assert SessionRecord.objects.get().export_key.endswith("|Asia/Tokyo")
    assert _rows(client.get(URL)) == [moved]
    assert export_lines_store() == 0  # nothing stale is left


@pytest.mark.skipif(
    "sqlite" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's write lock: a transaction there begins IMMEDIATE",
)
@pytest.mark.django_db(transaction=True)
def test_an_export_under_way_on_sqlite_holds_no_transaction(client, manager, tills):
    """On SQLite every transaction takes the write lock when it begins (settings): an export
    streaming in one would hold a till's close off until its last line. (The tests' in-memory
    database locks per table, so the check is on the connection, not on a second writer.)"""
    from django.db import connection

    make_shifts(2500, variance="-0.10")
    client.login(username="mia", password=PASSWORD)
    chunks = iter(client.get(URL).streaming_content)
    next(chunks), next(chunks)  # the header, then lines: the export's query is under way
    assert not connection.in_atomic_block
    assert b"".join(chunks).count(b"\r\n") > 100


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plan (no such index on PostgreSQL)"
)
def test_an_unfiltered_export_on_sqlite_reads_the_kept_lines_from_their_index(superuser, tills):
    """Read from the rows, every row's report comes off the disk with its line (migration
    0035): a later migration that rebuilds the table would drop this index silently."""
    make_shifts(3)
    records = shift_history(user=superuser, filters=HistoryFilters())
    sql, params = exports.stored_lines_sql(records)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "COVERING INDEX export_lines" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # the index gives the history's order


def test_filters_in_error_export_nothing_and_lead_back_to_the_history(client, manager, tills):
    make_shifts(4)
    client.login(username="mia", password=PASSWORD)
    backwards = {"date_from": "2026-03-10", "date_to": "2026-03-01", "result": "short"}
    history = client.get(reverse("sessions_app:shift_history"), backwards).content.decode()
    assert "The end date is before the start date" in history
    assert URL not in history  # no download of a list the filters do not describe

    response = client.get(URL, backwards)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sessions_app:shift_history") + "?")
    assert "date_to=2026-03-01" in response["Location"]
