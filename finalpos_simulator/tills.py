"""The company's tills acting on their own, as the Final POS app on each one does.

A till opens a session with its own number (S-<year>-<sequence>, the company's counter),
records sales on whatever session is open on it (whoever opened it), and closes the sessions
it opened with its own closing report, declaring every tender it took (gift cards included)
and keeping its own fields on the record (``tipTotal``, ``meta``). It never touches what the
dashboard wrote. Station status follows: IN_USE while it has a session open, AVAILABLE after.

``TillActivity.tick`` takes one step for every till; the demo runs steps as time passes
(``catch_up``), tests run them one by one with a seeded random generator.
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
        close_chance: float = 0.08,
    ) -> None:
        self.store = store
        self.rng = rng or random.Random()
        self.clock = clock
        self.open_chance = open_chance
        self.sale_chance = sale_chance
        self.close_chance = close_chance
        self._lock = threading.Lock()

    # --- Steps ----------------------------------------------------------------------------

    def tick(self) -> None:
        """One step for every till: open, sell, or close, by chance."""
        with self._lock:
            open_sessions = self._open_sessions()
            for station in self.store.find("station"):
                session = open_sessions.get(station["id"])
                if session is None:
                    if self.rng.random() < self.open_chance:
                        self.open_session(station)
                    continue
                if self.rng.random() < self.sale_chance:
                    self.sell(session)
                if is_till_session(session) and self.rng.random() < self.close_chance:
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
                "createdAt": iso(now),
                "updatedAt": iso(now),
            }
            self.store.insert("transaction", sale)
            sales.append(sale)
        if self.rng.random() < 0.3:  # a tip on a card sale, kept on the session by the till
            current = self.store.get("session", session["id"]) or session
            tip = currency.scaled(Decimal(self.rng.randint(1, 5)))
            tips = Decimal(str(current.get("tipTotal") or "0")) + tip
            self.store.replace("session", {**current, "tipTotal": money(tips)})
        return sales

    def close_session(self, session: dict[str, Any]) -> dict:
        """Closes a session the till opened: counts the drawer (now and then a little off),
        declares each tender, and writes its own end-of-session report."""
        current = self.store.get("session", session["id"]) or session
        totals = self._tender_totals(current)
        totals["cash"] += Decimal(current.get("openingAmount") or "0")
        counted = dict(totals)
        if self.rng.random() < 0.3:
            counted["cash"] += currency.scaled(
                Decimal(self.rng.randint(-500, 300)) / 100, cash=True
            )
        now = self.clock()
        declared = {key: money(amount) for key, amount in counted.items()}
        if self.rng.random() < 0.2:
            report = f"END OF SESSION {current.get('sessionNumber', '')}\n" + "".join(
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
                },
                separators=(",", ":"),
            )
        closed = {
            **current,
            "closedBy": current.get("openedBy", ""),
            "closeTime": iso(now),
            "closingAmount": declared["cash"],
            "closingAmounts": declared,
            "closingNote": "",
            "closingReportData": report,
            "updatedAt": iso(now),
        }
        self.store.replace("session", closed)
        station = self.store.get("station", current["stationId"])
        if station is not None:
            self._set_status(station, "AVAILABLE")
        return closed

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
