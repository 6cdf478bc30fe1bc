"""shift_close: one whole-record PUT with the counts and the closing report; safe to retry."""

import json
from decimal import Decimal

import pytest

from sessions_app.finalpos import FinalPOSAuthError, FinalPOSRejected, FinalPOSUnavailable
from sessions_app.models import SessionRecord
from sessions_app.services.errors import ShiftAlreadyClosed, ShiftChanged, VarianceReasonRequired
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from tests.conftest import add_faults, record_sale
from tests.helpers import present

pytestmark = pytest.mark.django_db

REQUEST_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def shift(tills, cashier, simulator):
    record = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("200.00")
    ).record
    record_sale(simulator, record.id, "40.00", "cash")
    record_sale(simulator, record.id, "5.00", "cash", "refund")
    record_sale(simulator, record.id, "120.00", "credit_card")
    record_sale(simulator, record.id, "30.00", "oliver_pay")
    simulator.simulator.reset_log()
    return SessionRecord.objects.get(id=record.id)


def _close(shift, user, cash="235.00", card="120.00", wallet="30.00", **kwargs):
    kwargs.setdefault("seen_updated_at", shift.upstream_updated_at)
    kwargs.setdefault("close_request_id", REQUEST_ID)
    return shift_close(
        record=shift,
        closed_by_user=user,
        counted={"cash": Decimal(cash), "card": Decimal(card), "oliverPay": Decimal(wallet)},
        **kwargs,
    )


def _stored(simulator, shift):
    return simulator.simulator.store.get("session", shift.id)


def test_a_balanced_close_writes_every_field_in_one_put(shift, cashier, simulator):
    result = _close(shift, cashier, closing_note="Quiet day")
    puts = [r for r in simulator.simulator.requests if r.method == "PUT" and "/session/" in r.path]
    assert len(puts) == 1
    stored = _stored(simulator, shift)
    assert stored["closedBy"] == "Cal Cashier" and stored["closeTime"].endswith("Z")
    assert stored["closingAmount"] == "235.00"
    assert stored["closingAmounts"] == {"cash": "235.00", "card": "120.00", "oliverPay": "30.00"}
    assert stored["closingNote"] == "Quiet day"
    report = json.loads(stored["closingReportData"])
    assert report["version"] == 2 and report["expectedAvailable"] is True
    assert report["methods"]["cash"] == {
        "expected": "235.00",
        "counted": "235.00",
        "variance": "0.00",
    }
    assert report["review"]["required"] is False
    record = result.record
    assert not record.is_open and record.result == "balanced" and record.cash_variance == 0
    assert simulator.simulator.store.get("station", shift.station_id)["status"] == "AVAILABLE"


def test_a_short_till_is_labelled_and_above_the_limit_needs_review(shift, cashier, settings):
    settings.VARIANCE_APPROVAL_THRESHOLD = Decimal("20.00")
    record = _close(shift, cashier, cash="200.00", variance_reason="Gave wrong change").record
    assert record.result == "short" and record.cash_variance == Decimal("-35.00")
    assert record.review_state == "needs_review"
    assert record.report["varianceReason"] == "Gave wrong change"


def test_a_reason_is_required_above_the_reason_threshold(shift, cashier, simulator, settings):
    settings.VARIANCE_REASON_THRESHOLD = Decimal("5.00")
    with pytest.raises(VarianceReasonRequired):
        _close(shift, cashier, cash="225.00")
    assert "closeTime" not in _stored(simulator, shift)
    assert SessionRecord.objects.get(id=shift.id).is_open


def test_only_configured_methods_are_sent(shift, cashier, simulator, settings):
    settings.PAYMENT_METHODS = (("cash", "Cash"), ("card", "Card"))
    _close(shift, cashier, cash="235.00", card="120.00")
    assert set(_stored(simulator, shift)["closingAmounts"]) == {"cash", "card"}


def test_without_transactions_it_closes_and_says_expected_is_not_available(
    shift, cashier, simulator
):
    add_faults(simulator, {"action": "status", "status": 500, "path_contains": "/transactions"})
    record = _close(shift, cashier).record
    assert not record.is_open and record.result == "" and record.cash_variance is None
    report = json.loads(_stored(simulator, shift)["closingReportData"])
    assert report["expectedAvailable"] is False and report["methods"]["cash"]["expected"] is None


def test_the_cash_drop_is_recorded_by_denomination(shift, cashier, settings):
    settings.TARGET_FLOAT = Decimal("200.00")
    counts = {Decimal(100): 1, Decimal(20): 6, Decimal(5): 3}
    record = _close(shift, cashier, cash="235.00", cash_count=counts).record
    drop = record.report["bankDeposit"]
    assert drop["bank"] == "35.00" and drop["leave"] == "200.00"
    assert drop["bankCounts"] == {"20": 1, "5": 3}
    assert record.report["cashCount"] == {"100": 1, "20": 6, "5": 3}


def test_a_per_outlet_target_float_wins(shift, cashier, settings):
    settings.TARGET_FLOAT_BY_OUTLET = {shift.outlet_id: Decimal("100.00")}
    record = _close(shift, cashier).record
    assert record.report["bankDeposit"]["bank"] == "135.00"


def test_a_change_made_meanwhile_is_not_overwritten(shift, cashier, simulator):
    stored = _stored(simulator, shift) | {
        "updatedAt": "2030-01-01T00:00:00.000+00:00",
        "notes": ["Till app note"],
    }
    simulator.simulator.store.replace("session", stored)
    with pytest.raises(ShiftChanged):
        _close(shift, cashier)
    assert "closeTime" not in _stored(simulator, shift)
    assert present(SessionRecord.objects.get(id=shift.id).upstream_updated_at).year == 2030


def test_a_shift_someone_else_closed_is_refused(shift, cashier, manager):
    _close(shift, manager, close_request_id="f" * 32)
    with pytest.raises(ShiftAlreadyClosed, match="already closed by Mia Manager"):
        _close(SessionRecord.objects.get(id=shift.id), cashier, seen_updated_at=None)


def test_a_retried_close_is_recognized_not_written_twice(shift, cashier, simulator):
    _close(shift, cashier)
    simulator.simulator.reset_log()
    result = _close(shift, cashier)
    assert result.already_done and not result.record.is_open
    assert not any(
        r.method == "PUT" and "/session/" in r.path for r in simulator.simulator.requests
    )


def test_a_close_whose_answer_was_lost_is_recognized_at_once(shift, cashier, simulator):
    add_faults(
        simulator,
        {
            "action": "drop",
            "method": "PUT",
            "path_contains": "/session/",
            "when": "after",
            "times": 1,
        },
    )
    result = _close(shift, cashier)
    assert not result.record.is_open
    assert _stored(simulator, shift)["closedBy"] == "Cal Cashier"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"action": "status", "status": 503}, FinalPOSUnavailable),
        ({"action": "status", "status": 502}, FinalPOSUnavailable),
        ({"action": "drop"}, FinalPOSUnavailable),
        ({"action": "status", "status": 401}, FinalPOSAuthError),
        (
            {"action": "status", "status": 400, "messages": ["closingAmount must be a string"]},
            FinalPOSRejected,
        ),
    ],
)
def test_a_failed_put_leaves_the_shift_open_everywhere(shift, cashier, simulator, fault, error):
    add_faults(simulator, {**fault, "method": "PUT", "path_contains": "/session/"})
    with pytest.raises(error):
        _close(shift, cashier)
    assert "closeTime" not in _stored(simulator, shift)
    record = SessionRecord.objects.get(id=shift.id)
    assert record.is_open and record.close_time is None


def test_a_failed_read_before_writing_changes_nothing(shift, cashier, simulator):
    add_faults(
        simulator,
        {"action": "status", "status": 503, "method": "GET", "path_contains": "/session/"},
    )
    with pytest.raises(FinalPOSUnavailable):
        _close(shift, cashier)
    assert not any(r.method == "PUT" for r in simulator.simulator.requests)


def test_a_failed_station_update_is_reported_and_left_pending(shift, cashier, simulator):
    add_faults(
        simulator,
        {"action": "status", "status": 500, "method": "PUT", "path_contains": "/station/"},
    )
    result = _close(shift, cashier)
    assert not result.record.is_open and "HTTP 500" in result.station_status_error
    assert SessionRecord.objects.get(id=shift.id).station_status_pending == "AVAILABLE"
