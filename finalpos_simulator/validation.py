"""Request validation as the real API does it: NestJS-style messages, one per problem."""

import re
from collections.abc import Iterable
from typing import Any

MONEY_PROBLEM = 'must be a money amount with two decimals (three in KWD), like "200.00"'
# Two decimals as the contract shows; three for a three-decimal currency (KWD, BHD, OMR).
MONEY_PATTERN = re.compile(r"-?\d{1,12}\.\d{2,3}")
ISO_TIME_PATTERN = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})"
)

SESSION_STRINGS_REQUIRED = ("stationId", "sessionNumber", "openedBy", "openingNote")
SESSION_STRINGS_OPTIONAL = ("closedBy", "closingReportData", "closingNote")
STATION_STRINGS = (
    "name",
    "outletId",
    "status",
    "deviceId",
    "deviceName",
    "stripeTerminalId",
    "serialReaderId",
)
OUTLET_STRINGS_REQUIRED = ("name", "address", "city", "state", "country", "postCode", "phone")
OUTLET_STRINGS_OPTIONAL = ("address2", "alias", "stripeAccountId", "taxId")
SERVER_FIELDS = ("id", "companyId", "createdAt", "updatedAt")


SESSION_NAMED = {
    *SESSION_STRINGS_REQUIRED,
    *SESSION_STRINGS_OPTIONAL,
    *("openTime", "closeTime", "openingAmount", "closingAmount", "notes", "closingAmounts"),
}
STATION_NAMED = {*STATION_STRINGS, "sequenceNumber", "isVirtual"}
OUTLET_NAMED = {*OUTLET_STRINGS_REQUIRED, *OUTLET_STRINGS_OPTIONAL, "stations", "stripe"}


def _others(payload: dict[str, Any], named: set[str]) -> dict[str, Any]:
    """Fields the contract does not name are stored as sent, like the real API's document
    store does (a till's app keeps its own data on the records)."""
    return {
        key: value
        for key, value in payload.items()
        if key not in named and key not in SERVER_FIELDS and key != "sequenceNumber"
    }


def _check_strings(
    payload: dict[str, Any], names: Iterable[str], problems: list[str], *, required: bool
) -> dict[str, Any]:
    clean = {}
    for name in names:
        if name not in payload:
            if required:
                problems.append(f"{name} must be a string")
            continue
        value = payload[name]
        if not isinstance(value, str):
            problems.append(f"{name} must be a string")
        else:
            clean[name] = value
    return clean


def _check_pattern(
    payload: dict[str, Any],
    name: str,
    problems: list[str],
    *,
    required: bool,
    pattern: re.Pattern[str],
    problem: str,
) -> dict[str, Any]:
    if name not in payload:
        if required:
            problems.append(f"{name} {problem}")
        return {}
    value = payload[name]
    if not isinstance(value, str) or not pattern.fullmatch(value):
        problems.append(f"{name} {problem}")
        return {}
    return {name: value}


def _check_money(
    payload: dict[str, Any], name: str, problems: list[str], *, required: bool
) -> dict[str, Any]:
    return _check_pattern(
        payload, name, problems, required=required, pattern=MONEY_PATTERN, problem=MONEY_PROBLEM
    )


def _check_time(
    payload: dict[str, Any], name: str, problems: list[str], *, required: bool
) -> dict[str, Any]:
    return _check_pattern(
        payload,
        name,
        problems,
        required=required,
        pattern=ISO_TIME_PATTERN,
        problem="must be an ISO 8601 date string",
    )


def validate_session(payload: dict[str, Any], *, partial: bool) -> tuple[dict, list[str]]:
    problems: list[str] = []
    clean = _check_strings(payload, SESSION_STRINGS_REQUIRED, problems, required=True)
    clean |= _check_strings(payload, SESSION_STRINGS_OPTIONAL, problems, required=False)
    clean |= _check_time(payload, "openTime", problems, required=True)
    clean |= _check_time(payload, "closeTime", problems, required=False)
    clean |= _check_money(payload, "openingAmount", problems, required=True)
    clean |= _check_money(payload, "closingAmount", problems, required=False)
    notes = payload.get("notes")
    if not isinstance(notes, list) or not all(isinstance(note, str) for note in notes):
        problems.append("notes must be an array of strings")
    else:
        clean["notes"] = notes
    amounts = payload.get("closingAmounts")
    if not isinstance(amounts, dict):
        problems.append("closingAmounts must be an object")
    else:
        clean["closingAmounts"] = {}
        for method, value in amounts.items():
            if isinstance(value, str) and MONEY_PATTERN.fullmatch(value):
                clean["closingAmounts"][method] = value
            else:
                problems.append(f"closingAmounts.{method} {MONEY_PROBLEM}")
    return clean | _others(payload, SESSION_NAMED), problems


def validate_station(payload: dict[str, Any], *, partial: bool) -> tuple[dict, list[str]]:
    problems: list[str] = []
    clean = _check_strings(payload, STATION_STRINGS[:3], problems, required=not partial)
    clean |= _check_strings(payload, STATION_STRINGS[3:], problems, required=False)
    if "sequenceNumber" in payload:
        value = payload["sequenceNumber"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append("sequenceNumber must be a number")
        else:
            clean["sequenceNumber"] = value
    if "isVirtual" in payload:
        if not isinstance(payload["isVirtual"], bool):
            problems.append("isVirtual must be a boolean value")
        else:
            clean["isVirtual"] = payload["isVirtual"]
    return clean | _others(payload, STATION_NAMED), problems


def validate_outlet(payload: dict[str, Any], *, partial: bool) -> tuple[dict, list[str]]:
    problems: list[str] = []
    clean = _check_strings(payload, OUTLET_STRINGS_REQUIRED, problems, required=not partial)
    clean |= _check_strings(payload, OUTLET_STRINGS_OPTIONAL, problems, required=False)
    if "stations" in payload:
        stations = payload["stations"]
        if not isinstance(stations, list) or not all(isinstance(s, str) for s in stations):
            problems.append("stations must be an array of strings")
        else:
            clean["stations"] = stations
    if "stripe" in payload:
        stripe = payload["stripe"]
        if not isinstance(stripe, dict) or not isinstance(stripe.get("locationId", ""), str):
            problems.append("stripe must be an object")
        else:
            clean["stripe"] = stripe
    return clean | _others(payload, OUTLET_NAMED), problems


VALIDATORS = {"session": validate_session, "station": validate_station, "outlet": validate_outlet}
