"""Error reports to Sentry, on only when SENTRY_DSN is set: the Django integration, no personal
data, no frame variables, and never the Final POS API key."""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import ignore_logger
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

FILTERED = "[Filtered]"


def sentry_init(
    *, dsn: str, environment: str, release: str, secrets: list[str], **options: Any
) -> None:
    """`secrets` are replaced wherever they appear in an event; `options` go to sentry_sdk.init
    (the tests pass a transport)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        # A frame's variables could hold the key (the client's headers): never sent.
        include_local_variables=False,
        # Header names arrive as X-Api-Key; the default list only has x_api_key.
        event_scrubber=EventScrubber(denylist=[*DEFAULT_DENYLIST, "x-api-key"], recursive=True),
        before_send=_scrubbing([secret for secret in secrets if secret]),
        **options,
    )
    # A failed request's log line would repeat, as a second event, the error Django reports.
    ignore_logger("finalpos_dashboard.requests")


def _scrubbing(secrets: list[str]) -> Any:
    def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
        return _without_secrets(event, secrets)

    return before_send


def _without_secrets(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, FILTERED)
        return value
    if isinstance(value, dict):
        return {key: _without_secrets(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_secrets(item, secrets) for item in value]
    return value
