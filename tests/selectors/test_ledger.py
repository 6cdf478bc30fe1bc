"""The ledger's reads as the shift's pages need them: a movement above the limit."""

from decimal import Decimal

import pytest

from sessions_app.selectors.ledger import movements_above_limit
from sessions_app.services.cash_movements import cash_movement_record

pytestmark = pytest.mark.django_db


def _pay_out(shift, user, movement_id, amount):
    return cash_movement_record(
        record=shift,
        recorded_by_user=user,
        movement_id=movement_id,
        kind="pay_out",
        amount=Decimal(amount),
        reason="Supplies",
    ).record


def test_a_movement_within_the_limit_waits_for_no_one(open_shift, cashier, settings):
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("50.00")
    record = _pay_out(open_shift, cashier, "a" * 32, "20.00")
    assert movements_above_limit(record=record, movement_id="a" * 32) is None


def test_the_pay_outs_that_went_above_the_limit_are_added_up(open_shift, cashier, settings):
    settings.MOVEMENT_APPROVAL_LIMIT = Decimal("50.00")
    _pay_out(open_shift, cashier, "a" * 32, "30.00")
    record = _pay_out(open_shift, cashier, "b" * 32, "25.00")
    above = movements_above_limit(record=record, movement_id="b" * 32)
    assert above is not None and above.kind == "pay_out"
    assert above.total == Decimal("55.00") and above.limit == Decimal("50.00")
