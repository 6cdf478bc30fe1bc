"""The closing report format: one parse that never raises, one strict serialise."""

import json
from dataclasses import fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessions_app.closing.parts import (
    REVIEW_APPROVED,
    REVIEW_REQUIRED,
    CashDrop,
    Correction,
    MethodFigures,
    Review,
)
from sessions_app.closing.report import ClosingReport, ReportParts, from_index, parse
from sessions_app.closing.values import RawEntry
from tests.helpers import present

# A report as version 1 writes it at close, after one correction and one approval.
V1_REPORT: dict[str, Any] = {
    "version": 1,
    "currency": "USD",
    "expectedAvailable": True,
    "methods": {
        "cash": {"expected": "240.00", "counted": "230.00", "variance": "-10.00"},
        "card": {"expected": "60.00", "counted": "60.00", "variance": "0.00"},
    },
    "varianceTotal": "-10.00",
    "varianceReason": "Wrong change",
    "cashCount": {"100": 2, "20": 1, "5": 2, "0.10": 3},
    "cashMovements": [],
    "cashDrop": {
        "targetFloat": "200.00",
        "leave": "200.00",
        "bank": "30.00",
        "leaveCounts": None,
        "bankCounts": None,
    },
    "review": {
        "required": True,
        "approvedBy": "Mia Manager",
        "approvedAt": "2026-11-20T18:00:00.000Z",
        "comment": "Talked it through",
    },
    "corrections": [
        {
            "at": "2026-11-20T17:00:00.000Z",
            "by": "Mia Manager",
            "reason": "Recount",
            "before": {
                "closingAmounts": {"cash": "220.00", "card": "60.00"},
                "closingNote": "",
                "varianceTotal": "-20.00",
                "cashCount": None,
            },
            "after": {
                "closingAmounts": {"cash": "230.00", "card": "60.00"},
                "closingNote": "",
                "varianceTotal": "-10.00",
            },
        }
    ],
    "closeRequestId": "c" * 32,
}


def test_a_report_of_json_null_is_no_report_and_no_till_report():
    assert parse("null") is None
    assert ClosingReport.from_document(None).foreign is None


def test_a_version_1_report_reads_as_typed_figures():
    report = parse(json.dumps(V1_REPORT))
    assert report is not None and report.is_ours
    assert report.methods["cash"] == MethodFigures(
        expected=Decimal("240.00"), counted=Decimal("230.00"), variance=Decimal("-10.00")
    )
    assert report.cash_count == {Decimal(100): 2, Decimal(20): 1, Decimal(5): 2, Decimal("0.10"): 3}
    assert report.cash_drop == CashDrop(
        target_float=Decimal(200), leave=Decimal(200), bank=Decimal(30)
    )
    assert report.review.approved_at == datetime(2026, 11, 20, 18, tzinfo=UTC)
    assert report.review_state == REVIEW_APPROVED
    assert isinstance(report.corrections[0], Correction)
    assert report.corrections[0].before.closing_amounts["cash"] == Decimal("220.00")
    assert report.expected_amounts() == {"cash": Decimal("240.00"), "card": Decimal("60.00")}


def test_a_version_1_report_is_written_back_exactly_as_it_was_read():
    report = present(parse(json.dumps(V1_REPORT)))
    assert json.loads(report.to_json()) == V1_REPORT


def test_a_new_report_writes_only_the_parts_that_were_set():
    report = ClosingReport().set(currency="USD", methods={}, reopenings=[])
    assert json.loads(report.to_json()) == {
        "version": 2,
        "writer": "till-close-dashboard",
        "currency": "USD",
        "methods": {},
        "reopenings": [],
    }


def test_a_part_that_cannot_be_read_is_kept_as_it_was_and_named():
    document = V1_REPORT | {"review": "approved by phone", "cashCount": {"twenty": 3}}
    report = present(parse(json.dumps(document)))
    assert report.review == Review() and report.review_state == ""
    assert sorted(report.unreadable) == ["cashCount", "review"]
    written = json.loads(report.to_json())
    assert written["review"] == "approved by phone" and written["cashCount"] == {"twenty": 3}


def test_a_part_set_again_replaces_what_could_not_be_read():
    report = present(parse(json.dumps(V1_REPORT | {"review": 5})))
    report.set(review=Review(required=True))
    assert json.loads(report.to_json())["review"]["required"] is True
    assert not report.unreadable


def test_an_unreadable_correction_stays_in_its_place():
    document = V1_REPORT | {"corrections": ["a note", *V1_REPORT["corrections"]]}
    report = present(parse(json.dumps(document)))
    assert isinstance(report.corrections[0], RawEntry)
    assert json.loads(report.to_json())["corrections"] == document["corrections"]


def test_keys_of_a_later_version_are_kept():
    document = V1_REPORT | {"version": 7, "xReports": [{"at": "later"}]}
    report = present(parse(json.dumps(document)))
    assert report.extra == {"xReports": [{"at": "later"}]}
    assert json.loads(report.to_json()) == document


@pytest.mark.parametrize(
    "raw",
    [
        "Counted by Sam, all good",
        '{"source": "final-pos-ipad", "totals": {"cash": "12.00"}}',
        "[1, 2, 3]",
        '{"version": "one", "methods": {}}',
    ],
)
def test_a_report_a_till_wrote_is_kept_whole_and_never_written_as_ours(raw):
    report = parse(raw)
    assert report is not None and not report.is_ours and report.foreign == raw
    assert report.review_state == "" and report.expected_amounts() is None
    assert present(from_index(report.to_document())).foreign == raw
    with pytest.raises(ValueError):
        report.to_json()


def test_nothing_to_read_is_no_report():
    assert parse(None) is None and parse("") is None


def test_a_deeply_nested_document_is_foreign_not_a_crash():
    raw = "[" * 50_000 + "]" * 50_000
    assert present(parse(raw)).foreign == raw


def test_the_review_states():
    assert Review().state == ""
    assert Review(required=True).state == REVIEW_REQUIRED
    assert Review(required=True, approved_by="Mia").state == REVIEW_APPROVED


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
report_keys = st.sampled_from([*V1_REPORT, "reopenings", "foreign", "other"])


@given(st.dictionaries(report_keys, json_values, max_size=8))
def test_any_document_with_our_markers_reads_and_keeps_every_key(parts):
    document = {"version": 1, "methods": {}} | parts
    raw = json.dumps(document)
    report = parse(raw)
    assert report is not None
    written = report.to_document()
    if report.is_ours:
        assert set(document) <= set(written)
        for key in report.unreadable | report.extra:
            assert written[key] == document[key]
        assert json.loads(report.to_json()) == written


@given(json_values)
def test_any_json_at_all_is_read_without_raising(value):
    report = parse(json.dumps(value))
    assert report is None or isinstance(report, ClosingReport)


def test_every_part_of_the_report_can_be_set_by_its_typed_name():
    kept_by_the_report_itself = {"version", "writer", "present", "extra", "unreadable", "is_ours"}
    parts = {part.name for part in fields(ClosingReport)} - kept_by_the_report_itself
    assert set(ReportParts.__annotations__) == parts


def test_a_null_tills_report_inside_ours_reads_as_none():
    """Reports written before 2026-12-07 could carry "foreign": null where no till wrote one."""
    document = {"version": 2, "writer": "till-close-dashboard", "currency": "USD", "foreign": None}
    report = ClosingReport.from_document(document)
    assert report.is_ours and report.foreign is None
    wrapped = ClosingReport.from_document({**document, "foreign": {"z": 1}})
    assert json.loads(present(wrapped.foreign)) == {"z": 1}
