"""One HTTP exchange with Final POS, and what its failure means.

The line that matters is whether a change could have reached Final POS: a write that failed
before it was sent (no connection) changed nothing; one whose answer was lost after it was sent
(a read timeout, a dropped connection, a 5xx, an unreadable answer) may have, and is reported as
FinalPOSOutcomeUnknown so the service reads the record again before saying anything.
"""

import logging
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext_lazy as _
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from sessions_app.finalpos.errors import (
    FinalPOSAuthError,
    FinalPOSBadResponse,
    FinalPOSBusy,
    FinalPOSError,
    FinalPOSNotFound,
    FinalPOSOutcomeUnknown,
    FinalPOSRedirected,
    FinalPOSRejected,
    FinalPOSUnavailable,
)

logger = logging.getLogger(__name__)

WRITES = {"POST", "PUT", "DELETE", "PATCH"}
RETRYABLE_GATEWAY_STATUSES = {502, 503, 504}
DEFAULT_RETRY_AFTER = 30.0
LONGEST_RETRY_AFTER = 600.0


class RetryableRead(Exception):
    """A read that failed before any answer came; one more try is safe."""

    def __init__(self, error: FinalPOSError) -> None:
        self.error = error


def exchange(
    http: requests.Session,
    method: str,
    url: str,
    *,
    params: dict[str, Any] | None,
    body: dict[str, Any] | None,
    timeout: tuple[float, float],
    attempt: int,
) -> Any:
    """Sends one request and returns the decoded answer, or raises what happened."""
    started = time.perf_counter()
    status: int | str = "-"
    write = method in WRITES
    try:
        response = http.request(
            method, url, params=params, json=body, timeout=timeout, allow_redirects=False
        )
        status = response.status_code
    except requests.ConnectTimeout:
        status = "connect-timeout"
        raise RetryableRead(_unreachable()) from None
    except requests.Timeout:
        status = "timeout"
        if write:
            raise FinalPOSOutcomeUnknown(
                _(
                    "Final POS did not answer in time after the change was sent, so it may or "
                    "may not have been saved."
                )
            ) from None
        raise FinalPOSUnavailable(
            _("Final POS did not answer in time. Try again shortly.")
        ) from None
    except requests.ConnectionError as error:
        status = "connection-error"
        if _nothing_sent(error):
            raise RetryableRead(_unreachable()) from None
        if write:
            raise FinalPOSOutcomeUnknown(
                _(
                    "The connection to Final POS dropped after the change was sent, so it may "
                    "or may not have been saved."
                )
            ) from None
        raise RetryableRead(
            FinalPOSUnavailable(_("The connection to Final POS dropped. Try again shortly."))
        ) from None
    except requests.RequestException:
        status = "request-error"
        raise (FinalPOSOutcomeUnknown() if write else FinalPOSUnavailable()) from None
    finally:
        logger.info(
            "finalpos %s %s -> %s in %.1f ms%s",
            method,
            urlsplit(url).path,
            status,
            (time.perf_counter() - started) * 1000,
            f" (attempt {attempt})" if attempt > 1 else "",
        )
    return decode(response, write=write)


def _unreachable() -> FinalPOSUnavailable:
    return FinalPOSUnavailable(
        _("The dashboard could not reach Final POS; nothing was sent. Try again shortly.")
    )


def _nothing_sent(error: requests.ConnectionError) -> bool:
    """A connection that was never made (refused, no route, no such host): nothing was sent."""
    reason = error.args[0] if error.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def decode(response: requests.Response, *, write: bool) -> Any:
    status = response.status_code
    if 200 <= status < 300:
        if not response.content:
            return None
        try:
            return response.json()
        except (ValueError, RecursionError):
            if write:
                raise FinalPOSOutcomeUnknown(
                    _(
                        "Final POS answered the change with something the dashboard could not "
                        "read, so whether it was saved is not known yet."
                    ),
                    status=status,
                ) from None
            raise FinalPOSBadResponse(status=status) from None
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", "")).hostname or _("another address")
        raise FinalPOSRedirected(
            _(
                "Final POS answered with a redirect to %(target)s; the dashboard does not "
                "follow redirects. Check FINALPOS_BASE_URL."
            ),
            status=status,
            params={"target": target},
        )
    messages = _error_messages(response)
    said = "; ".join(messages)
    if status in (401, 403):
        raise FinalPOSAuthError(status=status)
    if status == 404 and _api_says_no_such_record(response):
        raise FinalPOSNotFound(
            _("Final POS has no record with that id (Final POS said: %(said)s).") if said else "",
            status=status,
            params={"said": said} if said else None,
        )
    if status == 404:  # a gateway's page, or no such route: nothing says the record is gone
        if write:
            raise FinalPOSOutcomeUnknown(
                _(
                    "Something other than Final POS answered the change with “not found”, so "
                    "whether it was saved is not known yet."
                ),
                status=status,
            )
        raise FinalPOSUnavailable(
            _(
                "Something other than Final POS answered “not found” (a gateway, or "
                "FINALPOS_BASE_URL points at the wrong place). Nothing is taken as deleted."
            ),
            status=status,
        )
    if status == 429:
        raise FinalPOSBusy(retry_after=_retry_after(response))
    if status in (400, 409, 422):
        raise FinalPOSRejected(
            status=status, messages=messages, field_errors=_field_errors(messages)
        )
    if status >= 500:
        if write:
            raise FinalPOSOutcomeUnknown(
                _(
                    "Final POS had a problem (HTTP %(status)s) while making the change, so it "
                    "may or may not have been saved."
                ),
                status=status,
                params={"status": status},
            )
        error = FinalPOSUnavailable(
            _("Final POS had a problem (HTTP %(status)s). Try again shortly."),
            status=status,
            params={"status": status},
        )
        if status in RETRYABLE_GATEWAY_STATUSES:
            raise RetryableRead(error)
        raise error
    raise FinalPOSRejected(
        _("Final POS refused the request (HTTP %(status)s)."),
        status=status,
        params={"status": status},
    )


def _api_says_no_such_record(response: requests.Response) -> bool:
    """The API's own JSON error for an unknown id, not a gateway's page and not the
    framework's "Cannot GET /path" for a route that does not exist."""
    try:
        payload = response.json()
    except (ValueError, RecursionError):
        return False
    if not isinstance(payload, dict) or payload.get("statusCode") != 404:
        return False
    message = payload.get("message")
    return not (isinstance(message, str) and message.startswith("Cannot "))


def _retry_after(response: requests.Response) -> float:
    """Retry-After in seconds (an HTTP date is taken as the default wait)."""
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return DEFAULT_RETRY_AFTER
    if seconds != seconds or seconds < 0:  # NaN or negative
        return DEFAULT_RETRY_AFTER
    return min(seconds, LONGEST_RETRY_AFTER)


def _error_messages(response: requests.Response) -> list[str]:
    """The API's `message` (a string or a list); error bodies may be empty or not JSON."""
    try:
        payload = response.json()
    except (ValueError, RecursionError):
        return []
    message = payload.get("message") if isinstance(payload, dict) else None
    if isinstance(message, str):
        return [message[:500]]
    if isinstance(message, list):
        return [str(item)[:500] for item in message[:20]]
    return []


def _field_errors(messages: list[str]) -> dict[str, list[str]]:
    """NestJS-style messages start with the property name: 'openingAmount must be ...'."""
    errors: dict[str, list[str]] = {}
    for message in messages:
        first_word = message.split(" ", 1)[0].split(".", 1)[0]
        if first_word and first_word[0].islower() and first_word.isalnum():
            errors.setdefault(first_word, []).append(message)
    return errors
