"""The benchmark company: 50 outlets, 250 tills, 200,000 closed shifts in the local index,
and a few hundred open shifts in the simulator for the close-shift POSTs."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

OUTLETS = 50
TILLS_PER_OUTLET = 5
CLOSED_SHIFTS = 200_000
OPEN_SHIFTS = 200  # each on its own till; one close POST each
COMPANY = "c0ffee0000000000000000c0"
REGIONAL_OUTLETS = 5  # the bench manager's outlets (a regional manager)


def outlet_id(index: int) -> str:
    return f"b0{index:022x}"


def station_id(index: int) -> str:
    return f"b1{index:022x}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"


def simulator_documents(now: datetime) -> dict[str, list[dict]]:
    """What the simulator's store holds: the outlets, tills and the open shifts."""
    created = _stamp(now - timedelta(days=900))
    outlets = [
        {
            "id": outlet_id(index),
            "companyId": COMPANY,
            "name": f"Store {index + 1:02d}",
            "address": f"{index + 1} Market St",
            "city": "Portland",
            "state": "ME",
            "country": "US",
            "postCode": "04101",
            "phone": "+12075550100",
            "stations": [station_id(index * TILLS_PER_OUTLET + n) for n in range(TILLS_PER_OUTLET)],
            "sequenceNumber": index + 1,
            "createdAt": created,
            "updatedAt": created,
        }
        for index in range(OUTLETS)
    ]
    stations = [
        {
            "id": station_id(index),
            "companyId": COMPANY,
            "name": f"Till {index % TILLS_PER_OUTLET + 1}",
            "outletId": outlet_id(index // TILLS_PER_OUTLET),
            "status": "IN_USE" if index < OPEN_SHIFTS else "AVAILABLE",
            "deviceName": f"iPad {index}",
            "isVirtual": False,
            "sequenceNumber": index + 1,
            "createdAt": created,
            "updatedAt": created,
        }
        for index in range(OUTLETS * TILLS_PER_OUTLET)
    ]
    sessions, transactions = [], []
    opened = now - timedelta(hours=6)
    for index in range(OPEN_SHIFTS):
        session = f"b3{index:022x}"
        sessions.append(
            {
                "id": session,
                "companyId": COMPANY,
                "stationId": station_id(index),
                "sessionNumber": f"S-{opened.year}-{900000 + index}",
                "openedBy": "Bench Cashier",
                "openTime": _stamp(opened),
                "openingAmount": "200.00",
                "notes": [],
                "closingAmounts": {},
                "openingNote": "",
                "createdAt": _stamp(opened),
                "updatedAt": _stamp(opened),
            }
        )
        for number, (method, amount) in enumerate([("cash", "54.20"), ("credit_card", "31.75")]):
            transactions.append(
                {
                    "id": f"b4{index:020x}{number:02d}",
                    "companyId": COMPANY,
                    "sessionId": session,
                    "paymentMethod": method,
                    "amount": amount,
                    "currency": "USD",
                    "type": "sale",
                    "createdAt": _stamp(opened),
                    "updatedAt": _stamp(opened),
                }
            )
    return {
        "outlet": outlets,
        "station": stations,
        "session": sessions,
        "transaction": transactions,
    }


def closed_shift_rows(now: datetime, zone) -> "iter[dict]":
    """200,000 closed shifts spread over every till, newest first, as SessionRecord fields."""
    rng = random.Random(2026)
    tills = OUTLETS * TILLS_PER_OUTLET
    cashiers = [f"Cashier {n:03d}" for n in range(OUTLETS * 8)]
    for index in range(CLOSED_SHIFTS):
        till = index % tills
        day = index // tills
        open_time = (now - timedelta(days=day + 1)).replace(hour=14, minute=0) + timedelta(
            minutes=rng.randint(-120, 120)
        )
        close_time = open_time + timedelta(hours=8)
        cashier = cashiers[(till // TILLS_PER_OUTLET) * 8 + rng.randrange(8)]
        roll = rng.random()
        variance = (
            Decimal(0)
            if roll < 0.6
            else Decimal(rng.randint(-500, 500)) / 100
            if roll < 0.95
            else Decimal(rng.randint(-9000, 6000)) / 100
        )
        expected_cash = Decimal(rng.randint(20000, 90000)) / 100
        expected_card = Decimal(rng.randint(0, 150000)) / 100
        counted_cash = expected_cash + variance
        methods = {
            "cash": {
                "expected": str(expected_cash),
                "counted": str(counted_cash),
                "variance": str(variance),
            },
            "card": {
                "expected": str(expected_card),
                "counted": str(expected_card),
                "variance": "0.00",
            },
            "oliverPay": {"expected": "0.00", "counted": "0.00", "variance": "0.00"},
        }
        result = "over" if variance > 0 else "short" if variance < 0 else "balanced"
        review = abs(variance) > 20
        yield {
            "id": f"b2{index:022x}",
            "session_number": f"S-{open_time.year}-{index + 1:06d}",
            "outlet_id": outlet_id(till // TILLS_PER_OUTLET),
            "station_id": station_id(till),
            "opened_by": cashier,
            "open_time": open_time,
            "business_date": open_time.astimezone(zone).date(),
            "opening_amount": Decimal("200.00"),
            "closed_by": cashier,
            "close_time": close_time,
            "closing_amount": counted_cash,
            "counted": {"cash": str(counted_cash), "card": str(expected_card), "oliverPay": "0"},
            "expected": {
                "cash": str(expected_cash),
                "card": str(expected_card),
                "oliverPay": "0.00",
            },
            "variance_total": variance,
            "variance_abs": abs(variance),
            "result": result,
            "review_state": "needs_review" if review else "",
            "report": {
                "version": 1,
                "currency": "USD",
                "expectedAvailable": True,
                "methods": methods,
                "varianceTotal": str(variance),
                "varianceReason": "Recounted twice" if abs(variance) > 5 else "",
                "review": {
                    "required": review,
                    "approvedBy": None,
                    "approvedAt": None,
                    "comment": "",
                },
                "corrections": [],
            },
            "upstream_updated_at": close_time,
            "fetched_at": now,
        }
