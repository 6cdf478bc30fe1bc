"""An outlet's rules as the close reads them: who counts blind, and who may recount."""

import pytest

from sessions_app.models import OutletSettings
from sessions_app.policy import counts_blind, outlet_currencies, outlet_policies, recount_allowed
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
