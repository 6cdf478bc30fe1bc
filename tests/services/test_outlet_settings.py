"""Each outlet's own rules: its business day in its own time zone, its thresholds, float,
blind count and movement limit; the site's defaults where it sets none."""

from datetime import date
from decimal import Decimal

import pytest

from sessions_app.models import AuditEntry, OutletSettings, SessionRecord
from sessions_app.policy import outlet_policy
from sessions_app.services.cash_movements import cash_movement_record
from sessions_app.services.errors import VarianceReasonRequired
from sessions_app.services.index import shift_fetch
from sessions_app.services.outlet_settings import outlet_settings_update
from tests.conftest import OUTLET_A, OUTLET_B, STATION_A1, STATION_B1, till_session
from tests.helpers import present

pytestmark = pytest.mark.django_db

# 06:00 UTC on 23 November: 1 a.m. in New York (the site), 10 p.m. the day before in LA.
JUST_AFTER_MIDNIGHT_IN_NEW_YORK = "2026-11-23T06:00:00.000Z"


def _rules(outlet, user, **changes):
    return outlet_settings_update(outlet=outlet, changes=changes, updated_by_user=user)


def test_an_outlet_in_another_time_zone_gets_its_business_days_right(tills, manager, simulator):
    from sessions_app.models import Outlet

    _rules(Outlet.objects.get(id=OUTLET_B), manager, time_zone="America/Los_Angeles")
    here = till_session(
        simulator, STATION_A1, "S-2026-0001", openTime=JUST_AFTER_MIDNIGHT_IN_NEW_YORK
    )
    there = till_session(
        simulator, STATION_B1, "S-2026-0002", openTime=JUST_AFTER_MIDNIGHT_IN_NEW_YORK
    )

    assert shift_fetch(session_id=here["id"]).business_date == date(2026, 11, 23)
    assert shift_fetch(session_id=there["id"]).business_date == date(2026, 11, 22)


def test_a_new_time_zone_moves_the_shifts_already_indexed_and_is_audited(tills, manager, simulator):
    from sessions_app.models import Outlet

    there = till_session(
        simulator, STATION_B1, "S-2026-0002", openTime=JUST_AFTER_MIDNIGHT_IN_NEW_YORK
    )
    record = shift_fetch(session_id=there["id"])
    assert record.business_date == date(2026, 11, 23)

    _rules(Outlet.objects.get(id=OUTLET_B), manager, time_zone="America/Los_Angeles")

    assert SessionRecord.objects.get(id=record.id).business_date == date(2026, 11, 22)
    entry = AuditEntry.objects.get(action="setup", object_id=OUTLET_B)
    assert entry.after == {"time_zone": "America/Los_Angeles"} and entry.before == {"time_zone": ""}


def test_blank_rules_follow_the_sites_defaults(tills, manager, settings):
    from sessions_app.models import Outlet

    _rules(Outlet.objects.get(id=OUTLET_A), manager, target_float=Decimal("150.00"))
    policy = outlet_policy(OUTLET_A)
    assert policy.target_float == Decimal("150.00")
    assert policy.variance.reason_threshold == settings.VARIANCE_REASON_THRESHOLD
    assert policy.blind_count is settings.BLIND_COUNT
    # TARGET_FLOAT unset: the usual float of the outlet's currency (200 US dollars).
    assert settings.TARGET_FLOAT is None
    assert outlet_policy(OUTLET_B).target_float == Decimal("200")
    assert OutletSettings.objects.count() == 1


def test_a_stricter_outlet_asks_a_reason_for_a_smaller_difference(close_open_shift, manager):
    from sessions_app.models import Outlet

    _rules(Outlet.objects.get(id=OUTLET_A), manager, variance_reason_threshold=Decimal("1.00"))

    with pytest.raises(VarianceReasonRequired, match=r"\$1\.00"):
        close_open_shift(cash="238.00", request_id="e" * 32)


def test_the_outlets_approval_threshold_decides_review(close_open_shift, manager):
    from sessions_app.models import Outlet

    _rules(Outlet.objects.get(id=OUTLET_A), manager, variance_approval_threshold=Decimal("0.50"))
    record = close_open_shift(cash="239.00", request_id="f" * 32)
    assert record.needs_review  # $1.00 short: under the site's $20.00, over the outlet's


def test_the_outlets_float_decides_what_to_bank(close_open_shift, manager):
    from sessions_app.models import Outlet

    _rules(Outlet.objects.get(id=OUTLET_A), manager, target_float=Decimal("100.00"))
    record = close_open_shift(cash="240.00", request_id="a" * 32)
    drop = present(record.report)["bankDeposit"]
    assert (drop["targetFloat"], drop["leave"], drop["bank"]) == ("100.00", "100.00", "140.00")


def test_the_outlets_movement_limit_decides_approval(open_shift, manager, cashier):
    from sessions_app.models import Outlet

    _rules(Outlet.objects.get(id=OUTLET_A), manager, movement_approval_limit=Decimal("5.00"))
    cash_movement_record(
        record=open_shift,
        recorded_by_user=cashier,
        movement_id="b" * 32,
        kind="pay_out",
        amount=Decimal("6.00"),
        reason="Supplies",
    )
    open_shift.refresh_from_db()
    [movement] = open_shift.report["cashMovements"]
    assert movement["approval"]["required"] is True


def test_an_outlet_without_shifts_can_take_another_currency(tills, manager):
    from sessions_app.models import Outlet

    _rules(Outlet.objects.get(id=OUTLET_B), manager, currency="JPY")
    policy = outlet_policy(OUTLET_B)
    assert policy.currency.code == "JPY" and policy.currency.decimals == 0
    assert policy.target_float == Decimal(30000)
    assert [d.value for d in policy.denominations][:2] == [Decimal(10000), Decimal(5000)]


def test_the_currency_of_an_outlet_with_shifts_cannot_change(closed_shift, manager):
    from sessions_app.models import Outlet
    from sessions_app.services.errors import CurrencyHasHistory

    with pytest.raises(CurrencyHasHistory, match="1 shift in USD"):
        _rules(Outlet.objects.get(id=OUTLET_A), manager, currency="EUR")
    assert outlet_policy(OUTLET_A).currency.code == "USD"
    assert not OutletSettings.objects.filter(outlet_id=OUTLET_A, currency="EUR").exists()


def test_a_new_company_currency_never_reinterprets_the_shifts_indexed(closed_shift, settings):
    from sessions_app.services.index import shift_refresh

    settings.CURRENCY = "EUR"
    refreshed = shift_refresh(closed_shift)
    assert refreshed.currency == "USD"  # fixed when first indexed
    assert outlet_policy(OUTLET_A).currency.code == "EUR"  # new shifts: the company's now
