"""Beside tills that write on their own (issue 21): forced races of each kind, then a soak.

    .venv/bin/python bench/till_races.py [--races 50] [--minutes 10] [--tills 24]

Runs the dashboard's services in this process against the simulator served over loopback
HTTP, on a fresh SQLite file (or BENCH_DATABASE_URL), with the simulator's tills
(finalpos_simulator/tills.py) writing whole records from their own copies.

Races, each forced ``--races`` times, then judged after one refresh pass: an update of either
side that is gone from Final POS and neither prevented (refused before writing) nor shown as a
conflict, nor pending to be written back, is *lost*:

- movement vs till close: a cashier records cash moved while the till closes the shift;
- correction vs till re-close: a manager corrects while the till closes again, inside a 2 s
  window (the sales read before the correction's PUT is slowed to 2 s);
- stale till PUT after a correction: the till's queued copy from before the correction;
- approval vs a till's tip edit: the till's tip, from its copy before the approval.

Soak: ``--tills`` tills opening, selling, tipping, closing, closing again and sending queued
edits, one step a second for ``--minutes``; two cashiers recording cash on the tills' open
shifts and opening shifts whose answers are lost now and then; a manager approving what the
review queue shows; the refresh running every 15 s. Reported: movements still counted after
the till's close and back in Final POS within one pass, tills with two open sessions upstream,
till-closed shifts needing review approved, and the time from a till's close to the queue.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="till-races-"))
KEY = "till-races-key"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'dashboard.sqlite3'}")
os.environ.update(
    DEBUG="true",
    DJANGO_SETTINGS_MODULE="finalpos_dashboard.settings",
    FINALPOS_API_KEY=KEY,
    FINALPOS_SIMULATOR_TILLS="false",
    LOG_LEVEL="ERROR",
)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

REFRESH_EVERY = 15.0  # seconds between the soak's refresh passes
OUTLETS = 4


def _setup(tills: int):
    """Django, a migrated database, the simulator on loopback with a company of ``tills``
    tills in four outlets, and a manager and two cashiers of every outlet."""
    from finalpos_simulator.app import Simulator
    from finalpos_simulator.server import SimulatorServer
    from finalpos_simulator.store import Store

    store = Store(str(WORK / "simulator.sqlite3"))
    server = SimulatorServer(Simulator(store=store, api_key=KEY)).start_in_background()
    os.environ["FINALPOS_BASE_URL"] = server.url
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sessions_app.models import OutletAssignment, StaffProfile
    from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP
    from sessions_app.services.catalog import catalog_refresh

    stamp = "2026-01-05T09:00:00.000Z"
    outlet_ids = [f"{index:02d}" + "a" * 22 for index in range(OUTLETS)]
    for index, outlet_id in enumerate(outlet_ids):
        store.insert(
            "outlet",
            {
                "id": outlet_id,
                "companyId": "c" * 24,
                "name": f"Store {index + 1}",
                "address": "1 Main St",
                "city": "Portland",
                "state": "ME",
                "country": "US",
                "postCode": "04101",
                "phone": "+12075550100",
                "stations": [],
                "createdAt": stamp,
                "updatedAt": stamp,
            },
        )
    for index in range(tills):
        store.insert(
            "station",
            {
                "id": f"{index:04d}" + "b" * 20,
                "companyId": "c" * 24,
                "name": f"Till {index + 1}",
                "outletId": outlet_ids[index % OUTLETS],
                "status": "AVAILABLE",
                "createdAt": stamp,
                "updatedAt": stamp,
            },
        )
    catalog_refresh()
    people = {}
    for username, group, name in [
        ("mia", MANAGER_GROUP, ("Mia", "Manager")),
        ("cal", CASHIER_GROUP, ("Cal", "Cashier")),
        ("cora", CASHIER_GROUP, ("Cora", "Cashier")),
    ]:
        user = User.objects.create_user(username, first_name=name[0], last_name=name[1])
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        StaffProfile.objects.create(user=user)
        for outlet_id in outlet_ids:
            OutletAssignment.objects.create(user=user, outlet_id=outlet_id)
        people[username] = user
    return server, store, people


def _till(store, rng: random.Random, **chances):
    from finalpos_simulator.tills import TillActivity

    quiet = dict.fromkeys(
        (
            "open_chance",
            "sale_chance",
            "close_chance",
            "tip_chance",
            "reclose_chance",
            "stale_chance",
        ),
        0.0,
    )
    return TillActivity(store, rng=rng, **(quiet | chances))


def _free_station(store) -> dict:
    busy = {s["stationId"] for s in store.find("session", open_only=True)}
    return next(s for s in store.find("station") if s["id"] not in busy)


# --- Forced races ------------------------------------------------------------------------


def races(store, people, count: int) -> dict[str, Counter]:
    from sessions_app.closing.report import parse
    from sessions_app.models import SessionRecord, ShiftConflict
    from sessions_app.services.cash_movements import cash_movement_record
    from sessions_app.services.errors import ApplicationError
    from sessions_app.services.index import shift_fetch
    from sessions_app.services.index_refresh import shifts_refresh
    from sessions_app.services.shift_review import shift_approve, shift_correct

    rng = random.Random(21)
    till = _till(store, rng)
    outcome: dict[str, Counter] = {}

    def shown(session_id: str) -> bool:
        record = SessionRecord.objects.get(id=session_id)
        return record.in_conflict or record.unsynced > 0

    def ours_in_final_pos(session_id: str, holds) -> bool:
        report = parse(store.get("session", session_id).get("closingReportData"))
        return report is not None and report.is_ours and holds(report)

    def opened_and_sold() -> dict:
        session = till.open_session(_free_station(store))
        till.sell(session, count=4)
        return session

    def closed_by_till(*, short: bool = False) -> tuple[dict, SessionRecord]:
        session = opened_and_sold()
        closed = till.close_session(session)
        if short:  # a cash sale the till's count left out: its drawer is 60.00 short
            store.insert(
                "transaction",
                {
                    "id": f"{time.time_ns():024x}"[-24:],
                    "sessionId": session["id"],
                    "paymentMethod": "cash",
                    "amount": "60.00",
                    "type": "sale",
                    "currency": "USD",
                    "createdAt": datetime.now(UTC).isoformat(),
                },
            )
        return closed, shift_fetch(session_id=session["id"])

    # Movement vs till close: both at once, from two threads.
    tally = outcome["movement vs till close"] = Counter()
    for index in range(count):
        session = opened_and_sold()
        record = shift_fetch(session_id=session["id"])
        go = threading.Barrier(2)
        movement_id = f"{index:032x}"
        refused: list[Exception] = []

        def move(record=record, go=go, movement_id=movement_id, refused=refused):
            go.wait()
            try:
                cash_movement_record(
                    record=record,
                    recorded_by_user=people["cal"],
                    movement_id=movement_id,
                    kind="pay_out",
                    amount=Decimal("7.50"),
                    reason="Supplies",
                )
            except ApplicationError as error:
                refused.append(error)

        mover = threading.Thread(target=move)
        mover.start()
        go.wait()
        time.sleep(rng.uniform(0, 0.03))  # either may land first
        closed = till.close_session(session)
        mover.join()
        shifts_refresh()
        upstream = store.get("session", session["id"])
        close_kept = upstream.get("closeTime") == closed["closeTime"]
        carried = ours_in_final_pos(
            session["id"], lambda r, m=movement_id: any(x.id == m for x in r.cash_movements)
        )
        if refused:
            tally["movement refused (shift already closed)"] += 1
        elif carried:
            tally["movement back in Final POS after one pass"] += 1
        elif shown(session["id"]):
            tally["movement pending, shown"] += 1
        else:
            tally["LOST: movement"] += 1
        tally["till's close kept" if close_kept else "LOST: till's close"] += 1

    # Correction vs till re-close, inside a 2 s window.
    from finalpos_simulator.faults import FaultRule

    simulator = _SIMULATOR[0]
    tally = outcome["correction vs till re-close"] = Counter()
    for _index in range(count):
        closed, record = closed_by_till()
        counted = {k: Decimal(v) for k, v in closed["closingAmounts"].items()}
        simulator.faults.rules.append(
            FaultRule(action="delay", delay_ms=2000, path_contains="/transactions", times=1)
        )
        recount = threading.Timer(1.0, lambda closed=closed: till.reclose(closed))
        recount.start()
        try:
            shift_correct(
                record=record,
                corrected_by_user=people["mia"],
                counted=counted | {"cash": counted["cash"] + 1},
                closing_note="Corrected",
                reason="Recounted",
                seen_updated_at=record.upstream_updated_at,
            )
            corrected = True
        except ApplicationError:
            corrected = False
        recount.join()
        simulator.faults.rules.clear()
        shifts_refresh()
        upstream = store.get("session", record.id)
        recount_there = upstream.get("closingNote") == "Recounted"
        ours_there = upstream.get("closingNote") == "Corrected"
        if not corrected:
            tally["prevented: correction refused, the till's re-close kept"] += 1
        elif ours_there and not recount_there:
            tally["LOST: the till's re-close"] += 1
        elif recount_there and shown(record.id):
            tally["conflict shown"] += 1
        else:
            tally["LOST: the correction"] += 1

    # A till's stale PUT after a correction.
    tally = outcome["stale till PUT after a correction"] = Counter()
    for _index in range(count):
        closed, record = closed_by_till()
        counted = {k: Decimal(v) for k, v in closed["closingAmounts"].items()}
        shift_correct(
            record=record,
            corrected_by_user=people["mia"],
            counted=counted | {"cash": counted["cash"] + 2},
            closing_note="Corrected",
            reason="Recounted",
            seen_updated_at=record.upstream_updated_at,
        )
        till.queue(closed["stationId"], "stale", closed, ticks=1)
        till.send_queued(closed["stationId"], all_now=True)
        shifts_refresh()
        found = ShiftConflict.objects.filter(session_id=record.id, resolved_at=None).exists()
        tally["conflict shown" if found else "LOST: the correction"] += 1

    # Approval vs a till's tip edit from its copy before the approval.
    tally = outcome["approval vs a till's tip edit"] = Counter()
    for _index in range(count):
        closed, record = closed_by_till(short=True)
        if not record.needs_review:
            tally["(shift needed no review: not counted)"] += 1
            continue
        shift_approve(
            record=record,
            approved_by_user=people["mia"],
            comment="Checked",
            reason="Short changed",
            seen_updated_at=record.upstream_updated_at,
        )
        approved_copy = store.get("session", record.id)
        stale = approved_copy | {
            "tipTotal": "11.00",
            "closingReportData": closed["closingReportData"],
        }
        till.queue(closed["stationId"], "stale", stale, ticks=1)
        till.send_queued(closed["stationId"], all_now=True)
        shifts_refresh()
        upstream = store.get("session", record.id)
        tip_kept = upstream.get("tipTotal") == "11.00"
        approved = ours_in_final_pos(record.id, lambda r: bool(r.review.approved_by))
        if approved and tip_kept:
            tally["both kept: approval written back with the tip"] += 1
        elif shown(record.id):
            tally["conflict or pending, shown"] += 1
        else:
            tally["LOST: " + ("the approval" if tip_kept else "the tip")] += 1
    return outcome


_SIMULATOR: list = []  # the simulator behind the loopback server, for its fault knobs


# --- The soak ----------------------------------------------------------------------------


def soak(store, people, minutes: float, lost_every: float = 20.0) -> dict:
    from django.db import close_old_connections, connection

    from sessions_app.models import PendingOpen, SessionRecord
    from sessions_app.selectors.ledger import ledger_movements
    from sessions_app.services.cash_movements import cash_movement_record
    from sessions_app.services.errors import ApplicationError
    from sessions_app.services.refresh import finalpos_refresh
    from sessions_app.services.shift_open import shift_open
    from sessions_app.services.shift_review import shift_approve

    till = _till(
        store,
        random.Random(7),
        open_chance=0.05,
        sale_chance=0.5,
        close_chance=0.01,
        tip_chance=0.05,
        reclose_chance=0.05,
        stale_chance=0.05,
    )
    stop = threading.Event()
    tally: Counter = Counter()
    queued_at: dict[str, float] = {}  # shift id -> seconds from its close to the review queue
    passes: list[float] = []  # when each refresh pass ended (monotonic)
    closes_seen: dict[str, float] = {}  # shift id -> when the till closed it (monotonic)
    lock = threading.Lock()

    def tills() -> None:
        while not stop.is_set():
            before = {s["id"] for s in store.find("session", open_only=True)}
            till.tick()
            now = time.monotonic()
            after = {s["id"] for s in store.find("session", open_only=True)}
            with lock:
                for closed in before - after:
                    closes_seen.setdefault(closed, now)
            time.sleep(1.0)

    judged: set[str] = set()

    def refresher() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                finalpos_refresh()
            except Exception as error:  # counted: a pass must never stop the soak
                tally[f"refresh failed: {type(error).__name__}"] += 1
            with lock:
                passes.append(time.monotonic())
                due = [sid for sid, at in closes_seen.items() if at < started and sid not in judged]
            for session_id in due:  # closed before this pass began: one pass to write back
                judged.add(session_id)
                ours = {m.id for m in ledger_movements(session_id)}
                if ours:
                    carried = _movements_upstream(store, session_id)
                    tally["till shifts with movements, judged after one pass"] += 1
                    if ours <= carried:
                        tally["... movements back in Final POS within one pass"] += 1
            stop.wait(REFRESH_EVERY)
        connection.close()

    def cashier(user, seed: int) -> None:
        rng = random.Random(seed)
        last_lost = time.monotonic()
        while not stop.is_set():
            close_old_connections()
            held = list(
                SessionRecord.objects.filter(
                    held_by_till=True, close_time__isnull=True, deleted_at__isnull=True
                )
            )
            if held and rng.random() < 0.5:
                record = rng.choice(held)
                try:
                    cash_movement_record(
                        record=record,
                        recorded_by_user=user,
                        movement_id=f"{rng.getrandbits(128):032x}",
                        kind=rng.choice(["pay_out", "pay_in", "drop"]),
                        amount=Decimal(rng.randint(100, 3000)) / 100,
                        reason="Supplies",
                    )
                    tally["movements recorded on till shifts"] += 1
                except ApplicationError:
                    tally["movement refused (closed meanwhile)"] += 1
                except Exception as error:
                    tally[f"movement failed: {type(error).__name__}"] += 1
            if time.monotonic() - last_lost > lost_every:
                last_lost = time.monotonic()
                _lost_open(user, rng)
            stop.wait(rng.uniform(1.0, 3.0))
        connection.close()

    def _lost_open(user, rng) -> None:
        from finalpos_simulator.faults import FaultRule
        from sessions_app.models import Station

        busy = {s["stationId"] for s in store.find("session", open_only=True)}
        free = [s for s in Station.objects.all() if s.id not in busy]
        if not free:
            return
        station = rng.choice(free)
        _SIMULATOR[0].faults.rules.append(
            FaultRule(
                action="drop", method="POST", path_contains="/v1/api/session", when="after", times=1
            )
        )
        try:
            shift_open(till=station, opened_by_user=user, opening_amount=Decimal("150.00"))
            tally["lost-answer opens: answer came through anyway"] += 1
        except ApplicationError:
            tally["lost-answer opens: till held"] += 1
        except Exception as error:
            tally[f"open failed: {type(error).__name__}"] += 1
        # The cashier presses the only thing the page offers a cashier: a forged "it was not
        # created" is what a single press could do; it must create nothing.
        try:
            shift_open(
                till=station,
                opened_by_user=user,
                opening_amount=Decimal("150.00"),
                not_created_number=PendingOpen.objects.filter(station_id=station.id)
                .values_list("session_number", flat=True)
                .first()
                or "",
            )
            tally["DUPLICATE: a cashier's press opened the till again"] += 1
        except ApplicationError:
            tally["a cashier's press refused while the till is held"] += 1
        except Exception:
            tally["a cashier's press failed"] += 1

    def manager() -> None:
        user = people["mia"]
        while not stop.is_set():
            close_old_connections()
            for record in SessionRecord.objects.filter(
                review_state="needs_review", deleted_at__isnull=True, in_conflict=False
            )[:10]:
                with lock:
                    seen = closes_seen.get(record.id)
                    if seen is not None and record.id not in queued_at:
                        queued_at[record.id] = time.monotonic() - seen
                try:
                    shift_approve(
                        record=record,
                        approved_by_user=user,
                        comment="Looked at it",
                        reason="Checked with the cashier",
                        seen_updated_at=record.upstream_updated_at,
                    )
                    tally["till-closed shifts approved"] += 1
                except ApplicationError as error:
                    tally[f"approval refused: {type(error).__name__}"] += 1
                except Exception as error:
                    tally[f"approval failed: {type(error).__name__}"] += 1
            stop.wait(2.0)
        connection.close()

    threads = [
        threading.Thread(target=tills),
        threading.Thread(target=refresher),
        threading.Thread(target=cashier, args=(people["cal"], 1)),
        threading.Thread(target=cashier, args=(people["cora"], 2)),
        threading.Thread(target=manager),
    ]
    for thread in threads:
        thread.start()
    stop.wait(minutes * 60)
    stop.set()
    for thread in threads:
        thread.join()
    # Settle: the tills stop; two more passes, then judge.
    finalpos_refresh()
    finalpos_refresh()

    movements = counted = back = 0
    for record in SessionRecord.objects.filter(close_time__isnull=False, deleted_at__isnull=True):
        ours = ledger_movements(record.id)
        if not ours or record.session_number.startswith("D-"):
            continue
        movements += len(ours)
        back += len({m.id for m in ours} & _movements_upstream(store, record.id))
        if record.expected and Decimal(record.expected["cash"]) == _expected_cash(
            store, record, ours
        ):
            counted += len(ours)
    open_twice = Counter(
        s["stationId"] for s in store.find("session", open_only=True)
    ).most_common()
    needing = SessionRecord.objects.filter(review_state="needs_review", deleted_at__isnull=True)
    waits = sorted(queued_at.values())
    return {
        "tally": dict(tally),
        "movements on till shifts closed by the till": movements,
        "counted in expected after the close": counted,
        "back in Final POS": back,
        "tills with two open sessions upstream": sum(1 for _s, n in open_twice if n > 1),
        "tills still held by a lost open": PendingOpen.objects.count(),
        "till-closed shifts still needing review": needing.count(),
        "close to queue, median s": round(statistics.median(waits), 1) if waits else None,
        "close to queue, p95 s": round(waits[int(0.95 * (len(waits) - 1))], 1) if waits else None,
        "refresh passes": len(passes),
    }


def _movements_upstream(store, session_id: str) -> set[str]:
    from sessions_app.closing.drawer import CashMovement
    from sessions_app.closing.report import parse

    session = store.get("session", session_id) or {}
    report = parse(session.get("closingReportData"))
    if report is None or not report.is_ours:
        return set()
    return {m.id for m in report.cash_movements if isinstance(m, CashMovement)}


def _expected_cash(store, record, movements) -> Decimal:
    """What the drawer should hold, worked out here from the store: the float, the cash sales
    less refunds, and every movement recorded in the dashboard."""
    cash = Decimal(0)
    for sale in store.find("transaction", session_id=record.id):
        if sale.get("paymentMethod") == "cash":
            sign = -1 if sale.get("type") == "refund" else 1
            cash += sign * Decimal(sale["amount"])
    moved = sum((m.effect_on_cash for m in movements), Decimal(0))
    return (record.opening_amount + cash + moved).quantize(Decimal("0.01"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--races", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--tills", type=int, default=24)
    args = parser.parse_args()
    server, store, people = _setup(args.tills)
    _SIMULATOR.append(server.simulator)
    started = time.monotonic()
    print(f"work files in {WORK}", flush=True)
    for kind, tally in races(store, people, args.races).items():
        print(f"race: {kind}: {dict(tally)}", flush=True)
    print(f"races took {time.monotonic() - started:.0f} s", flush=True)
    if args.minutes > 0:
        for name, value in soak(store, people, args.minutes).items():
            print(f"soak: {name}: {value}", flush=True)
    server.stop()


if __name__ == "__main__":
    main()
