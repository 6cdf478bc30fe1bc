"""What a close writes about the drawer: each tender on its own, the sales behind expected,
the blind count's trace and the float handed over to the next shift."""

import json
from decimal import Decimal

import pytest

from sessions_app.models import AuditEntry, SessionRecord
from sessions_app.services.blind_count import blind_count_reveal
from sessions_app.services.errors import CountIsFinal
from sessions_app.services.shift_close import shift_close
from sessions_app.services.shift_open import shift_open
from tests.conftest import record_sale

pytestmark = pytest.mark.django_db


def _close(shift, user, cash: str, card: str = "60.00", reason: str = "", request_id="1" * 32):
    return shift_close(
        record=SessionRecord.objects.get(id=shift.id),
        closed_by_user=user,
        counted={"cash": Decimal(cash), "card": Decimal(card), "oliverPay": Decimal(0)},
        variance_reason=reason,
        seen_updated_at=None,
        close_request_id=request_id,
    ).record


def test_a_cash_short_beside_a_card_over_is_mixed_and_leads_with_cash(open_shift, cashier):
    # Expected: cash 240.00, card 60.00. Counted: cash 209.58 (-30.42), card 90.42 (+30.42).
    closed = _close(open_shift, cashier, "209.58", "90.42", reason="Card batch double-counted")
    assert closed.result == "mixed"
    assert closed.cash_variance == Decimal("-30.42")
    assert closed.variances == {"cash": "-30.42", "card": "30.42", "oliverPay": "0.00"}
    assert closed.variance_abs == Decimal("30.42")  # the largest single tender, never a sum
    assert closed.needs_review  # 30.42 on one tender is above the 20.00 approval limit


def test_the_report_keeps_the_sales_behind_expected(open_shift, cashier, simulator):
    record_sale(simulator, open_shift.id, "5.00", "cash", "refund")
    record_sale(simulator, open_shift.id, "25.00", "gift_card")
    closed = _close(open_shift, cashier, "235.00")
    sales = closed.report["sales"]
    assert sales["byMethod"]["cash"] == {
        "sales": "40.00",
        "refunds": "5.00",
        "saleCount": 1,
        "refundCount": 1,
    }
    assert sales["byMethod"]["card"]["sales"] == "60.00"
    assert sales["other"]["gift_card"]["sales"] == "25.00"  # kept, never declared at close
    assert closed.report["cashDrawer"]["cashRefunds"] == "5.00"
    assert closed.result == "balanced"


def test_a_count_changed_after_the_reveal_is_on_the_report_and_in_the_audit(
    open_shift, cashier, settings
):
    settings.BLIND_RECOUNT_AFTER_REVEAL = True
    blind_count_reveal(
        record=open_shift,
        counted={"cash": Decimal("250.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)},
        revealed_to=cashier,
    )
    closed = _close(open_shift, cashier, "240.00")
    trace = closed.report["blindCount"]
    assert trace["recounted"] is True and trace["firstCount"]["cash"] == "250.00"
    entry = AuditEntry.objects.get(action="close")
    assert "recounted after seeing expected" in entry.summary
    assert "$250.00" in entry.summary and "$240.00" in entry.summary


def test_a_count_kept_after_the_reveal_is_marked_blind(open_shift, cashier):
    counted = {"cash": Decimal("240.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)}
    blind_count_reveal(record=open_shift, counted=counted, revealed_to=cashier)
    closed = _close(open_shift, cashier, "240.00")
    assert closed.report["blindCount"]["recounted"] is False
    assert "recounted" not in AuditEntry.objects.get(action="close").summary


def test_when_recounting_is_off_the_first_count_is_final(open_shift, cashier, settings):
    settings.BLIND_RECOUNT_AFTER_REVEAL = False
    first = {"cash": Decimal("250.00"), "card": Decimal("60.00"), "oliverPay": Decimal(0)}
    blind_count_reveal(record=open_shift, counted=first, revealed_to=cashier)
    with pytest.raises(CountIsFinal, match=r"\$250\.00"):
        blind_count_reveal(
            record=open_shift, counted=first | {"cash": Decimal("240.00")}, revealed_to=cashier
        )
    with pytest.raises(CountIsFinal):
        _close(open_shift, cashier, "240.00")
    assert SessionRecord.objects.get(id=open_shift.id).is_open


def test_the_next_shift_is_told_what_the_last_one_left(open_shift, cashier, tills, simulator):
    # Counted 240.00 with a 200.00 target: leave 200.00, bank 40.00.
    _close(open_shift, cashier, "240.00")
    opened = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("180.00")
    ).record
    handover = json.loads(simulator.simulator.store.get("session", opened.id)["closingReportData"])[
        "handover"
    ]
    assert handover["expectedFloat"] == "200.00" and handover["openedWith"] == "180.00"
    assert handover["difference"] == "-20.00"
    assert handover["fromSessionNumber"] == open_shift.session_number
