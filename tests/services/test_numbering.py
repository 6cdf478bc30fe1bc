"""Session numbers: allocated in order, never reused, and kept above every number seen."""

import pytest

from sessions_app.services import session_fetch, session_number_allocate
from tests.conftest import STATION_A1

pytestmark = pytest.mark.django_db


def test_numbers_are_allocated_in_order():
    assert session_number_allocate(year=2026) == "S-2026-0001"
    assert session_number_allocate(year=2026) == "S-2026-0002"
    assert session_number_allocate(year=2027) == "S-2027-0001"


def test_a_number_seen_on_a_tills_shift_is_never_handed_out(tills, simulator):
    from finalpos_simulator.app import COMPANY_ID

    simulator.simulator.store.insert(
        "session",
        {
            "id": "cccccccccccccccccccc0391",
            "companyId": COMPANY_ID,
            "stationId": STATION_A1,
            "sessionNumber": "S-2026-0391",
            "openedBy": "Till user",
            "openTime": "2026-03-01T09:00:00.000Z",
            "openingAmount": "100.00",
            "notes": [],
            "closingAmounts": {"cash": "100.00"},
            "openingNote": "",
            "closedBy": "Till user",
            "closeTime": "2026-03-01T17:00:00.000Z",
            "closingAmount": "100.00",
        },
    )
    session_fetch(session_id="cccccccccccccccccccc0391")
    assert session_number_allocate(year=2026) == "S-2026-0392"
