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
from tests.conftest import OUTLET_B, STATION_A1, make_shifts

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
