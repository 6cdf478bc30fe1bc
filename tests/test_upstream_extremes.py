"""Values Final POS accepts but the dashboard cannot hold: huge numbers, year 1, a 50,000-deep
report, a session number past any counter. Fed through add-by-id, the refresh, the report page
and the CSV: never a 500, the refresh goes on, and the allocator keeps its range."""

import csv
import io
import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finalpos_simulator.app import COMPANY_ID
from sessions_app.models import SessionRecord
from sessions_app.services.index_refresh import shifts_refresh
from sessions_app.services.numbering import session_number_allocate
from tests.conftest import STATION_A1

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000
times = st.sampled_from(
    [
        "0001-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z",
        "2026-11-20T09:00:00.000Z",
        "2026-11-20T09:00:00",
        "not a time",
    ]
)
amounts = st.sampled_from(
    ["1e30", "999999999999.99", "-5.00", "0.00", "12.345", "NaN", 12.5, "", "1,000.00"]
)
reports = st.one_of(
    st.none(),
    st.just(DEEP),
    st.text(max_size=200),
    st.just(
        json.dumps(
            {
                "version": 2,
                "writer": "till-close-dashboard",
                "methods": {"cash": {"expected": "1e30", "counted": "5.00", "variance": "x"}},
                "cashCount": {"1e30": 1, "20": 10**30},
                "corrections": 5,
                "cashMovements": [{"kind": "pay_out", "amount": "1e30"}],
            }
        )
    ),
)


@st.composite
def sessions(draw):
    document = {
        "id": draw(st.text("0123456789abcdef", min_size=24, max_size=24)),
        "companyId": COMPANY_ID,
        "stationId": STATION_A1,
        "sessionNumber": draw(
            st.one_of(
                st.sampled_from(
                    ["D-2026-2147483647", "D-9999-99999999999", "D-2026-0001", "S-2026-0001"]
                ),
                st.text(max_size=60),
            )
        ),
        "openedBy": draw(st.text(max_size=300)),
        "openTime": draw(times),
        "openingAmount": draw(amounts),
        "notes": draw(st.lists(st.text(max_size=20), max_size=3)),
        "closingAmounts": draw(st.dictionaries(st.text(max_size=12), amounts, max_size=4)),
        "openingNote": "",
    }
    if draw(st.booleans()):
        document |= {
            "closedBy": draw(st.text(max_size=300)),
            "closeTime": draw(times),
            "closingAmount": draw(amounts),
        }
    report = draw(reports)
    if report is not None:
        document["closingReportData"] = report
    return document


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=sessions(), deep_meta=st.booleans())
def test_no_upstream_record_breaks_a_page_the_refresh_or_the_numbers(
    mia, simulator, document, deep_meta
):
    body = json.dumps(document)
    if deep_meta:  # a field nested deeper than JSON readers go
        body = body[:-1] + ', "meta": ' + DEEP + "}"
    SessionRecord.objects.filter(id=document["id"]).delete()
    simulator.simulator.store.insert_raw("session", document["id"], body)
    try:
        response = mia.post(reverse("sessions_app:shift_add"), {"session_id": document["id"]})
        assert response.status_code < 500
        if SessionRecord.objects.filter(id=document["id"]).exists():
            page = mia.get(reverse("sessions_app:shift_detail", args=[document["id"]]))
            assert page.status_code == 200
        shifts_refresh()  # never raises, whatever one record holds
        export = mia.get(reverse("sessions_app:shift_export"))
        rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert all(row["session_id"] for row in rows)
        assert mia.get(reverse("sessions_app:shift_history")).status_code == 200
        assert mia.get(reverse("sessions_app:board")).status_code == 200
        number = session_number_allocate(year=2026)
        assert int(number.rsplit("-", 1)[1]) < 1_000_000
    finally:
        simulator.simulator.store.delete("session", document["id"])


def test_a_number_past_any_counter_does_not_move_the_allocator(mia, simulator):
    simulator.simulator.store.insert(
        "session",
        {
            "id": "abcdefabcdefabcdefabcdef",
            "companyId": COMPANY_ID,
            "stationId": STATION_A1,
            "sessionNumber": "D-2026-2147483647",
            "openedBy": "Till",
            "openTime": "2026-11-20T09:00:00.000Z",
            "openingAmount": "100.00",
            "notes": [],
            "closingAmounts": {},
            "openingNote": "",
        },
    )
    response = mia.post(reverse("sessions_app:shift_add"), {"session_id": "abcdef" * 4})
    assert response.status_code == 302
    assert SessionRecord.objects.filter(session_number="D-2026-2147483647").exists()
    assert session_number_allocate(year=2026) == "D-2026-0001"


def test_an_unreadable_record_is_shown_as_such(mia, simulator):
    simulator.simulator.store.insert_raw(
        "session",
        "abcdefabcdefabcdefabcde1",
        json.dumps(
            {
                "id": "abcdefabcdefabcdefabcde1",
                "stationId": STATION_A1,
                "sessionNumber": "S-2026-0001",
                "openedBy": "Till",
                "openTime": "0001-01-01T00:00:00.000Z",
                "openingAmount": "1e30",
            }
        ),
    )
    response = mia.post(
        reverse("sessions_app:shift_add"), {"session_id": "abcdefabcdefabcdefabcde1"}, follow=True
    )
    page = response.content.decode()
    assert "Could not add the shift" in page and "cannot hold" in page
