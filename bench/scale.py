"""The benchmark company: 50 outlets, 250 tills and 200,000 closed shifts (BENCH_SHIFTS), each
with a version 2 closing report like the one the dashboard writes at close (per-method figures,
the cash count, cash moved, sales, the cash drawer, the bank deposit, the review, and on some
the blind count, a handover or a correction), and its index row with the per-method fields the
dashboard keeps (counted, expected, variances, cash_variance, variance_abs, result).

Final POS (the simulator) holds the outlets, the tills, the open shifts with their sales, and
the closed shifts of the last UPSTREAM_DAYS days, so a refresh re-reads real records. The
format follows docs/finalpos.md, "The closing report"; bench/seed.py checks a sample against
what the dashboard itself indexes and writes.
"""

import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

OUTLETS = 50
TILLS_PER_OUTLET = 5
TILLS = OUTLETS * TILLS_PER_OUTLET
CLOSED_SHIFTS = int(os.environ.get("BENCH_SHIFTS", "200000"))
OPEN_SHIFTS = 200  # on tills 0-199, one each; the close measurement closes some of them
UPSTREAM_DAYS = 3  # the refresh re-reads shifts closed in the last 48 hours
REGIONAL_OUTLETS = 5  # the regional manager's outlets: tills 0-24
COMPANY = "c0ffee0000000000000000c0"
CURRENCY = "USD"
TARGET_FLOAT = 20000  # cents
APPROVAL_LIMIT = 5000  # a cashier's cash movement above this waits for a manager
REASON_THRESHOLD = 500  # a difference above this needs a reason
REVIEW_THRESHOLD = 2000  # a difference above this needs a manager's review
DENOMINATIONS = ["100", "50", "20", "10", "5", "1", "0.25", "0.10", "0.05", "0.01"]
DENOMINATION_CENTS = [10000, 5000, 2000, 1000, 500, 100, 25, 10, 5, 1]
METHODS = ("cash", "card", "oliverPay")
MANAGER = "Rae Regional"
WRITER = "till-close-dashboard"
REASONS = ["Recounted twice", "Card slip counted twice", "Change given wrong", "Till short at rush"]
NOTES = ["Busy lunch", "Printer jammed at 3pm", "Float counted with the manager"]


def outlet_id(index: int) -> str:
    return f"b0{index:022x}"


def station_id(index: int) -> str:
    return f"b1{index:022x}"


def closed_id(index: int) -> str:
    return f"b2{index:022x}"


def open_id(index: int) -> str:
    return f"b3{index:022x}"


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def amount(cents: int) -> Decimal:
    return Decimal(money(cents))


def stamp(moment: datetime) -> str:
    """A time as the dashboard writes it: UTC with milliseconds and a Z."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def session_number(moment: datetime, zone: ZoneInfo, sequence: int) -> str:
    return f"S-{moment.astimezone(zone).year}-{sequence:06d}"


# --- The catalog --------------------------------------------------------------------------


def catalog_documents(now: datetime) -> dict[str, list[dict]]:
    created = stamp(now - timedelta(days=900))
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
        for index in range(TILLS)
    ]
    return {"outlet": outlets, "station": stations}


# --- Closed shifts ------------------------------------------------------------------------


@dataclass
class ClosedShift:
    row: dict[str, Any]  # SessionRecord fields, as the dashboard indexes the session
    session: dict[str, Any] | None  # the session as Final POS holds it (when asked for)


def _sales(rng: random.Random) -> tuple[dict[str, Any], dict[str, int]]:
    """sales (as the report writes it) and the net takings per method, in cents."""
    lines: dict[str, list[int]] = {}  # method -> [sales, refunds, sale count, refund count]
    for method, share, low, high in (
        ("cash", 1.0, 5, 40),
        ("card", 1.0, 10, 80),
        ("oliverPay", 0.35, 1, 15),
    ):
        count = rng.randint(low, high) if rng.random() < share else 0
        sales = rng.randint(count * 150, count * 6000)
        refund_count = 1 if count and rng.random() < 0.1 else 0
        refunds = rng.randint(100, min(3000, sales)) if refund_count else 0
        lines[method] = [sales, refunds, count, refund_count]
    other = {}
    if rng.random() < 0.05:
        count = rng.randint(1, 3)
        other["gift_card"] = [rng.randint(count * 1000, count * 5000), 0, count, 0]

    def document(line: list[int]) -> dict[str, Any]:
        return {
            "sales": money(line[0]),
            "refunds": money(line[1]),
            "saleCount": line[2],
            "refundCount": line[3],
        }

    sales = {
        "byMethod": {key: document(line) for key, line in lines.items()},
        "other": {key: document(line) for key, line in other.items()},
    }
    return sales, {key: line[0] - line[1] for key, line in lines.items()}


def _movements(
    rng: random.Random, opened: datetime, cashier: str, cash_on_hand: int
) -> list[dict[str, Any]]:
    movements = []
    for _ in range(rng.choices([0, 1, 2, 3], weights=[60, 25, 10, 5])[0]):
        kind = rng.choices(["pay_out", "pay_in", "drop"], weights=[5, 2, 3])[0]
        if kind == "pay_out":
            cents, reason, note = rng.randint(300, 6000), "Supplies", "Milk and cups"
        elif kind == "pay_in":
            cents, reason, note = rng.choice([2000, 5000, 10000]), "Change for the till", ""
        else:
            if cash_on_hand < 30000:
                continue
            cents, reason, note = rng.randint(10, cash_on_hand // 1000 - 10) * 1000, "Safe drop", ""
        cash_on_hand += cents if kind == "pay_in" else -cents
        at = opened + timedelta(minutes=rng.randint(30, 420))
        approval = cents > APPROVAL_LIMIT
        movements.append(
            {
                "id": f"{rng.getrandbits(128):032x}",
                "kind": kind,
                "amount": money(cents),
                "reason": reason,
                "note": note,
                "by": cashier,
                "at": stamp(at),
                "approval": {
                    "required": approval,
                    "approvedBy": MANAGER if approval else None,
                    "approvedAt": stamp(at + timedelta(minutes=12)) if approval else None,
                },
            }
        )
    return movements


def _moved(movements: list[dict[str, Any]], kind: str) -> int:
    return sum(round(Decimal(m["amount"]) * 100) for m in movements if m["kind"] == kind)


def _cash_count(rng: random.Random, cents: int) -> dict[str, int]:
    """Notes and coins adding up to the cash counted (a drawer holds few hundreds)."""
    counts = {}
    remaining = cents
    for label, value in zip(DENOMINATIONS, DENOMINATION_CENTS, strict=True):
        quantity = remaining // value
        if value >= 5000:
            quantity = min(quantity, rng.randint(0, 3))
        if quantity:
            counts[label] = quantity
            remaining -= quantity * value
    return counts


def _bank_deposit(counted_cash: int, counts: dict[str, int] | None) -> dict[str, Any]:
    """What to leave for the next shift and what to bank, as sessions_app.cash does it."""
    to_bank = max(counted_cash - TARGET_FLOAT, 0)
    if counts is None:
        return {
            "targetFloat": money(TARGET_FLOAT),
            "leave": money(counted_cash - to_bank),
            "bank": money(to_bank),
            "leaveCounts": None,
            "bankCounts": None,
        }
    remaining, bank, leave = to_bank, {}, {}
    for label, value in zip(DENOMINATIONS, DENOMINATION_CENTS, strict=True):
        quantity = counts.get(label, 0)
        banked = min(quantity, remaining // value)
        remaining -= banked * value
        if banked:
            bank[label] = banked
        if quantity - banked:
            leave[label] = quantity - banked
    values = dict(zip(DENOMINATIONS, DENOMINATION_CENTS, strict=True))
    return {
        "targetFloat": money(TARGET_FLOAT),
        "leave": money(sum(values[k] * q for k, q in leave.items())),
        "bank": money(sum(values[k] * q for k, q in bank.items())),
        "leaveCounts": leave,
        "bankCounts": bank,
    }


def _variances(rng: random.Random, expected: dict[str, int]) -> dict[str, int]:
    variances = dict.fromkeys(METHODS, 0)
    roll = rng.random()
    if roll < 0.60:
        pass
    elif roll < 0.86:
        variances["cash"] = rng.choice([-1, 1]) * rng.randint(1, 500)
    elif roll < 0.91:
        variances["card"] = rng.choice([-1, 1]) * rng.randint(1, 500)
    elif roll < 0.95:  # mixed: cash short, card over
        variances["cash"] = -rng.randint(1, 500)
        variances["card"] = rng.randint(1, 500)
    else:
        variances["cash"] = rng.choice([-1, 1]) * rng.randint(2001, 9000)
    for key in METHODS:  # nobody counts less than nothing
        if expected[key] + variances[key] < 0:
            variances[key] = -variances[key]
    return variances


def shift_result(variances: dict[str, int]) -> str:
    labels = {"over" if v > 0 else "short" for v in variances.values() if v}
    if not labels:
        return "balanced"
    return labels.pop() if len(labels) == 1 else "mixed"


def other_tenders_off(variances: dict[str, int]) -> bool:
    return any(variance for key, variance in variances.items() if key != "cash")


def _methods(expected: dict[str, int], variances: dict[str, int]) -> dict[str, Any]:
    return {
        key: {
            "expected": money(expected[key]),
            "counted": money(expected[key] + variances[key]),
            "variance": money(variances[key]),
        }
        for key in METHODS
    }


def closed_shift(
    index: int,
    now: datetime,
    zone: ZoneInfo,
    rng: random.Random,
    cashiers: list[str],
    *,
    upstream: bool = False,
) -> ClosedShift:
    """Shift `index`: newest first, one a day on every till."""
    till, day = index % TILLS, index // TILLS
    start = (now - timedelta(days=day + 1)).replace(hour=14, minute=0, second=0, microsecond=0)
    opened = start + timedelta(minutes=rng.randint(-120, 120))
    closed = opened + timedelta(hours=8, minutes=rng.randint(-30, 30), seconds=rng.randint(0, 59))
    cashier = cashiers[(till // TILLS_PER_OUTLET) * 8 + rng.randrange(8)]
    opening = TARGET_FLOAT if rng.random() < 0.97 else rng.choice([15000, 17500, 25000])

    sales, net = _sales(rng)
    cash = sales["byMethod"]["cash"]
    cash_sales = round(Decimal(cash["sales"]) * 100)
    cash_refunds = round(Decimal(cash["refunds"]) * 100)
    movements = _movements(rng, opened, cashier, opening + cash_sales - cash_refunds)
    pay_ins, pay_outs = _moved(movements, "pay_in"), _moved(movements, "pay_out")
    drops = _moved(movements, "drop")
    expected = {
        "cash": opening + cash_sales - cash_refunds + pay_ins - pay_outs - drops,
        "card": net["card"],
        "oliverPay": net["oliverPay"],
    }

    corrected = day >= 2 and rng.random() < 0.01
    variances = _variances(rng, expected)
    first_variances = dict(variances)
    if corrected:  # the cashier mistyped the card total; a manager corrected it next day
        first_variances["card"] = rng.randint(100, 2000)
        variances["card"] = 0
    counted = {key: expected[key] + variances[key] for key in METHODS}
    first_counted = {key: expected[key] + first_variances[key] for key in METHODS}
    largest = max(abs(v) for v in variances.values())
    first_largest = max(abs(v) for v in first_variances.values())
    counts = _cash_count(rng, counted["cash"]) if rng.random() < 0.7 else None

    review_required = first_largest > REVIEW_THRESHOLD
    approved = review_required and day >= 3
    report: dict[str, Any] = {
        "version": 2,
        "writer": WRITER,
        "currency": CURRENCY,
        "expectedAvailable": True,
        "methods": _methods(expected, variances),
        "varianceReason": rng.choice(REASONS) if first_largest > REASON_THRESHOLD else "",
        "cashCount": counts,
        "cashMovements": movements,
        "sales": sales,
        "cashDrawer": {
            "openingFloat": money(opening),
            "cashSales": money(cash_sales),
            "cashRefunds": money(cash_refunds),
            "payIns": money(pay_ins),
            "payOuts": money(pay_outs),
            "drops": money(drops),
            "expected": money(expected["cash"]),
            "counted": money(counted["cash"]),
            "difference": money(variances["cash"]),
        },
    }
    if opening != TARGET_FLOAT or rng.random() < 0.02:
        report["handover"] = {
            "expectedFloat": money(TARGET_FLOAT),
            "openedWith": money(opening),
            "difference": money(opening - TARGET_FLOAT),
            "fromSessionId": closed_id(index + TILLS),
            "fromSessionNumber": session_number(
                opened - timedelta(days=1), zone, CLOSED_SHIFTS - index - TILLS
            ),
        }
    if rng.random() < 0.85:
        recounted = rng.random() < 0.05
        first = {key: money(first_counted[key]) for key in METHODS}
        if recounted:
            first["cash"] = money(counted["cash"] - rng.randint(1, 2000))
        report["blindCount"] = {
            "revealedAt": stamp(closed - timedelta(minutes=3)),
            "firstCount": first,
            "recounted": recounted,
            "recountedAt": stamp(closed - timedelta(minutes=1)) if recounted else None,
        }
    report["bankDeposit"] = _bank_deposit(counted["cash"], counts)
    report["review"] = {
        "required": review_required,
        "approvedBy": MANAGER if approved else None,
        "approvedAt": stamp(closed + timedelta(days=1)) if approved else None,
        "comment": "Counted the safe again" if approved else "",
    }
    report["corrections"] = []
    if corrected:
        report["corrections"].append(
            {
                "at": stamp(closed + timedelta(hours=20)),
                "by": MANAGER,
                "reason": "Card slip counted twice",
                "before": {
                    "closingAmounts": {key: money(first_counted[key]) for key in METHODS},
                    "closingNote": "",
                    "variances": {key: money(first_variances[key]) for key in METHODS},
                    "cashCount": None,
                },
                "after": {
                    "closingAmounts": {key: money(counted[key]) for key in METHODS},
                    "closingNote": "",
                    "variances": {key: money(variances[key]) for key in METHODS},
                },
            }
        )
    report["closeRequestId"] = f"{rng.getrandbits(128):032x}"

    updated = closed + timedelta(seconds=1)
    if approved:
        updated = closed + timedelta(days=1)
    if corrected:
        updated = max(updated, closed + timedelta(hours=20, seconds=1))
    number = session_number(opened, zone, CLOSED_SHIFTS - index)
    note = rng.choice(NOTES) if rng.random() < 0.1 else ""
    review_state = ("approved" if approved else "needs_review") if review_required else ""
    row = {
        "id": closed_id(index),
        "session_number": number,
        "outlet_id": outlet_id(till // TILLS_PER_OUTLET),
        "station_id": station_id(till),
        "opened_by": cashier,
        "open_time": opened,
        "business_date": opened.astimezone(zone).date(),
        "currency": CURRENCY,
        "opening_amount": amount(opening),
        "opening_note": "",
        "closed_by": cashier,
        "close_time": closed,
        "closing_amount": amount(counted["cash"]),
        "closing_note": note,
        "counted": {key: money(counted[key]) for key in METHODS},
        "expected": {key: money(expected[key]) for key in METHODS},
        "variances": {key: money(variances[key]) for key in METHODS},
        "cash_variance": amount(variances["cash"]),
        "variance_abs": amount(largest),
        "result": shift_result(variances),
        "other_tenders_off": other_tenders_off(variances),
        "rounding": Decimal(0),  # no cash rounding in the bench's currency, as indexed
        "review_state": review_state,
        "variance_reason": report["varianceReason"],
        "approved_by": report["review"]["approvedBy"] or "",
        "review_comment": report["review"]["comment"],
        "left_in_drawer": Decimal(report["bankDeposit"]["leave"]),
        "report": report,
        "upstream_updated_at": updated,
        "fetched_at": now,
    }
    if not upstream:
        return ClosedShift(row=row, session=None)
    session = {
        "id": row["id"],
        "companyId": COMPANY,
        "stationId": row["station_id"],
        "sessionNumber": number,
        "openedBy": cashier,
        "openTime": stamp(opened),
        "openingAmount": money(opening),
        "notes": [],
        "openingNote": "",
        "closedBy": cashier,
        "closeTime": stamp(closed),
        "closingAmount": money(counted["cash"]),
        "closingAmounts": row["counted"],
        "closingNote": note,
        "closingReportData": json.dumps(report, separators=(",", ":")),
        "createdAt": stamp(opened),
        "updatedAt": stamp(updated),
    }
    return ClosedShift(row=row, session=session)


def closed_shifts(
    now: datetime, zone: ZoneInfo, start: int = 0, stop: int = CLOSED_SHIFTS
) -> Iterator[ClosedShift]:
    """Shifts start..stop-1, newest first, each the same whenever it is made (its own random
    generator); the newest UPSTREAM_DAYS days with the session Final POS holds."""
    cashiers = [f"Cashier {n:03d}" for n in range(OUTLETS * 8)]
    upstream = upstream_shift_count()
    for index in range(start, stop):
        rng = random.Random(index)
        yield closed_shift(index, now, zone, rng, cashiers, upstream=index < upstream)


def upstream_shift_count() -> int:
    return min(CLOSED_SHIFTS, UPSTREAM_DAYS * TILLS)


# --- Open shifts --------------------------------------------------------------------------


@dataclass
class OpenShift:
    session: dict[str, Any]
    transactions: list[dict[str, Any]]
    expected: dict[str, str]  # what the drawer and terminals should hold at close


def open_shifts(now: datetime, zone: ZoneInfo) -> list[OpenShift]:
    """One open shift on each of the first OPEN_SHIFTS tills, opened six hours ago, with the
    handover from the till's last shift, sometimes a pay-out, and 20 to 40 sales."""
    opened = (now - timedelta(hours=6)).replace(microsecond=0)
    cashiers = [f"Cashier {n:03d}" for n in range(OUTLETS * 8)]
    shifts = []
    for index in range(OPEN_SHIFTS):
        rng = random.Random(-1 - index)
        movements = []
        if rng.random() < 0.3:
            movements.append(
                {
                    "id": f"{rng.getrandbits(128):032x}",
                    "kind": "pay_out",
                    "amount": "12.00",
                    "reason": "Supplies",
                    "note": "Milk for the café",
                    "by": "Bench Cashier",
                    "at": stamp(opened + timedelta(hours=1)),
                    "approval": {"required": False, "approvedBy": None, "approvedAt": None},
                }
            )
        report: dict[str, Any] = {
            "version": 2,
            "writer": WRITER,
            "currency": CURRENCY,
            "methods": {},
            "cashMovements": movements,
        }
        if index < CLOSED_SHIFTS:  # what the till's last shift left in the drawer
            last = closed_shift(index, now, zone, random.Random(index), cashiers).row
            left = round(Decimal(last["report"]["bankDeposit"]["leave"]) * 100)
            report["handover"] = {
                "expectedFloat": money(left),
                "openedWith": money(TARGET_FLOAT),
                "difference": money(TARGET_FLOAT - left),
                "fromSessionId": last["id"],
                "fromSessionNumber": last["session_number"],
            }
        session_id = open_id(index)
        transactions = []
        net = dict.fromkeys(METHODS, 0)
        for number in range(rng.randint(20, 40)):
            method = rng.choices(["cash", "credit_card", "oliverPay"], weights=[4, 5, 1])[0]
            cents = rng.randint(150, 6000)
            net["card" if method == "credit_card" else method] += cents
            moment = stamp(opened + timedelta(minutes=5 + number * 8))
            transactions.append(
                {
                    "id": f"b4{index:018x}{number:04x}",
                    "companyId": COMPANY,
                    "sessionId": session_id,
                    "paymentMethod": method,
                    "amount": money(cents),
                    "currency": CURRENCY,
                    "type": "sale",
                    "createdAt": moment,
                    "updatedAt": moment,
                }
            )
        session = {
            "id": session_id,
            "companyId": COMPANY,
            "stationId": station_id(index),
            # Opened in the dashboard (its own number space): a shift a till opened is closed
            # on the till, never here, and the bench measures the dashboard's close.
            "sessionNumber": f"D-{opened.astimezone(zone).year}-{900_000 + index:06d}",
            "openedBy": "Bench Cashier",
            "openTime": stamp(opened),
            "openingAmount": money(TARGET_FLOAT),
            "notes": [],
            "closingAmounts": {},
            "openingNote": "",
            "closingReportData": json.dumps(report, separators=(",", ":")),
            "createdAt": stamp(opened),
            "updatedAt": stamp(opened),
        }
        cash = TARGET_FLOAT + net["cash"] - _moved(movements, "pay_out")
        expected = {"cash": money(cash), "card": money(net["card"])}
        expected["oliverPay"] = money(net["oliverPay"])
        shifts.append(OpenShift(session=session, transactions=transactions, expected=expected))
    return shifts
