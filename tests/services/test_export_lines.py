"""export_lines_store: the CSV lines kept for another key are written again, a batch at a
time, and then read by the export as the line the row's fields make."""

from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from sessions_app.closing.sales import payment_methods
from sessions_app.exports import LINE_FIELDS, csv_line_parts, export_key
from sessions_app.models import OutletSettings, SessionRecord
from sessions_app.services import export_lines
from sessions_app.services.export_lines import export_lines_store
from tests.conftest import OUTLET_A, OUTLET_B, STATION_A1, make_shifts

pytestmark = pytest.mark.django_db

METHODS = [method.key for method in payment_methods()]


def _kept() -> dict[str, tuple[str, str, str]]:
    return {
        row[0]: row[1:]
        for row in SessionRecord.objects.values_list(
            "id", "export_head", "export_tail", "export_key"
        )
    }


def test_lines_never_kept_are_written_for_each_outlets_clock_in_batches(tills, monkeypatch):
    """Rows loaded without a line (as a bulk load, or rows indexed before lines were kept):
    each outlet's on its own clock, an outlet the catalog does not hold and a row with no
    outlet on the site's; ``most`` bounds a pass, and a pass with nothing stale writes none."""
    monkeypatch.setattr(export_lines, "BATCH", 4)
    make_shifts(7, variance="-0.10")
    make_shifts(3, outlet=OUTLET_B, station="bbbbbbbbbbbbbbbbbbbb0299", start=100)
    make_shifts(2, outlet="cccccccccccccccccccccccc", station=STATION_A1, start=200)
    SessionRecord.objects.filter(session_number="S-2026-0201").update(outlet_id="")
    OutletSettings.objects.create(outlet_id=OUTLET_B, time_zone="Asia/Tokyo")
    assert {key for *_line, key in _kept().values()} == {""}

    assert export_lines_store(most=5) == 5
    assert export_lines_store() == 7
    assert export_lines_store() == 0

    site = ZoneInfo(settings.TIME_ZONE)
    zones = {OUTLET_B: ZoneInfo("Asia/Tokyo")}
    for row in SessionRecord.objects.values(*LINE_FIELDS):
        zone = zones.get(row["outlet_id"], site)
        head, tail, key = _kept()[row["id"]]
        assert (head, tail) == csv_line_parts(row, methods=METHODS, zone=zone)
        assert key == export_key(METHODS, zone)
    tokyo = SessionRecord.objects.filter(outlet_id=OUTLET_B).values_list("export_tail", flat=True)
    assert all("+09:00," in tail for tail in tokyo)


def test_only_lines_kept_for_another_key_are_written_again(tills):
    make_shifts(3)
    export_lines_store()
    kept = _kept()
    SessionRecord.objects.filter(session_number="S-2026-0002").update(
        export_key=export_key(["cash", "card"], ZoneInfo(settings.TIME_ZONE))
    )
    assert export_lines_store() == 1
    assert _kept() == kept


def test_a_shift_whose_business_day_moves_is_written_again_whatever_its_key(tills, manager):
    """An outlet moved to another time zone: the worker may keep the new zone's lines before
    the business days are moved (two transactions). A shift whose day moves is written again
    all the same, so no line keeps the day it left."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from sessions_app.services.outlet_settings import business_dates_recompute

    make_shifts(6)
    late = timezone.make_aware(datetime(2026, 11, 2, 23, 30), ZoneInfo(settings.TIME_ZONE))
    for index, record in enumerate(SessionRecord.objects.order_by("id")):
        record.open_time = late - timedelta(days=index)
        record.save()
    OutletSettings.objects.create(outlet_id=OUTLET_A, time_zone="Asia/Tokyo")  # saved first
    assert export_lines_store() == 6  # the worker, between the two
    assert business_dates_recompute(outlet_id=OUTLET_A) == 6  # 23:30 in New York is tomorrow
    assert export_lines_store() == 6
    tokyo = ZoneInfo("Asia/Tokyo")
    for row in SessionRecord.objects.values(*LINE_FIELDS):
        assert _kept()[row["id"]][:2] == csv_line_parts(row, methods=METHODS, zone=tokyo)
        assert row["business_date"] == row["open_time"].astimezone(tokyo).date()


def test_the_line_format_is_pinned_to_its_version():
    """A change to the line's cells must bump EXPORT_FORMAT, or every line kept before would
    be read as current: this line is the format of version 2 (version 1 had no closing
    note)."""
    from datetime import date, datetime
    from decimal import Decimal

    from sessions_app.exports import EXPORT_FORMAT

    row = {
        "id": "abc123",
        "session_number": "=S-1",
        "outlet_id": OUTLET_A,
        "business_date": date(2026, 3, 8),
        "opened_by": "Ann",
        "open_time": datetime(2026, 3, 8, 6, 59, 30, tzinfo=ZoneInfo("UTC")),
        "closed_by": 'Bo "B", jr',
        "close_time": datetime(2026, 3, 8, 7, 0, 30, 999, tzinfo=ZoneInfo("UTC")),
        "currency": "KWD",
        "opening_amount": Decimal("100.5"),
        "closing_amount": None,
        "rounding": Decimal("0.005"),
        "result": "short",
        "review_state": "needs_review",
        "counted": {"cash": "99.9", "giftCard": "5"},
        "expected": {"cash": "100.500"},
        "variances": {"cash": "-0.6"},
        "closing_note": "=1+2 in the till",
        "variance_reason": "Line\nbreak",
        "approved_by": "",
        "review_comment": "-",
    }
    head, tail = csv_line_parts(row, methods=["cash", "card"], zone=ZoneInfo("America/New_York"))
    assert (EXPORT_FORMAT, head, tail) == (
        "2",
        "'=S-1,abc123",
        '2026-03-08,Ann,2026-03-08T01:59:30-05:00,"Bo ""B"", jr",2026-03-08T03:00:30-04:00,'
        "KWD,100.500,,0.005,short,needs_review,99.900,100.500,-0.600,,,,'=1+2 in the till,"
        '"Line\nbreak",,\'-,giftCard 5',
    )
