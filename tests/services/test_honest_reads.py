"""Reads that are not what they seem: a gateway's "not found", a pass where most reads go
wrong, a list that would empty the catalog, a list in an envelope. Nothing is taken as gone
on evidence that could be a fault."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.finalpos import FinalPOSNotFound, FinalPOSUnavailable
from sessions_app.models import AuditEntry, Outlet, SessionRecord, Station, SyncState
from sessions_app.services.catalog import catalog_refresh
from sessions_app.services.index import shift_fetch, shift_refresh
from sessions_app.services.index_refresh import shifts_refresh
from sessions_app.services.shift_close import shift_close_preview
from tests.conftest import (
    STATION_A1,
    STATION_A2,
    STATION_B1,
    add_faults,
    record_sale,
    till_session,
)
from tests.helpers import present

pytestmark = pytest.mark.django_db

GATEWAY_404 = "<html><body><h1>404 Not Found</h1>nginx</body></html>"


def _open_shifts(simulator, count: int) -> list[SessionRecord]:
    stations = [STATION_A1, STATION_A2, STATION_B1]
    return [
        shift_fetch(
            session_id=till_session(
                simulator, stations[index % 3], f"S-2026-{index + 1:04d}", closed=False
            )["id"]
        )
        for index in range(count)
    ]


def test_a_gateways_not_found_is_a_failure_not_a_deletion(tills, simulator, finalpos):
    [shift] = _open_shifts(simulator, 1)
    add_faults(simulator, {"action": "status", "status": 404, "body": GATEWAY_404})

    with pytest.raises(FinalPOSUnavailable, match="Nothing is taken as deleted"):
        finalpos.session_get(shift.id)
    result = shifts_refresh()

    shift.refresh_from_db()
    assert result.gone == 0 and shift.deleted_at is None and shift.missing_since is None


def test_a_route_the_api_does_not_have_is_not_a_missing_shift(tills, simulator, finalpos):
    """The framework's own 404 for an unknown path ("Cannot GET ...") says the address is
    wrong, not that the shift is gone; the API's 404 for the id does."""
    [shift] = _open_shifts(simulator, 1)
    add_faults(
        simulator,
        {"action": "status", "status": 404, "messages": "Cannot GET /v1/api/x", "times": 1},
    )
    with pytest.raises(FinalPOSUnavailable):
        finalpos.session_get(shift.id)

    simulator.simulator.store.delete("session", shift.id)
    with pytest.raises(FinalPOSNotFound):
        finalpos.session_get(shift.id)


def test_a_shift_is_marked_deleted_only_when_still_missing_at_a_later_check(
    tills, simulator, settings
):
    [shift] = _open_shifts(simulator, 1)
    simulator.simulator.store.delete("session", shift.id)

    shifts_refresh()
    shift.refresh_from_db()
    assert shift.missing_since is not None and shift.deleted_at is None

    shifts_refresh()  # too soon: still only missing
    shift.refresh_from_db()
    assert shift.deleted_at is None

    SessionRecord.objects.filter(pk=shift.pk).update(
        missing_since=timezone.now() - settings.SHIFT_GONE_AFTER - timedelta(seconds=1)
    )
    assert shifts_refresh().gone == 1
    shift.refresh_from_db()
    assert shift.deleted_at is not None


def test_a_shift_that_comes_back_is_no_longer_missing(tills, simulator):
    [shift] = _open_shifts(simulator, 1)
    stored = simulator.simulator.store.get("session", shift.id)
    simulator.simulator.store.delete("session", shift.id)
    shifts_refresh()
    simulator.simulator.store.insert("session", stored)

    shifts_refresh()

    shift.refresh_from_db()
    assert shift.missing_since is None and shift.deleted_at is None


def test_a_pass_where_most_reads_go_wrong_is_stopped_and_flagged(tills, simulator, mia):
    shifts = _open_shifts(simulator, 6)
    for shift in shifts[:4]:
        simulator.simulator.store.delete("session", shift.id)

    result = shifts_refresh()

    assert result.stopped and result.gone == 0
    assert not SessionRecord.objects.filter(missing_since__isnull=False).exists()
    state = SyncState.objects.get(name=SyncState.SESSIONS)
    assert "nothing was marked deleted" in state.last_error
    board = mia.get(reverse("sessions_app:board")).content.decode()
    assert "The last check of Final POS did not finish" in board
    for shift in shifts:  # every open shift of Mia's outlet is still on her board
        if shift.station_id != STATION_B1:
            assert shift.session_number in board


def test_a_pass_that_reads_well_clears_the_flag(tills, simulator):
    shifts = _open_shifts(simulator, 4)
    for shift in shifts[:3]:
        simulator.simulator.store.delete("session", shift.id)
    assert shifts_refresh().stopped
    for shift in shifts[:3]:
        SessionRecord.objects.filter(pk=shift.pk).delete()

    assert not shifts_refresh().stopped
    assert SyncState.objects.get(name=SyncState.SESSIONS).last_error == ""


def test_a_refresh_of_one_shift_notes_it_missing_first(tills, simulator):
    [shift] = _open_shifts(simulator, 1)
    simulator.simulator.store.delete("session", shift.id)

    with pytest.raises(FinalPOSNotFound):
        shift_refresh(shift)

    shift.refresh_from_db()
    assert shift.missing_since is not None and shift.deleted_at is None


# --- The catalog ------------------------------------------------------------------------


def test_an_empty_list_does_not_wipe_the_catalog(tills, simulator):
    add_faults(simulator, {"action": "malformed", "body": "[]", "times": 2})

    result = catalog_refresh()

    assert (result.held_outlets, result.held_tills) == (2, 3)
    assert Outlet.objects.count() == 2 and Station.objects.count() == 3
    held = SyncState.objects.get(name=SyncState.CATALOG).held_removals
    assert set(held["stations"]) == {STATION_A1, STATION_A2, STATION_B1}


def test_one_till_gone_is_removed_without_asking(tills, simulator):
    simulator.simulator.store.delete("station", STATION_A2)

    result = catalog_refresh()

    assert result.removed == 1 and not result.held_tills
    assert not Station.objects.filter(id=STATION_A2).exists()


def test_a_manager_sees_and_confirms_held_removals(tills, simulator, mia, manager):
    for station in (STATION_A1, STATION_A2, STATION_B1):
        simulator.simulator.store.delete("station", station)
    catalog_refresh()

    page = mia.get(reverse("sessions_app:setup_overview")).content.decode()
    assert "Final POS no longer lists these" in page and "Till 1" in page
    assert "Beta till" not in page  # another outlet's till is not Mia's to remove

    response = mia.post(
        reverse("sessions_app:catalog_removals_confirm"),
        {"remove": [STATION_A1, STATION_A2, STATION_B1]},
    )

    assert response.status_code == 302
    assert set(Station.objects.values_list("id", flat=True)) == {STATION_B1}
    assert AuditEntry.objects.filter(action="setup", actor=manager).exists()


@pytest.mark.parametrize("envelope", ["data", "items"])
def test_lists_in_an_envelope_are_read(tills, simulator, envelope):
    [shift] = _open_shifts(simulator, 1)
    record_sale(simulator, shift.id, "12.00")
    store = simulator.simulator.store
    for path, items in (
        ("/outlets", store.find("outlet")),
        ("/stations", store.find("station")),
        ("/transactions", store.find("transaction", session_id=shift.id)),
    ):
        wrapped = json.dumps({envelope: items})
        add_faults(simulator, {"action": "malformed", "body": wrapped, "path_contains": path})

    assert catalog_refresh().tills == 3
    preview = shift_close_preview(
        record=shift,
        counted={"cash": Decimal("100.00"), "card": Decimal(0), "oliverPay": Decimal(0)},
        cash_count=None,
    )
    assert preview.reconciliation.expected_available  # so a reason and approval are asked
    assert present(preview.reconciliation.variances)["cash"] == Decimal("100.00") - Decimal(
        "162.00"
    )


def test_a_report_of_a_shape_nobody_expected_never_breaks_the_page(tills, simulator, mia):
    odd = '{"version": 2, "writer": "till-close-dashboard", "methods": [], "corrections": 5,'
    odd += ' "reopenings": "x", "review": 3, "cashMovements": {"a": 1}, "cashCount": "many"}'
    shift = shift_fetch(
        session_id=till_session(simulator, STATION_A1, "S-2026-0001", closingReportData=odd)["id"]
    )

    response = mia.get(reverse("sessions_app:shift_detail", args=[shift.id]))

    assert response.status_code == 200
    assert "could not be read" in response.content.decode()


def test_a_pass_reads_a_bounded_share_of_recent_closes_the_longest_unread_first(
    tills, simulator, monkeypatch
):
    """Open shifts are read on every pass; of the shifts closed lately, a pass reads the
    ones read longest ago, so a chain's thousands of closes never make a pass endless."""
    from sessions_app.services import index_refresh

    monkeypatch.setattr(index_refresh, "RECENT_CLOSES_PER_PASS", 2)
    closed_at = (timezone.now() - timedelta(hours=1)).isoformat(timespec="milliseconds")
    closed = [
        shift_fetch(
            session_id=till_session(simulator, STATION_A1, f"S-2026-{n:04d}", closeTime=closed_at)[
                "id"
            ]
        )
        for n in range(1, 6)
    ]
    [still_open] = _open_shifts(simulator, 1)
    long_ago = timezone.now() - timedelta(hours=5)
    for age, record in enumerate(closed):  # the first was read longest ago
        SessionRecord.objects.filter(id=record.id).update(
            fetched_at=long_ago + timedelta(minutes=age)
        )
    SessionRecord.objects.filter(id=still_open.id).update(fetched_at=long_ago)

    def read_this_pass() -> set[str]:
        return set(
            SessionRecord.objects.filter(fetched_at__gt=started).values_list("id", flat=True)
        )

    started = timezone.now()
    shifts_refresh()
    assert read_this_pass() == {still_open.id, closed[0].id, closed[1].id}
    started = timezone.now()
    shifts_refresh()
    assert read_this_pass() == {still_open.id, closed[2].id, closed[3].id}
