"""`manage.py setup_demo` creates the demo accounts in demo mode only."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from finalpos_simulator.seed import OUTLET_IDS as DEMO_OUTLET_IDS
from sessions_app.roles import allowed_outlet_ids, is_cashier, is_manager

pytestmark = pytest.mark.django_db


def test_it_creates_both_demo_accounts_in_demo_mode_and_no_more_when_run_again(settings):
    """One test for both (each run indexes the demo company's six weeks of shifts)."""
    settings.FINALPOS_DEMO_MODE = True
    call_command("setup_demo", verbosity=0)
    manager = authenticate(username="manager", password="manager-demo")
    cashier = authenticate(username="cashier", password="cashier-demo")
    assert manager is not None and is_manager(manager)
    assert cashier is not None and is_cashier(cashier) and not is_manager(cashier)
    assert allowed_outlet_ids(manager) == frozenset(DEMO_OUTLET_IDS)
    assert allowed_outlet_ids(cashier) == frozenset(DEMO_OUTLET_IDS[:1])

    call_command("setup_demo", verbosity=0)  # idempotent
    assert get_user_model().objects.filter(username__in=["manager", "cashier"]).count() == 2


def test_it_creates_nothing_in_live_mode(settings, capsys):
    settings.FINALPOS_DEMO_MODE = False
    call_command("setup_demo")
    assert not get_user_model().objects.filter(username="manager").exists()
    assert "no demo accounts created" in capsys.readouterr().out


def test_it_seeds_the_embedded_simulator_and_loads_the_catalog(settings, tmp_path, client):
    from sessions_app.models import Outlet, Station

    settings.FINALPOS_DEMO_MODE = True
    settings.FINALPOS_SIMULATOR_DB = str(tmp_path / "embedded.sqlite3")
    call_command("setup_demo", verbosity=0)
    assert Outlet.objects.count() == 3 and Station.objects.count() == 8
    client.login(username="cashier", password="cashier-demo")
    page = client.get("/").content.decode()
    assert "Harbour Street" in page and "Till 1" in page
    assert "Market Square" not in page  # the demo cashier works at Harbour Street only


def test_one_setting_shows_the_demo_in_another_currency_and_language(settings, tmp_path, client):
    """CURRENCY=CHF LANGUAGE_CODE=de make run: the demo company is seeded again in francs, its
    shifts indexed afresh, and the demo accounts speak German."""
    from decimal import Decimal

    from sessions_app.models import SessionRecord, StaffProfile

    settings.FINALPOS_DEMO_MODE = True
    settings.FINALPOS_SIMULATOR_TILLS = False
    settings.FINALPOS_SIMULATOR_DB = str(tmp_path / "embedded.sqlite3")
    call_command("setup_demo", verbosity=0)
    assert set(SessionRecord.objects.values_list("currency", flat=True)) == {"USD"}

    settings.CURRENCY, settings.LANGUAGE_CODE = "CHF", "de"
    call_command("setup_demo", verbosity=0)
    shifts = SessionRecord.objects.all()
    assert shifts.count() > 100 and set(shifts.values_list("currency", flat=True)) == {"CHF"}
    from finalpos_simulator.adapter import default_simulator

    sales = default_simulator().store.find("transaction")
    cash = [Decimal(sale["amount"]) for sale in sales if sale["paymentMethod"] == "cash"]
    assert len(cash) > 100 and {sale["currency"] for sale in sales} == {"CHF"}
    assert all(amount % Decimal("0.05") == 0 for amount in cash)  # paid in 5 Rappen
    assert set(StaffProfile.objects.values_list("language", flat=True)) == {"de"}
    client.login(username="manager", password="manager-demo")
    page = client.get("/sessions/", headers={"accept-language": "en"}).content.decode()
    assert 'lang="de"' in page and "CHF" in page
