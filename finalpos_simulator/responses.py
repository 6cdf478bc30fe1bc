"""What the simulator answers: a status, a body and, for faults, a dropped connection."""

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any


@dataclass
class SimulatedResponse:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    drop_connection: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any) -> "SimulatedResponse":
        return cls(status, json.dumps(payload).encode())

    @classmethod
    def error(cls, status: int, message: str | list[str], error: str) -> "SimulatedResponse":
        return cls.json(status, {"statusCode": status, "message": message, "error": error})


def not_found(kind: str, item_id: str) -> SimulatedResponse:
    return SimulatedResponse.error(
        404, f"{kind.capitalize()} with Id {item_id} not found", "Not Found"
    )


def body_required() -> SimulatedResponse:
    return SimulatedResponse.error(400, ["body must be a JSON object"], "Bad Request")


def method_not_allowed(allowed: str) -> SimulatedResponse:
    response = SimulatedResponse.error(405, "Method Not Allowed", "Method Not Allowed")
    response.headers["Allow"] = allowed
    return response


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
