"""Session numbers: the dashboard's own space (a prefix the tills never use), allocated in
order, never reused, and kept above every number seen in that space."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from finalpos_dashboard.settings import _session_number_prefix
from sessions_app.services.index import shift_fetch
from sessions_app.services.numbering import business_year, session_number_allocate
from tests.conftest import OUTLET_A, STATION_A1, STATION_B1, till_session

pytestmark = pytest.mark.django_db


def test_numbers_are_allocated_in_order_in_the_dashboards_own_space():
    assert session_number_allocate(year=2026) == "D-2026-0001"
    assert session_number_allocate(year=2026) == "D-2026-0002"
    assert session_number_allocate(year=2027) == "D-2027-0001"


def test_a_number_seen_on_a_tills_shift_is_never_handed_out(tills, simulator):
    """A till's S- numbers cannot collide with ours by construction; a number in our own
    space seen on any shift (a second install on the same company) moves the counter on."""
    for number in ("S-2026-0391", "D-2026-0007", "S-2026-0392"):
        shift_fetch(session_id=till_session(simulator, STATION_A1, number)["id"])

    assert session_number_allocate(year=2026) == "D-2026-0008"


def test_a_second_install_never_hands_out_a_number_the_first_install_or_the_tills_used(
    tills, cashier, simulator
):
    """A second install (a fresh local database) on the company a first install still serves:
    it finds the first install's shifts one by one as they are opened (numbers it already
    counts past included), and every shift it opens takes the number after the last one seen,
    never one the first install or a till has used."""
    from decimal import Decimal

    from sessions_app.services.shift_open import shift_open

    year = business_year(timezone.now(), outlet_id=OUTLET_A)
    used_elsewhere = []

    def first_install_opens(sequence: int) -> None:
        for number in (f"D-{year}-{sequence:04d}", f"S-{year}-{sequence:04d}"):
            shift_fetch(session_id=till_session(simulator, STATION_B1, number)["id"])
            used_elsewhere.append(number)

    for sequence in (1, 2, 3):
        first_install_opens(sequence)
    ours = shift_open(till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal(100))
    first_install_opens(5)  # one above our counter: the counter moves past it too
    after = shift_open(till=tills["a2"], opened_by_user=cashier, opening_amount=Decimal(100))

    assert ours.record.session_number == f"D-{year}-0004"
    assert after.record.session_number == f"D-{year}-0006"
    assert not {ours.record.session_number, after.record.session_number} & set(used_elsewhere)


def test_the_prefix_is_configurable(settings):
    settings.SESSION_NUMBER_PREFIX = "WEB"
    assert session_number_allocate(year=2026) == "WEB-2026-0001"


@pytest.mark.parametrize("prefix", ["S", "s", "", "D-1", "TOOLONGX", "1D"])
def test_a_prefix_the_tills_use_or_that_cannot_be_read_back_is_refused(prefix):
    with pytest.raises(ImproperlyConfigured):
        _session_number_prefix(prefix)


def test_numbers_never_collide_with_the_tills_while_both_open_shifts(tills, cashier, simulator):
    """The dashboard and the tills open shifts side by side on one company (tills acting on
    their own in the simulator); every number Final POS holds is different."""
    import random
    from collections import Counter
    from decimal import Decimal

    from finalpos_simulator.tills import TillActivity, is_till_session
    from sessions_app.models import Station
    from sessions_app.services.catalog import catalog_refresh
    from sessions_app.services.discovery import shifts_discover
    from sessions_app.services.errors import TillBusy, TillReportsInUse
    from sessions_app.services.shift_close import shift_close
    from sessions_app.services.shift_open import shift_open

    store = simulator.simulator.store
    activity = TillActivity(store, rng=random.Random(3), open_chance=0.4, close_chance=0.3)
    opened_here = 0
    for step in range(30):
        activity.tick()
        shifts_discover()
        catalog_refresh()
        till = Station.objects.order_by("id")[step % 3]
        try:
            result = shift_open(
                till=till,
                opened_by_user=cashier,
                opening_amount=Decimal("100.00"),
                in_use_confirmed=step % 2 == 0,
            )
        except (TillBusy, TillReportsInUse):  # the till's own shift is open there
            continue
        opened_here += 1
        shift_close(
            record=result.record,
            closed_by_user=cashier,
            counted={"cash": Decimal("100.00")},
            closing_note="",
            variance_reason="",
            seen_updated_at=None,
            close_request_id=f"{step:032d}",
        )

    numbers = Counter(session["sessionNumber"] for session in store.find("session"))
    assert opened_here >= 5 and sum(1 for s in store.find("session") if is_till_session(s)) >= 5
    assert [number for number, count in numbers.items() if count > 1] == []
    assert all(
        session["sessionNumber"].startswith("S-" if is_till_session(session) else "D-")
        for session in store.find("session")
    )
