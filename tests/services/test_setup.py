"""Setup services: outlets and tills written to Final POS, the cache updated from its answer."""

from decimal import Decimal

import pytest

from sessions_app.finalpos import FinalPOSUnavailable
from sessions_app.models import AuditEntry, Outlet, OutletAssignment, Station
from sessions_app.services.errors import TillInUse
from sessions_app.services.setup import (
    OutletDetails,
    outlet_create,
    outlet_update,
    till_create,
    till_delete,
    till_rename,
)
from sessions_app.services.shift_open import shift_open
from tests.conftest import OUTLET_A, add_faults
from tests.helpers import present

pytestmark = pytest.mark.django_db

HARBOUR = OutletDetails(
    name="Harbour Street",
    address="2 Quay Rd",
    city="Portland",
    state="ME",
    country="US",
    post_code="04101",
    phone="+12075550111",
)


def test_an_outlet_is_created_upstream_cached_and_given_to_its_creator(tills, manager, simulator):
    outlet = outlet_create(details=HARBOUR, created_by_user=manager)
    stored = simulator.simulator.store.get("outlet", outlet.id)
    assert stored["name"] == "Harbour Street" and stored["postCode"] == "04101"
    assert Outlet.objects.get(id=outlet.id).city == "Portland"
    assert OutletAssignment.objects.filter(user=manager, outlet_id=outlet.id).exists()
    entry = AuditEntry.objects.get(action="setup", object_type="outlet")
    assert entry.accepted and entry.object_id == outlet.id and entry.outlet_id == outlet.id


def test_editing_an_outlet_keeps_the_fields_the_dashboard_does_not_show(tills, manager, simulator):
    store = simulator.simulator.store
    store.replace(
        "outlet",
        store.get("outlet", OUTLET_A)
        | {"taxId": "23", "stripeAccountId": "acct_1", "stripe": {"locationId": "tml_9"}},
    )
    outlet = Outlet.objects.get(id=OUTLET_A)
    outlet_update(
        outlet=outlet,
        changes={"name": "Alpha St.", "phone": "+12075550199"},
        updated_by_user=manager,
    )
    stored = store.get("outlet", OUTLET_A)
    assert stored["name"] == "Alpha St." and stored["phone"] == "+12075550199"
    assert stored["taxId"] == "23" and stored["stripe"] == {"locationId": "tml_9"}
    assert stored["stripeAccountId"] == "acct_1" and stored["city"] == "Portland"
    assert Outlet.objects.get(id=OUTLET_A).name == "Alpha St."
    entry = AuditEntry.objects.get(action="setup")
    assert (
        present(entry.before)["name"] == "Alpha Street"
        and present(entry.after)["name"] == "Alpha St."
    )


def test_a_till_is_added_and_renamed(tills, manager, simulator):
    outlet = Outlet.objects.get(id=OUTLET_A)
    till = till_create(outlet=outlet, name="Till 3", created_by_user=manager)
    assert simulator.simulator.store.get("station", till.id)["outletId"] == OUTLET_A
    till_rename(till=till, name="Patio till", renamed_by_user=manager)
    stored = simulator.simulator.store.get("station", till.id)
    assert stored["name"] == "Patio till" and stored["status"] == "AVAILABLE"
    assert Station.objects.get(id=till.id).name == "Patio till"
    assert AuditEntry.objects.filter(action="setup", object_type="station").count() == 2


def test_renaming_keeps_the_device_fields(tills, manager, simulator):
    till_rename(till=tills["a1"], name="Front till", renamed_by_user=manager)
    stored = simulator.simulator.store.get("station", tills["a1"].id)
    assert stored["deviceName"] == "iPad Till 1" and stored["sequenceNumber"] == 7


def test_a_till_with_an_open_shift_cannot_be_deleted(tills, manager, cashier, simulator):
    shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("50"))
    with pytest.raises(TillInUse, match="Close it before deleting"):
        till_delete(till=tills["a1"], deleted_by_user=manager)
    assert simulator.simulator.store.get("station", tills["a1"].id) is not None


def test_a_free_till_is_deleted_upstream_and_from_the_cache(tills, manager, simulator):
    till_delete(till=tills["a2"], deleted_by_user=manager)
    assert simulator.simulator.store.get("station", tills["a2"].id) is None
    assert not Station.objects.filter(id=tills["a2"].id).exists()
    assert AuditEntry.objects.get(action="setup").summary == "Delete till Till 2"


def test_a_failed_write_changes_nothing_locally_and_is_audited(tills, manager, simulator):
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST"})
    with pytest.raises(FinalPOSUnavailable):
        outlet_create(details=HARBOUR, created_by_user=manager)
    assert not Outlet.objects.filter(name="Harbour Street").exists()
    entry = AuditEntry.objects.get(action="setup")
    assert not entry.accepted and entry.error
