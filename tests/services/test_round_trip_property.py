"""For any session record Final POS might hold: read, correct, PUT, and every field and value
the correction did not change is still there, as it was (read back from the simulator)."""

import json
import secrets
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions_app.closing.report import parse
from sessions_app.finalpos.records.fields import SERVER_FIELDS
from sessions_app.finalpos.records.sessions import SESSION_FIELDS
from sessions_app.services.index import shift_fetch
from sessions_app.services.shift_review import shift_correct
from tests.conftest import STATION_A1

pytestmark = pytest.mark.django_db

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
FOREIGN_NAMES = TEXT.filter(lambda name: name not in SESSION_FIELDS | SERVER_FIELDS)
MONEY = st.decimals(min_value=0, max_value=99999, places=2).map(lambda amount: f"{amount:.2f}")
TENDER_NAMES = st.sampled_from(["giftCard", "voucher", "finalPay", "storeCredit", "custom_7"])


def _time(hour: int, style: str) -> str:
    return f"2026-03-02T{hour:02d}:00:00.{'123' if style != 'plain' else '000'}" + (
        "Z" if style == "z" else "+00:00"
    )


@st.composite
def till_records(draw) -> dict:
    style = draw(st.sampled_from(["z", "offset", "plain"]))
    amounts = {"cash": draw(MONEY), "card": draw(MONEY), "oliverPay": draw(MONEY)}
    amounts |= draw(st.dictionaries(TENDER_NAMES, MONEY, max_size=3))
    report = draw(
        st.one_of(
            st.none(),
            TEXT,
            st.dictionaries(TEXT, JSON_VALUES, max_size=4).map(json.dumps),
            st.just('{"source":"final-pos-ipad","totals":{"cash":"1.00"}}'),
            st.just('{"version": 1, "corrections": 5}'),
        )
    )
    record = {
        "id": secrets.token_hex(12),
        "companyId": "c0ffee0000000000000000c0",
        "createdAt": _time(9, style),
        "updatedAt": _time(17, style),
        "stationId": STATION_A1,
        "sessionNumber": draw(st.from_regex(r"S-2026-[0-9]{4}", fullmatch=True)),
        "openedBy": draw(TEXT),
        "openTime": _time(9, style),
        "openingAmount": draw(MONEY),
        "notes": draw(st.lists(TEXT, max_size=3)),
        "closingAmounts": amounts,
        "openingNote": draw(TEXT),
        "closedBy": draw(TEXT),
        "closeTime": _time(17, style),
        "closingAmount": amounts["cash"],
        "closingNote": draw(TEXT),
    }
    if report is not None:
        record["closingReportData"] = report
    return record | draw(st.dictionaries(FOREIGN_NAMES, JSON_VALUES, max_size=5))


CHANGED_BY_A_CORRECTION = {"closingAmount", "closingAmounts", "closingReportData", "updatedAt"}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(original=till_records())
def test_a_correction_keeps_everything_it_did_not_change(original, tills, manager, simulator):
    simulator.simulator.store.insert("session", original)
    record = shift_fetch(session_id=original["id"])
    counted = {key: Decimal(original["closingAmounts"][key]) for key in ("card", "oliverPay")}
    counted["cash"] = Decimal(original["closingAmount"]) + 1

    shift_correct(
        record=record,
        corrected_by_user=manager,
        counted=counted,
        closing_note=original["closingNote"].replace("\x00", ""),
        reason="Recounted",
        seen_updated_at=record.upstream_updated_at,
    )

    stored = simulator.simulator.store.get("session", original["id"])
    for key, value in original.items():
        if key not in CHANGED_BY_A_CORRECTION:
            # The note went back as the form showed it (NULs cannot be shown): unchanged, so
            # Final POS keeps it exactly as the till wrote it, NULs included.
            assert stored[key] == value, key
    assert stored["closingAmounts"] == original["closingAmounts"] | {
        "cash": f"{counted['cash']:.2f}"
    }
    report = parse(stored["closingReportData"])
    assert report is not None and report.is_ours
    if original.get("closingReportData"):
        assert report.foreign == original["closingReportData"]
