"""shift_correct: a manager fixes a closed shift's figures; the original stays in the report."""

import json
from decimal import Decimal

import pytest

from sessions_app.finalpos import FinalPOSUnavailable
from sessions_app.models import AuditEntry, LedgerEntry, SessionRecord
from sessions_app.services.errors import ShiftChanged, ShiftNotCorrectable
from sessions_app.services.shift_review import shift_correct
from tests.conftest import add_faults
from tests.helpers import present

pytestmark = pytest.mark.django_db

RECOUNTED = {"cash": Decimal("240.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)}


def _stored_report(simulator, session_id: str) -> dict:
    return json.loads(simulator.simulator.store.get("session", session_id)["closingReportData"])


@pytest.fixture
def correct(closed_shift, manager):
    """Mia corrects the closed shift (or the record given): recounted as RECOUNTED, the
    cashier's note kept, no page version to check, unless the test says otherwise."""

    def correct_shift(
        *,
        record=None,
        counted=RECOUNTED,
        closing_note="Busy night",
        reason="Recount",
        seen_updated_at=None,
    ):
        return shift_correct(
            record=record or closed_shift,
            corrected_by_user=manager,
            counted=counted,
            closing_note=closing_note,
            reason=reason,
            seen_updated_at=seen_updated_at,
        )

    return correct_shift


def test_a_correction_updates_final_pos_and_keeps_the_original(correct, closed_shift, simulator):
    record = correct(
        reason="Found $10 under the tray", seen_updated_at=closed_shift.upstream_updated_at
    ).record

    stored = simulator.simulator.store.get("session", closed_shift.id)
    assert stored["closingAmount"] == "240.00"
    assert stored["closingAmounts"]["cash"] == "240.00"
    report = _stored_report(simulator, closed_shift.id)
    assert report["methods"]["cash"] == {
        "expected": "240.00",
        "counted": "240.00",
        "variance": "0.00",
    }
    assert {line["variance"] for line in report["methods"].values()} == {"0.00"}
    [correction] = report["corrections"]
    assert correction["by"] == "Mia Manager"
    assert correction["reason"] == "Found $10 under the tray"
    assert correction["before"]["closingAmounts"]["cash"] == "230.00"
    assert correction["before"]["variances"]["cash"] == "-10.00"
    assert correction["after"]["variances"]["cash"] == "0.00"
    assert report["varianceReason"] == "Wrong change"  # the cashier's own words stay
    assert record.cash_variance == Decimal("0.00") and record.result == "balanced"


def test_the_cash_drawer_counts_the_corrected_cash(closed_shift, manager, simulator):
    before = _stored_report(simulator, closed_shift.id)["cashDrawer"]
    assert (before["counted"], before["difference"]) == ("230.00", "-10.00")

    shift_correct(
        record=closed_shift,
        corrected_by_user=manager,
        counted=RECOUNTED,
        closing_note="",
        reason="Found $10 under the tray",
        seen_updated_at=closed_shift.upstream_updated_at,
    )

    drawer = _stored_report(simulator, closed_shift.id)["cashDrawer"]
    assert drawer["counted"] == "240.00"
    assert drawer["difference"] == "0.00"  # the same as the cash line of the methods
    assert drawer["expected"] == before["expected"]


def test_a_second_correction_appends_and_the_first_figures_survive(
    correct, closed_shift, simulator
):
    first = correct().record
    correct(
        record=first, counted=RECOUNTED | {"card": Decimal("55.00")}, reason="Card batch re-read"
    )
    corrections = _stored_report(simulator, closed_shift.id)["corrections"]
    assert [c["reason"] for c in corrections] == ["Recount", "Card batch re-read"]
    assert corrections[0]["before"]["closingAmounts"]["cash"] == "230.00"
    assert corrections[1]["before"]["closingAmounts"]["card"] == "60.00"


def test_a_correction_that_makes_a_large_difference_needs_review(correct):
    record = correct(counted=RECOUNTED | {"cash": Decimal("150.00")}).record
    assert record.review_state == "needs_review"
    assert record.cash_variance == Decimal("-90.00") and record.result == "short"


def test_the_note_alone_can_be_corrected(correct, closed_shift, simulator):
    counted = {"cash": Decimal("230.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)}
    record = correct(counted=counted, closing_note="Busy night; drawer stuck", reason="Typo").record
    assert record.closing_note == "Busy night; drawer stuck"
    correction = _stored_report(simulator, closed_shift.id)["corrections"][0]
    assert correction["before"]["closingNote"] == "Busy night"


@pytest.mark.parametrize(
    ("counted", "reason", "message"),
    [
        ({"cash": Decimal("230.00"), "card": Decimal("60.00")}, "Typo", "Nothing was changed"),
        (RECOUNTED, "   ", "Say why"),
    ],
)
def test_empty_corrections_are_refused(correct, simulator, counted, reason, message):
    simulator.simulator.reset_log()
    with pytest.raises(ShiftNotCorrectable, match=message):
        correct(counted=counted, reason=reason)
    assert not any(r.method == "PUT" for r in simulator.simulator.requests)


def test_an_open_shift_cannot_be_corrected(open_shift, manager):
    with pytest.raises(ShiftNotCorrectable, match="still open"):
        shift_correct(
            record=open_shift,
            corrected_by_user=manager,
            counted=RECOUNTED,
            closing_note="",
            reason="x",
            seen_updated_at=None,
        )


def test_a_stale_page_is_refused(correct, closed_shift, simulator):
    stored = simulator.simulator.store.get("session", closed_shift.id)
    simulator.simulator.store.replace(
        "session", stored | {"updatedAt": "2031-01-01T00:00:00.000+00:00"}
    )
    with pytest.raises(ShiftChanged, match="changed in Final POS while you were working"):
        correct(closing_note="", reason="x", seen_updated_at=closed_shift.upstream_updated_at)


def test_a_stale_page_names_the_change_made_here_meanwhile(correct, closed_shift):
    """Another manager (or another tab) corrected the shift after this page was shown: the
    refusal says so, rather than blame Final POS."""
    shown = closed_shift.upstream_updated_at
    correct(reason="Found $10 under the tray", seen_updated_at=shown)
    with pytest.raises(ShiftChanged, match=r"while you were working on it: correction by Mia"):
        correct(closing_note="", reason="Recount", seen_updated_at=shown)


def test_a_correction_found_saved_after_its_answer_was_lost_is_not_named_as_the_change(
    correct, closed_shift, simulator
):
    """Found by a read, the version may be a till's write on top of ours: a stale page is then
    told the shift changed in Final POS, never that this correction was the change."""
    shown = closed_shift.upstream_updated_at
    add_faults(simulator, {"action": "drop", "method": "PUT", "when": "after", "times": 1})
    correct(reason="Found $10 under the tray", seen_updated_at=shown)
    entry = LedgerEntry.objects.get(session_id=closed_shift.id, kind=LedgerEntry.CORRECTION)
    assert entry.state == LedgerEntry.WRITTEN and entry.written_version is None
    with pytest.raises(ShiftChanged, match="changed in Final POS while you were working"):
        correct(closing_note="", reason="Recount", seen_updated_at=shown)


def test_a_failed_write_changes_nothing_and_is_audited(correct, closed_shift, simulator):
    add_faults(simulator, {"action": "status", "status": 503, "method": "PUT"})
    with pytest.raises(FinalPOSUnavailable):
        correct()
    assert SessionRecord.objects.get(id=closed_shift.id).closing_amount == Decimal("230.00")
    entry = AuditEntry.objects.get(action="correct")
    assert not entry.accepted and entry.error


def test_an_accepted_correction_is_audited_with_before_and_after(correct, manager):
    correct()
    entry = AuditEntry.objects.get(action="correct")
    assert entry.accepted and entry.actor == manager
    assert present(entry.before)["closing_amount"] == "230.00"
    assert present(entry.after)["closing_amount"] == "240.00"
    assert "Recount" in entry.summary


def test_a_close_made_without_its_sales_gets_expected_from_a_correction_once_they_read(
    close_open_shift, manager, simulator
):
    """Closed while the sales could not be read: no difference, for good, unless a manager
    can have it worked out. A correction that changes nothing does that once the sales read,
    and the shift's difference is then on its report and in the index."""
    add_faults(simulator, {"action": "status", "status": 503, "path_contains": "/transactions"})
    record = close_open_shift(cash="230.00", closing_note="Busy night")
    assert not _stored_report(simulator, record.id)["expectedAvailable"]
    assert record.result == ""

    simulator.simulator.faults.rules.clear()
    counted = {"cash": Decimal("230.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)}
    corrected = shift_correct(
        record=record,
        corrected_by_user=manager,
        counted=counted,
        closing_note="Busy night",
        reason="Sales readable again",
        seen_updated_at=None,
    ).record

    report = _stored_report(simulator, record.id)
    assert report["expectedAvailable"] is True
    assert report["methods"]["cash"] == {
        "expected": "240.00",
        "counted": "230.00",
        "variance": "-10.00",
    }
    assert corrected.result == "short" and corrected.cash_variance == Decimal("-10.00")


def test_nothing_to_correct_while_the_sales_still_cannot_be_read(
    close_open_shift, manager, simulator
):
    add_faults(simulator, {"action": "status", "status": 503, "path_contains": "/transactions"})
    record = close_open_shift(cash="230.00", closing_note="Busy night")
    counted = {"cash": Decimal("230.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)}
    with pytest.raises(ShiftNotCorrectable, match="Nothing was changed"):
        shift_correct(
            record=record,
            corrected_by_user=manager,
            counted=counted,
            closing_note="Busy night",
            reason="Try again",
            seen_updated_at=None,
        )
