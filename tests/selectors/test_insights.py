"""What the insights are measured in: one currency at a time, and whose threshold."""

from decimal import Decimal

import pytest

from sessions_app.models import OutletSettings
from sessions_app.selectors.insights import insights_scale
from tests.conftest import OUTLET_A, OUTLET_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_currencies(settings):
    settings.CURRENCY = "USD"
    settings.VARIANCE_REASON_THRESHOLD = Decimal("5.00")
    OutletSettings.objects.create(outlet_id=OUTLET_B, currency="CAD")
    OutletSettings.objects.create(outlet_id=OUTLET_A, variance_reason_threshold=Decimal("2.00"))


def test_one_outlets_page_is_in_its_currency_and_judged_by_its_threshold(two_currencies):
    scale = insights_scale(outlet_ids=[OUTLET_A, OUTLET_B], outlet=OUTLET_B, asked_currency="USD")
    assert scale.currencies == ["CAD", "USD"] and scale.currency == "CAD"
    assert scale.threshold == Decimal("5.00")
    mine = insights_scale(outlet_ids=[OUTLET_A, OUTLET_B], outlet=OUTLET_A, asked_currency="")
    assert mine.currency == "USD" and mine.threshold == Decimal("2.00")


def test_across_outlets_the_asked_currency_else_the_companys(two_currencies):
    both = [OUTLET_A, OUTLET_B]
    assert insights_scale(outlet_ids=both, outlet="", asked_currency="CAD").currency == "CAD"
    assert insights_scale(outlet_ids=both, outlet="", asked_currency="EUR").currency == "USD"
    assert insights_scale(outlet_ids=both, outlet="", asked_currency="").threshold == Decimal(
        "5.00"
    )


def test_outlets_that_share_one_currency_are_shown_in_it(settings):
    settings.CURRENCY = "USD"
    OutletSettings.objects.create(outlet_id=OUTLET_A, currency="EUR")
    assert insights_scale(outlet_ids=[OUTLET_A], outlet="", asked_currency="").currency == "EUR"


def test_across_yen_outlets_the_sites_threshold_is_kept_to_size(settings):
    settings.CURRENCY = "USD"
    settings.VARIANCE_REASON_THRESHOLD = Decimal("5.00")
    OutletSettings.objects.create(outlet_id=OUTLET_A, currency="JPY")
    OutletSettings.objects.create(outlet_id=OUTLET_B, currency="JPY")
    scale = insights_scale(outlet_ids=[OUTLET_A, OUTLET_B], outlet="", asked_currency="")
    assert scale.currency == "JPY" and scale.threshold == 750  # not 5 yen
