"""Seeding one database for a run (Django is set up by bench/suite.py): the simulator's store,
the catalog, the open shifts through the dashboard's own indexing, the benchmark's accounts,
and the closed shifts in bulk, in stages (2,500, 20,000, then all of them): after each, a
callback measures the pages, whose growth with the number of shifts is a target."""

import json
import random
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from bench import scale
from finalpos_simulator.store import Store
from sessions_app.exports import LINE_FIELDS, export_columns
from sessions_app.finalpos.records import Session
from sessions_app.models import OutletAssignment, SessionRecord, StaffProfile
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP
from sessions_app.services.catalog import catalog_refresh
from sessions_app.services.daily_totals import daily_totals_rebuild
from sessions_app.services.index import shift_index_save

STAGES = (10 * scale.TILLS, 20_000)  # the first ten days, then 80 days: the history's growth
BATCH = 2000
CHECKED = 300  # shifts checked against what the dashboard indexes from Final POS's record


def simulator_store(path: Path, now: datetime, zone: ZoneInfo) -> list[scale.OpenShift]:
    """What Final POS holds: outlets, tills, open shifts with their sales, recent closes."""
    store = Store(str(path))
    store.clear()
    for kind, documents in scale.catalog_documents(now).items():
        store.insert_many(kind, documents)
    opened = scale.open_shifts(now, zone)
    store.insert_many("session", [shift.session for shift in opened])
    store.insert_many("transaction", [t for shift in opened for t in shift.transactions])
    recent = scale.closed_shifts(now, zone, 0, scale.upstream_shift_count())
    store.insert_many("session", [shift.session for shift in recent if shift.session])
    store.set_meta("seeded_at", now.isoformat())
    return opened


def accounts(password: str, cashiers: int) -> None:
    users = get_user_model().objects
    manager_group = Group.objects.get_or_create(name=MANAGER_GROUP)[0]
    cashier_group = Group.objects.get_or_create(name=CASHIER_GROUP)[0]
    regional = users.create_user(
        "regional", password=password, first_name="Rae", last_name="Regional"
    )
    regional.groups.add(manager_group)
    StaffProfile.objects.create(user=regional, variance_alerts=False)
    owner = users.create_superuser("owner", "owner@bench.invalid", password)
    StaffProfile.objects.create(user=owner, variance_alerts=False)
    closer = users.create_user("cashier", password=password, first_name="Bench", last_name="Closer")
    closer.groups.add(cashier_group)
    for index in range(scale.OUTLETS):
        OutletAssignment.objects.create(user=closer, outlet_id=scale.outlet_id(index))
    for number in range(1, cashiers + 1):
        cashier = users.create_user(
            f"cashier{number}", password=password, first_name="Soak", last_name=f"Cashier {number}"
        )
        cashier.groups.add(cashier_group)
        for index in range(scale.REGIONAL_OUTLETS):
            OutletAssignment.objects.create(user=cashier, outlet_id=scale.outlet_id(index))
    for index in range(scale.REGIONAL_OUTLETS):
        OutletAssignment.objects.create(user=regional, outlet_id=scale.outlet_id(index))


EXPORT_FIELDS = ("export_head", "export_tail", "export_key")


def with_export_line(record: SessionRecord, zone: ZoneInfo) -> SessionRecord:
    """The row with its CSV line, as the index writes it (from the row's own fields)."""
    fields = export_columns({name: getattr(record, name) for name in LINE_FIELDS}, zone=zone)
    for name, value in fields.items():
        setattr(record, name, value)
    return record


def insert_closed(now: datetime, zone: ZoneInfo, start: int, stop: int) -> dict[str, Any]:
    """Bulk-inserts shifts start..stop-1; returns the id and size of the largest report."""
    richest = {"id": "", "bytes": 0}
    batch = []
    for shift in scale.closed_shifts(now, zone, start, stop):
        row = shift.row
        batch.append(with_export_line(SessionRecord(**row), zone))
        report = shift.row["report"]
        size = len(str(report))
        if report["corrections"] and report["cashMovements"] and size > richest["bytes"]:
            richest = {"id": shift.row["id"], "bytes": size}
        if len(batch) == BATCH:
            SessionRecord.objects.bulk_create(batch)
            batch = []
    SessionRecord.objects.bulk_create(batch)
    daily_totals_rebuild()  # as every bulk load does
    return richest


def _same(stored: Any, seeded: Any) -> bool:
    if isinstance(stored, Decimal) or isinstance(seeded, Decimal):
        return stored is not None and seeded is not None and Decimal(stored) == Decimal(seeded)
    return stored == seeded


def check_against_dashboard(now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """Indexes a sample of the seeded shifts from their Final POS records with the dashboard's
    own code (then rolls back) and compares every field with the seeded row: the bench's data
    must be what the product itself would hold."""
    step = max(1, scale.CLOSED_SHIFTS // CHECKED)
    cashiers = [f"Cashier {n:03d}" for n in range(scale.OUTLETS * 8)]
    differences: list[str] = []
    checked = 0
    for index in range(0, scale.CLOSED_SHIFTS, step):
        shift = scale.closed_shift(index, now, zone, random.Random(index), cashiers, upstream=True)
        assert shift.session is not None
        with transaction.atomic():
            record = shift_index_save(Session.from_wire(shift.session))
            lined = with_export_line(SessionRecord(**shift.row), zone)
            seeded_row = shift.row | {name: getattr(lined, name) for name in EXPORT_FIELDS}
            for name, seeded in seeded_row.items():
                if name == "fetched_at":
                    continue
                if not _same(getattr(record, name), seeded):
                    differences.append(f"{record.id}.{name}")
            transaction.set_rollback(True)
        checked += 1
    return {"checked": checked, "differences": len(differences), "examples": differences[:5]}


def stages() -> list[int]:
    """The numbers of shifts the history is measured at (its growth is a target)."""
    return sorted({min(count, scale.CLOSED_SHIFTS) for count in (*STAGES, scale.CLOSED_SHIFTS)})


def seed(
    *,
    store_path: Path,
    start_simulator: Callable[[], Any],
    password: str,
    cashiers: int,
    at_stage: Callable[[int, dict], None] | None = None,
) -> dict[str, Any]:
    """Seeds the simulator and the database; after each stage's closed shifts are in (2,500,
    20,000, then all of them), at_stage(shifts, info) measures what it wants."""
    now = timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    opened = simulator_store(store_path, now, zone)
    simulator = start_simulator()
    catalog_refresh()
    for shift in opened:
        shift_index_save(Session.from_wire(shift.session))
    accounts(password, cashiers)
    call_command("collectstatic", interactive=False, verbosity=0)
    info: dict[str, Any] = {
        "outlet": scale.outlet_id(0),
        "today": timezone.localdate().isoformat(),
        "open_shifts": [
            {"id": shift.session["id"], "expected": shift.expected} for shift in opened
        ],
        "closed_shifts": scale.CLOSED_SHIFTS,
        "upstream_closed": scale.upstream_shift_count(),
    }
    seeding = 0.0
    done = 0
    richest = {"id": "", "bytes": 0}
    for stage in stages():
        found = insert_closed(now, zone, done, stage)
        if found["bytes"] > richest["bytes"]:
            richest = found
        done = stage
        seeding += time.perf_counter() - started
        info["report_id"] = richest["id"] or scale.closed_id(0)
        info["report_number"] = SessionRecord.objects.get(id=info["report_id"]).session_number
        if at_stage is not None:
            at_stage(stage, info)
        started = time.perf_counter()
    info["seed_seconds"] = round(seeding + time.perf_counter() - started, 1)
    info["indexed"] = SessionRecord.objects.count()
    info["check"] = check_against_dashboard(now, zone)
    return info | {"simulator": simulator}


def remember(path: Path, info: dict[str, Any]) -> None:
    """What a later run with BENCH_REUSE needs to measure this seed again."""
    path.write_text(json.dumps({k: v for k, v in info.items() if k != "simulator"}, default=str))


def reuse(path: Path, *, password: str, start_simulator: Callable[[], Any]) -> dict[str, Any]:
    """An earlier run's seed, its simulator started again and the accounts' password set to
    this run's."""
    info = json.loads(path.read_text())
    if SessionRecord.objects.count() != info["indexed"]:
        raise SystemExit(f"the database no longer holds the seed of {path}: run without reuse")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    for user in get_user_model().objects.all():
        user.set_password(password)
        user.save(update_fields=["password"])
    info["simulator"] = start_simulator()
    return info
