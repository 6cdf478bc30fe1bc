"""How log records are written: one JSON object per line in production, so a platform's log
search can filter on fields, and every record made while serving a request carries its id.

Only the standard library: a formatter and a filter are a few lines, and the fields are ours.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime
from typing import Any

# The id of the request being served in this thread, set by RequestLogMiddleware.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
}


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request it was made in (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One line per record: UTC time, level, logger, message, the request id, any `extra=`
    fields, and a traceback kept inside the record rather than spread over many lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current_request = getattr(record, "request_id", None)
        if current_request:
            entry["request_id"] = current_request
        for name, value in record.__dict__.items():
            if name not in _STANDARD_ATTRIBUTES and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
