"""catalog_refresh copies outlets and stations from Final POS and records how it went."""

import pytest

from sessions_app.finalpos import FinalPOSUnavailable
from sessions_app.models import Outlet, Station, SyncState
from sessions_app.services.catalog import CATALOG, catalog_refresh
from tests.conftest import add_faults
from tests.helpers import present

pytestmark = pytest.mark.django_db


def test_it_loads_every_outlet_and_station(finalpos, simulator, seed_demo):
    seed_demo(simulator.simulator.store)
    result = catalog_refresh()
    assert (result.outlets, result.tills) == (3, 8)
    assert list(Outlet.objects.values_list("name", flat=True)) == [
        "Airport Kiosk",
        "Harbour Street",
        "Market Square",
    ]
    kiosk = Station.objects.get(name="Kiosk 2")
    assert (
        kiosk.status == "IN_USE" and kiosk.outlet_id == Outlet.objects.get(name="Airport Kiosk").id
    )
    state = SyncState.objects.get(name=CATALOG)
    assert state.last_success_at and state.last_error == ""


def test_it_removes_what_final_pos_no_longer_has(finalpos, simulator, seed_demo):
    seed_demo(simulator.simulator.store)
    catalog_refresh()
    finalpos.station_delete(Station.objects.get(name="Kiosk 2").id)
    catalog_refresh()
    assert not Station.objects.filter(name="Kiosk 2").exists()
    assert Station.objects.count() == 7


def test_a_failure_keeps_the_cache_and_records_the_error(finalpos, simulator, seed_demo):
    seed_demo(simulator.simulator.store)
    catalog_refresh()
    add_faults(simulator, {"action": "status", "status": 500, "path_contains": "/stations"})
    with pytest.raises(FinalPOSUnavailable):
        catalog_refresh()
    assert Station.objects.count() == 8
    state = SyncState.objects.get(name=CATALOG)
    assert "HTTP 500" in state.last_error
    assert present(state.last_success_at) < present(state.last_attempt_at)


def test_it_makes_two_list_calls_for_a_small_company(finalpos, simulator, seed_demo):
    seed_demo(simulator.simulator.store)
    catalog_refresh()
    assert dict(simulator.simulator.calls) == {"GET /v1/api/outlets": 1, "GET /v1/api/stations": 1}


def test_the_refresh_command_reports_what_it_loaded(finalpos, simulator, seed_demo, capsys):
    from django.core.management import call_command

    seed_demo(simulator.simulator.store)
    call_command("refresh_finalpos")
    assert "Refreshed 3 outlets and 8 tills." in capsys.readouterr().out


def test_the_refresh_command_fails_clearly_when_final_pos_is_down(finalpos, simulator):
    from django.core.management import CommandError, call_command

    add_faults(simulator, {"action": "status", "status": 503})
    with pytest.raises(CommandError, match="Refresh failed: Final POS had a problem"):
        call_command("refresh_finalpos")
