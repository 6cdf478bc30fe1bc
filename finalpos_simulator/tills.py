"""The company's tills acting on their own, as the Final POS app on each one does.

A till opens a session with its own number (S-<year>-<sequence>, the company's counter) and
holds it open for hours, records sales on whatever session is open on it (whoever opened
it), and closes the sessions it opened with its own report. Like a real offline-first till
it writes from the copy of the session it keeps, never from a fresh read:

- tips and notes mid-shift are whole-record PUTs of its copy;
- its close is a whole-record PUT of its copy with the close fields and its own
  ``closingReportData``, which replaces whatever report the session had;
- now and then it closes again a little later (a recount), from its copy;
- now and then an edit it queued while offline arrives minutes later: a PUT of its copy as
  it was then (a tip added after the close), over whatever was written since.

It keeps its own fields on the record (``tipTotal``, ``meta``) and declares every tender it
took (gift cards included). Station status follows: IN_USE while it has a session open.

``TillActivity.tick`` takes one step for every till; the demo runs steps as time passes
(``catch_up``), tests run them one by one with a seeded random generator. What each till
keeps (its copy, its queue) lives in the store, so any process may run the next step.
"""

import json
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from finalpos_simulator import currency
from finalpos_simulator.store import Store

TILL_APP = "final-pos-ipad"
APP_VERSION = "5.12.1"
CASHIERS = ["Sam Rivera", "Priya Shah", "Tom Becker", "Aisha Bello", "Kenji Mori", "Rosa Lind"]
# paymentMethod as the till writes it on a sale, and the closingAmounts key it declares.
TENDERS = [
    ("cash", "cash", 0.34),
    ("credit_card", "card", 0.48),
    ("oliver_pay", "oliverPay", 0.13),
    ("gift_card", "giftCard", 0.05),
]
STEP = timedelta(minutes=1)  # one tick of the demo's tills per minute of real time
LONGEST_CATCH_UP = 30  # ticks run at once after a quiet spell
SERVER_FIELDS = ("id", "companyId", "createdAt", "updatedAt")


def iso(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def money(amount: Decimal) -> str:
    return currency.wire(amount)


def is_till_session(session: dict[str, Any]) -> bool:
    meta = session.get("meta")
    return isinstance(meta, dict) and meta.get("source") == TILL_APP


class TillActivity:
    def __init__(
        self,
        store: Store,
        *,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        open_chance: float = 0.15,
        sale_chance: float = 0.6,
        close_chance: float = 1 / 240,  # a shift lasts about four hours
        tip_chance: float = 0.1,
        reclose_chance: float = 0.05,
        stale_chance: float = 0.05,
        queue_delay: tuple[int, int] = (2, 15),  # ticks before a queued edit arrives
    ) -> None:
        self.store = store
        self.rng = rng or random.Random()
        self.clock = clock
        self.open_chance = open_chance
        self.sale_chance = sale_chance
        self.close_chance = close_chance
        self.tip_chance = tip_chance
        self.reclose_chance = reclose_chance
        self.stale_chance = stale_chance
        self.queue_delay = queue_delay
        self._lock = threading.Lock()

    # --- Steps ----------------------------------------------------------------------------

    def tick(self) -> None:
        """One step for every till: what it queued arrives when due; then it opens, sells,
        edits or closes, by chance."""
        with self._lock:
            open_sessions = self._open_sessions()
            for station in self.store.find("station"):
                self.send_queued(station["id"])
                session = open_sessions.get(station["id"])
                if session is None:
                    if self.rng.random() < self.open_chance:
                        self.open_session(station)
                    continue
                if self.rng.random() < self.sale_chance:
                    self.sell(session)
                if not is_till_session(session):
                    continue  # the dashboard's shift: the till sells on it, nothing more
                if self.rng.random() < self.tip_chance:
                    self.add_tip(session)
                if self.rng.random() < self.close_chance:
                    self.close_session(session)

    def catch_up(self) -> int:
        """Runs the ticks due since the last one (at most LONGEST_CATCH_UP); safe to call
        from every request of every process, since the store decides who runs them."""
        now = self.clock()
        last = self.store.get_meta("tills_ticked_at")
        if last is None:
            self.store.set_meta("tills_ticked_at", now.isoformat())
            return 0
        due = min(int((now - datetime.fromisoformat(last)) / STEP), LONGEST_CATCH_UP)
        if due < 1 or not self.store.swap_meta("tills_ticked_at", last, now.isoformat()):
            return 0
        for _step in range(due):
            self.tick()
        return due

    def open_session(self, station: dict[str, Any], *, cashier: str | None = None) -> dict:
        now = self.clock()
        number = self._next_number(now.year)
        session = {
            "id": _new_id(self.rng, now),
            "companyId": station.get("companyId", ""),
            "stationId": station["id"],
            "sessionNumber": number,
            "openedBy": cashier or self.rng.choice(CASHIERS),
            "openTime": iso(now),
            "openingAmount": money(currency.scaled(Decimal(self.rng.choice([150, 200, 250])))),
            "notes": [],
            "closingAmounts": {},
            "openingNote": "",
            "tipTotal": "0.00",
            "meta": {
                "source": TILL_APP,
                "appVersion": APP_VERSION,
                "device": station.get("deviceName", ""),
            },
            "createdAt": iso(now),
            "updatedAt": iso(now),
        }
        self.store.insert("session", session)
        self._keep(station["id"], copy=session)
        self._set_status(station, "IN_USE")
        return session

    def sell(self, session: dict[str, Any], *, count: int | None = None) -> list[dict]:
        sales = []
        for _sale in range(count or self.rng.randint(1, 3)):
            method = self.rng.choices([t[0] for t in TENDERS], [t[2] for t in TENDERS])[0]
            amount = currency.scaled(
                Decimal(self.rng.randint(350, 6500)) / 100, cash=method == "cash"
            )
            kind = "refund" if self.rng.random() < 0.03 else "sale"
            now = self.clock()
            sale = {
                "id": _new_id(self.rng, now),
                "companyId": session.get("companyId", ""),
                "sessionId": session["id"],
                "paymentMethod": method,
                "amount": money(amount),
                "currency": currency.code(),
                "type": kind,
                "balance": money(amount),
                "paymentData": currency.sale_details(
                    amount, method=method, chance=self.rng.random()
                ),
                "createdAt": iso(now),
                "updatedAt": iso(now),
            }
            self.store.insert("transaction", sale)
            sales.append(sale)
        return sales

    def add_tip(self, session: dict[str, Any], *, amount: Decimal | None = None) -> dict:
        """A tip on a card sale, written back with a whole-record PUT of the till's copy."""
        copy = self._copy_of(session)
        tips = Decimal(str(copy.get("tipTotal") or "0")) + (
            amount if amount is not None else currency.scaled(Decimal(self.rng.randint(1, 5)))
        )
        return self._put(session["stationId"], {**copy, "tipTotal": money(tips)})

    def close_session(self, session: dict[str, Any]) -> dict:
        """Closes a session the till opened: counts the drawer (now and then a little off),
        declares each tender, and writes its copy back with its own end-of-session report.
        Now and then it closes again a little later, or an edit it queued arrives late."""
        copy = self._copy_of(session)
        closed = self._closed(copy, recount=False)
        written = self._put(copy["stationId"], closed)
        station = self.store.get("station", copy["stationId"])
        if station is not None:
            self._set_status(station, "AVAILABLE")
        if self.rng.random() < self.reclose_chance:
            self.queue(copy["stationId"], "reclose", written)
        if self.rng.random() < self.stale_chance:
            tip = currency.scaled(Decimal(2))
            tipped = {**written, "tipTotal": money(Decimal(written.get("tipTotal") or 0) + tip)}
            self.queue(copy["stationId"], "stale", tipped)
        return written

    def reclose(self, closed: dict[str, Any]) -> dict:
        """The till counts again and closes again, from its copy of its close."""
        return self._put(closed["stationId"], self._closed(closed, recount=True))

    # --- The till's queue of late writes -----------------------------------------------------

    def queue(self, station_id: str, kind: str, record: dict[str, Any], *, ticks: int = 0) -> None:
        """A write the till will send later (``ticks`` from now, or by chance)."""
        due = self.clock() + STEP * (ticks or self.rng.randint(*self.queue_delay))
        state = self._state(station_id)
        state["queued"].append({"due": due.isoformat(), "kind": kind, "record": record})
        self._save_state(station_id, state)

    def send_queued(self, station_id: str, *, all_now: bool = False) -> list[dict]:
        """Sends the queued writes that are due: each a whole-record PUT of the copy queued."""
        state = self._state(station_id)
        now = self.clock()
        due = [w for w in state["queued"] if all_now or datetime.fromisoformat(w["due"]) <= now]
        if not due:
            return []
        state["queued"] = [w for w in state["queued"] if w not in due]
        self._save_state(station_id, state)
        sent = []
        for write in due:
            record = write["record"]
            if self.store.get("session", record["id"]) is None:
                continue  # deleted meanwhile: the till's write is refused (404)
            if write["kind"] == "reclose":
                sent.append(self.reclose(record))
            else:
                sent.append(self._put(station_id, record))
        return sent

    # --- Writing and keeping copies ---------------------------------------------------------

    def _closed(self, copy: dict[str, Any], *, recount: bool) -> dict[str, Any]:
        totals = self._tender_totals(copy)
        totals["cash"] += Decimal(copy.get("openingAmount") or "0")
        counted = dict(totals)
        if recount or self.rng.random() < 0.3:
            counted["cash"] += currency.scaled(
                Decimal(self.rng.randint(-500, 300)) / 100, cash=True
            )
        declared = {key: money(amount) for key, amount in counted.items()}
        if self.rng.random() < 0.2:
            report = f"END OF SESSION {copy.get('sessionNumber', '')}\n" + "".join(
                f"{key}: {value}\n" for key, value in declared.items()
            )
        else:
            report = json.dumps(
                {
                    "source": TILL_APP,
                    "totals": declared,
                    "cashDrawer": {
                        "expectedCash": money(totals["cash"]),
                        "closingCash": declared["cash"],
                        "overUnder": money(counted["cash"] - totals["cash"]),
                    },
                    "recount": recount,
                },
                separators=(",", ":"),
            )
        return {
            **copy,
            "closedBy": copy.get("openedBy", ""),
            "closeTime": iso(self.clock()),
            "closingAmount": declared["cash"],
            "closingAmounts": declared,
            "closingNote": "Recounted" if recount else "",
            "closingReportData": report,
        }

    def _put(self, station_id: str, record: dict[str, Any]) -> dict[str, Any]:
        """A whole-record PUT, as the API takes it: the record replaced by what was sent,
        the server's own fields kept, ``updatedAt`` moved on."""
        existing = self.store.get("session", record["id"])
        if existing is None:
            return record
        written = {
            **{key: value for key, value in record.items() if key not in SERVER_FIELDS},
            **{key: existing[key] for key in SERVER_FIELDS if key in existing},
            "updatedAt": _later_than(existing.get("updatedAt"), self.clock()),
        }
        self.store.replace("session", written)
        self._keep(station_id, copy=written)
        return written

    def _copy_of(self, session: dict[str, Any]) -> dict[str, Any]:
        """The till's own copy of its session: what it last wrote, or read when it first met
        the session."""
        copy = self._state(session["stationId"]).get("copy")
        if isinstance(copy, dict) and copy.get("id") == session["id"]:
            return copy
        current = self.store.get("session", session["id"]) or session
        self._keep(session["stationId"], copy=current)
        return current

    def _state(self, station_id: str) -> dict[str, Any]:
        raw = self.store.get_meta(f"till:{station_id}")
        state = json.loads(raw) if raw else {}
        state.setdefault("queued", [])
        return state

    def _save_state(self, station_id: str, state: dict[str, Any]) -> None:
        self.store.set_meta(f"till:{station_id}", json.dumps(state))

    def _keep(self, station_id: str, *, copy: dict[str, Any]) -> None:
        state = self._state(station_id)
        state["copy"] = copy
        self._save_state(station_id, state)

    # --- Reading the store ----------------------------------------------------------------

    def _open_sessions(self) -> dict[str, dict[str, Any]]:
        """The open session of each till (the newest, when there are more)."""
        found: dict[str, dict[str, Any]] = {}
        for session in self.store.find("session", newest_first=True, open_only=True):
            found.setdefault(session.get("stationId", ""), session)
        return found

    def _tender_totals(self, session: dict[str, Any]) -> dict[str, Decimal]:
        keys = {method: key for method, key, _weight in TENDERS}
        totals = {"cash": Decimal(0), "card": Decimal(0), "oliverPay": Decimal(0)}
        for sale in self.store.find("transaction", session_id=session["id"]):
            key = keys.get(sale.get("paymentMethod", ""), sale.get("paymentMethod", ""))
            sign = -1 if sale.get("type") == "refund" else 1
            totals[key] = totals.get(key, Decimal(0)) + sign * Decimal(sale["amount"])
        return totals

    def _next_number(self, year: int) -> str:
        sequence = self.store.increment_meta("session_sequence")
        return f"S-{year}-{sequence:04d}"

    def _set_status(self, station: dict[str, Any], status: str) -> None:
        current = self.store.get("station", station["id"]) or station
        self.store.replace("station", {**current, "status": status, "updatedAt": iso(self.clock())})


def _new_id(rng: random.Random, moment: datetime) -> str:
    return f"{int(moment.timestamp()):08x}{rng.getrandbits(64):016x}"


def _later_than(previous: str | None, now: datetime) -> str:
    """updatedAt moves on with every write, even two within one millisecond."""
    try:
        before = datetime.fromisoformat(str(previous).replace("Z", "+00:00"))
    except ValueError:
        return iso(now)
    return iso(max(now, before + timedelta(milliseconds=1)))
