"""The demo company: 3 outlets, 8 stations, six weeks of shifts with sales and refunds.

The closed shifts were opened and closed the way the Final POS app on a till does it: its own
session numbers, closing amounts per tender, and the till's own closing report. The two open
now were opened by cashiers in the dashboard (its own D- numbers), so they can be counted and
closed there; the tills hold the shifts they open themselves. Repeatable: a fixed
random seed gives the same company, shifts and amounts every time, laid out over the six weeks
before today (in TIME_ZONE).
"""

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from finalpos_simulator import currency
from finalpos_simulator.app import COMPANY_ID
from finalpos_simulator.store import Store
from finalpos_simulator.tills import APP_VERSION, TILL_APP

SEED = 20261122
DAYS = 42
OUTLET_IDS = (
    "6560a1f0c0ffee0000000001",  # Harbour Street
    "6560a1f0c0ffee0000000002",  # Market Square
    "6560a1f0c0ffee0000000003",  # Airport Kiosk
)
GIFT_CARD_SHARE = 0.12  # closes that took a gift card, a tender the dashboard does not count

OUTLETS = [
    {
        "id": OUTLET_IDS[0],
        "name": "Harbour Street",
        "address": "12 Harbour Street",
        "city": "Portland",
        "state": "ME",
        "country": "US",
        "postCode": "04101",
        "phone": "+12075550101",
    },
    {
        "id": OUTLET_IDS[1],
        "name": "Market Square",
        "address": "3 Market Square",
        "city": "Portland",
        "state": "ME",
        "country": "US",
        "postCode": "04102",
        "phone": "+12075550102",
    },
    {
        "id": OUTLET_IDS[2],
        "name": "Airport Kiosk",
        "address": "1001 Westbrook Street",
        "city": "Portland",
        "state": "ME",
        "country": "US",
        "postCode": "04102",
        "phone": "+12075550103",
        "alias": "PWM",
    },
]
# (station id, outlet index, name, shifts per day as (open hour, close hour))
STATIONS = [
    ("6560a1f0c0ffee0000000101", 0, "Till 1", [(8, 16)]),
    ("6560a1f0c0ffee0000000102", 0, "Till 2", [(9, 17)]),
    ("6560a1f0c0ffee0000000103", 0, "Till 3 (weekend)", []),
    ("6560a1f0c0ffee0000000201", 1, "Front till", [(8, 15), (15, 21)]),
    ("6560a1f0c0ffee0000000202", 1, "Back till", [(10, 18)]),
    ("6560a1f0c0ffee0000000203", 1, "Café counter", [(7, 14)]),
    ("6560a1f0c0ffee0000000301", 2, "Kiosk 1", [(5, 13), (13, 21)]),
    ("6560a1f0c0ffee0000000302", 2, "Kiosk 2", [(6, 14)]),
]
CASHIERS = [
    ["Sam Rivera", "Priya Shah", "Lena Novak"],
    ["Tom Becker", "Aisha Bello", "Diego Alvarez"],
    ["Kenji Mori", "Rosa Lind"],
]
# Transaction paymentMethod strings as a Final till writes them, with their weights.
PAYMENT_MIX = [("cash", 0.35), ("credit_card", 0.5), ("oliver_pay", 0.15)]
METHOD_KEYS = {"cash": "cash", "credit_card": "card", "oliver_pay": "oliverPay"}


def _iso(moment: datetime, *, offset_style: bool = False) -> str:
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}"
    return text + ("+00:00" if offset_style else "Z")


def _money(amount: Decimal) -> str:
    return currency.wire(amount)


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self, moment: datetime) -> str:
        return f"{int(moment.timestamp()):08x}{self.rng.getrandbits(64):016x}"


def seed_demo_company(store: Store, *, today: date | None = None) -> dict[str, int]:
    """Replaces everything in the store with the demo company. Returns counts."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = datetime.now(zone)
    today = today or now.date()
    rng = random.Random(SEED)
    new_id = _Ids(rng)
    extras = random.Random(SEED + 1)  # gift cards and tips, without moving the main sequence
    created = _iso(
        datetime.combine(today - timedelta(days=DAYS + 30), time(9), zone), offset_style=True
    )

    store.clear()
    outlets = []
    for index, outlet in enumerate(OUTLETS):
        outlets.append(
            {
                **outlet,
                "companyId": COMPANY_ID,
                "createdAt": created,
                "updatedAt": created,
                "sequenceNumber": index + 1,
                "stations": [s[0] for s in STATIONS if s[1] == index],
            }
        )
    store.insert_many("outlet", outlets)

    sessions, transactions = [], []
    sequence = dashboard_sequence = 0
    open_now = {
        "6560a1f0c0ffee0000000102": ("Priya Shah", 3),
        "6560a1f0c0ffee0000000201": ("Tom Becker", 5),
    }
    shifts: list[tuple[date | None, str, int, int, int | None]] = []
    devices = {station[0]: f"iPad {station[2]}" for station in STATIONS}
    for day_offset in range(DAYS, 0, -1):
        past_day = today - timedelta(days=day_offset)
        for station_id, outlet_index, _name, hours in STATIONS:
            day_hours = hours or ([(10, 18)] if past_day.weekday() >= 5 else [])
            for opens_at, closes_at in day_hours:
                shifts.append((past_day, station_id, outlet_index, opens_at, closes_at))
    for station_id, (_cashier, hours_ago) in open_now.items():
        outlet_index = next(s[1] for s in STATIONS if s[0] == station_id)
        shifts.append((None, station_id, outlet_index, hours_ago, None))

    for day, station_id, outlet_index, open_hour, close_hour in shifts:
        sequence += 1
        if day is None:
            open_time = now - timedelta(hours=open_hour, minutes=rng.randint(0, 40))
            cashier = open_now[station_id][0]
        else:
            open_time = datetime.combine(day, time(open_hour), zone) + timedelta(
                minutes=rng.randint(-10, 10)
            )
            cashier = rng.choice(CASHIERS[outlet_index])
        session_id = new_id(open_time)
        opening = currency.scaled(Decimal(rng.choice(["150.00", "200.00", "200.00", "250.00"])))
        session_transactions, expected = _shift_transactions(
            rng, new_id, session_id, open_time, day is None
        )
        transactions.extend(session_transactions)
        if day is None:  # opened by a cashier in the dashboard, in its own number space
            dashboard_sequence += 1
            number = f"D-{open_time.year}-{dashboard_sequence:04d}"
        else:
            number = f"S-{open_time.year}-{sequence:04d}"
        document: dict[str, Any] = {
            "id": session_id,
            "companyId": COMPANY_ID,
            "stationId": station_id,
            "sessionNumber": number,
            "openedBy": cashier,
            "openTime": _iso(open_time),
            "openingAmount": _money(opening),
            "notes": [],
            "closingAmounts": {},
            "openingNote": rng.choice(["", "", "", "Float counted with the previous shift."]),
            "createdAt": _iso(open_time, offset_style=True),
            "updatedAt": _iso(open_time, offset_style=True),
        }
        if day is not None:  # the till app's own fields, which the dashboard carries through
            document["tipTotal"] = _money(currency.scaled(Decimal(extras.randint(0, 40))))
            document["meta"] = {
                "source": TILL_APP,
                "appVersion": APP_VERSION,
                "device": devices[station_id],
            }
        if day is not None and close_hour is not None:  # an open shift has neither
            close_time = datetime.combine(day, time(close_hour % 24), zone) + timedelta(
                minutes=rng.randint(0, 25)
            )
            document |= _closed_fields(rng, opening, expected, cashier, close_time)
            if extras.random() < GIFT_CARD_SHARE:
                gift_card = _gift_card_sale(extras, session_id, open_time)
                transactions.append(gift_card)
                document["closingAmounts"]["giftCard"] = gift_card["amount"]
        sessions.append(document)

    store.insert_many("session", sessions)
    store.insert_many("transaction", transactions)

    stations: list[dict[str, Any]] = []
    open_station_ids = set(open_now)
    for station_id, outlet_index, name, _ in STATIONS:
        status = "IN_USE" if station_id in open_station_ids else "AVAILABLE"
        if name == "Kiosk 2":
            status = "IN_USE"  # stale: a till that lost its network before closing
        stations.append(
            {
                "id": station_id,
                "companyId": COMPANY_ID,
                "name": name,
                "outletId": OUTLETS[outlet_index]["id"],
                "status": status,
                "deviceName": f"iPad {name}",
                "isVirtual": False,
                "sequenceNumber": len(stations) + 1,
                "createdAt": created,
                "updatedAt": created,
            }
        )
    store.insert_many("station", stations)
    store.set_meta("seeded_at", _iso(now))
    store.set_meta("currency", currency.code())
    store.set_meta("session_sequence", str(sequence))
    return {
        "outlets": len(outlets),
        "stations": len(stations),
        "sessions": len(sessions),
        "transactions": len(transactions),
    }


def _gift_card_sale(rng: random.Random, session_id: str, open_time: datetime) -> dict:
    moment = open_time + timedelta(minutes=rng.randint(20, 300))
    amount = _money(currency.scaled(Decimal(rng.choice([10, 20, 25, 50]))))
    return {
        "id": f"{int(moment.timestamp()):08x}{rng.getrandbits(64):016x}",
        "companyId": COMPANY_ID,
        "sessionId": session_id,
        "paymentMethod": "gift_card",
        "amount": amount,
        "currency": currency.code(),
        "type": "sale",
        "balance": amount,
        "createdAt": _iso(moment, offset_style=True),
        "updatedAt": _iso(moment, offset_style=True),
    }


def _shift_transactions(
    rng: random.Random, new_id: "_Ids", session_id: str, open_time: datetime, is_open: bool
) -> tuple[list[dict[str, Any]], dict[str, Decimal]]:
    expected = {"cash": Decimal(0), "card": Decimal(0), "oliverPay": Decimal(0)}
    documents = []
    count = rng.randint(6, 12) if is_open else rng.randint(15, 40)
    for index in range(count):
        method = rng.choices([m for m, _ in PAYMENT_MIX], [w for _, w in PAYMENT_MIX])[0]
        amount = currency.scaled(Decimal(rng.randint(350, 8500)) / 100, cash=method == "cash")
        kind = "refund" if rng.random() < 0.04 else "sale"
        moment = open_time + timedelta(minutes=5 + index * 11)
        sign = -1 if kind == "refund" else 1
        expected[METHOD_KEYS[method]] += sign * amount
        documents.append(
            {
                "id": new_id(moment),
                "companyId": COMPANY_ID,
                "sessionId": session_id,
                "paymentMethod": method,
                "amount": _money(amount),
                "currency": currency.code(),
                "type": kind,
                "balance": _money(amount),
                # A generator of its own: the amounts above stay what they always were.
                "paymentData": currency.sale_details(
                    amount, method=method, chance=random.Random(f"{session_id}{index}").random()
                ),
                "createdAt": _iso(moment, offset_style=True),
                "updatedAt": _iso(moment, offset_style=True),
            }
        )
    return documents, expected


def _closed_fields(
    rng: random.Random,
    opening: Decimal,
    sales: dict[str, Decimal],
    cashier: str,
    close_time: datetime,
) -> dict[str, Any]:
    """What the Final POS app writes when a cashier closes a shift on the till: the counted
    cash and the card and wallet totals, and its own End of Session summary."""
    expected = {
        "cash": opening + sales["cash"],
        "card": sales["card"],
        "oliverPay": sales["oliverPay"],
    }
    roll = rng.random()
    if roll < 0.68:
        cash_over_under = Decimal(0)
    elif roll < 0.9:
        cash_over_under = Decimal(rng.randint(-400, 300)) / 100
    elif roll < 0.97:
        cash_over_under = Decimal(rng.choice([-1, 1]) * rng.randint(500, 1900)) / 100
    else:
        cash_over_under = -Decimal(rng.randint(2500, 8000)) / 100
    cash_over_under = currency.scaled(cash_over_under, cash=True)
    card_over_under = currency.scaled(Decimal(rng.choice([0] * 18 + [-500, 250])) / 100)
    counted = {
        "cash": expected["cash"] + cash_over_under,
        "card": expected["card"] + card_over_under,
        "oliverPay": expected["oliverPay"],
    }
    summary = {
        "source": TILL_APP,
        "cashDrawer": {
            "openingCash": _money(opening),
            "expectedCash": _money(expected["cash"]),
            "closingCash": _money(counted["cash"]),
            "overUnder": _money(cash_over_under),
        },
    }
    return {
        "closedBy": cashier,
        "closeTime": _iso(close_time),
        "closingAmount": _money(counted["cash"]),
        "closingAmounts": {method: _money(amount) for method, amount in counted.items()},
        "closingNote": rng.choice(["", "", "", "All good.", "Busy afternoon."]),
        "closingReportData": json.dumps(summary, separators=(",", ":")),
        "updatedAt": _iso(close_time, offset_style=True),
    }
