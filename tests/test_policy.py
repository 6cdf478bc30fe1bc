"""An outlet's rules as the close reads them: who counts blind, and who may recount."""

from decimal import Decimal

import pytest

from sessions_app.models import OutletSettings
from sessions_app.policy import (
    counts_blind,
    outlet_currencies,
    outlet_policies,
    outlet_policy,
    recount_allowed,
)
from tests.conftest import OUTLET_A, OUTLET_B

pytestmark = pytest.mark.django_db


def test_a_cashier_counts_blind_where_the_outlet_says_so_and_a_manager_never(settings):
    settings.BLIND_COUNT = False
    OutletSettings.objects.create(outlet_id=OUTLET_A, blind_count=True)
    assert counts_blind(outlet_id=OUTLET_A, is_manager=False)
    assert not counts_blind(outlet_id=OUTLET_A, is_manager=True)
    assert not counts_blind(outlet_id=OUTLET_B, is_manager=False)  # the site's default


def test_a_blind_count_may_be_edited_after_the_reveal_only_when_the_site_allows_it(settings):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = False
    assert not recount_allowed(outlet_id=OUTLET_A, is_manager=False)
    settings.BLIND_RECOUNT_AFTER_REVEAL = True
    assert recount_allowed(outlet_id=OUTLET_A, is_manager=False)


def test_a_count_that_is_not_blind_may_always_be_edited(settings):
    settings.BLIND_COUNT = True
    settings.BLIND_RECOUNT_AFTER_REVEAL = False
    assert recount_allowed(outlet_id=OUTLET_A, is_manager=True)
    settings.BLIND_COUNT = False
    assert recount_allowed(outlet_id=OUTLET_A, is_manager=False)


def test_outlet_currencies_are_those_of_the_outlets_rules(settings):
    settings.CURRENCY = "USD"
    OutletSettings.objects.create(outlet_id=OUTLET_B, currency="chf")
    both = [OUTLET_A, OUTLET_B, "an outlet with no settings"]
    assert outlet_currencies(both) == {"USD", "CHF"}
    assert outlet_currencies(both) == {p.currency.code for p in outlet_policies(both).values()}


def test_site_amounts_keep_their_size_in_an_outlet_of_another_currency(settings):
    """The site's thresholds are set in its own currency: 5.00 USD is not 5 yen."""
    settings.CURRENCY = "USD"
    settings.TARGET_FLOAT = None
    OutletSettings.objects.create(outlet_id="yen-outlet", currency="JPY")
    OutletSettings.objects.create(outlet_id="dinar-outlet", currency="KWD")
    yen, dinar, dollar = (outlet_policy(o) for o in ("yen-outlet", "dinar-outlet", "other"))
    assert dollar.variance.reason_threshold == 5 and dollar.variance.approval_threshold == 20
    # Against a usual float of 200 USD, 30,000 JPY and 50 KWD.
    assert yen.variance.reason_threshold == 750 and yen.variance.approval_threshold == 3000
    assert yen.movement_approval_limit == 7500
    assert dinar.variance.reason_threshold == Decimal("1.250")
    assert str(dinar.movement_approval_limit) == "12.500"
