"""The catalog's reads: which held removals a manager may confirm."""

import pytest

from sessions_app.selectors.catalog import catalog_held_removal_ids
from sessions_app.services.catalog import catalog_refresh
from tests.conftest import STATION_A1, STATION_A2, STATION_B1

pytestmark = pytest.mark.django_db


def test_a_manager_may_confirm_only_held_removals_of_their_own_outlets(tills, simulator, manager):
    for station in (STATION_A1, STATION_B1):
        simulator.simulator.store.delete("station", station)
    catalog_refresh()
    asked = [STATION_A1, STATION_A2, STATION_B1, "not-an-id"]
    assert catalog_held_removal_ids(user=manager, among=asked) == {STATION_A1}
