"""The failures a Final POS call can end in, each saying whether retrying can help.

Messages are written for the person at the till, in the language of the request that made
the call (as the audit trail's summaries are); they never contain the API key.
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


class FinalPOSError(Exception):
    """Base class: something went wrong talking to Final POS."""

    retryable = False
    default_message: str | Promise = gettext_lazy("Final POS could not complete the request.")

    def __init__(
        self,
        message: str | Promise = "",
        *,
        status: int | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self._text = message or self.default_message
        self._params = dict(params) if params is not None else None
        self.message = self._render()
        self.status = status
        super().__init__(self.message)

    def _render(self) -> str:
        text = str(self._text)
        if self._params is not None:
            text = text % self._params
        # A message can quote what Final POS sent (a field's name); it is stored in the audit
        # trail and on the shift, and PostgreSQL refuses NUL in text.
        return text.replace("\x00", "")

    @property
    def stored_message(self) -> str:
        """The message in the site's language, for a field everyone reads (a shift's last
        error, a refresh's state); ``message``, in the person's, is for their page and their
        audit row."""
        with translation.override(settings.LANGUAGE_CODE):
            return self._render()


class FinalPOSUnavailable(FinalPOSError):
    """Timeout, connection failure or a 5xx: the API is down or slow; try again later."""

    retryable = True
    default_message = gettext_lazy("Final POS is not answering right now. Try again shortly.")


class FinalPOSCircuitOpen(FinalPOSUnavailable):
    """Recent calls failed, so we are not calling Final POS for a short cool-down."""

    # No time of its own: the page's banner says when the dashboard asks again.
    default_message = gettext_lazy(
        "Final POS has been failing, so the dashboard is pausing calls to it for a moment."
    )


class FinalPOSOutcomeUnknown(FinalPOSUnavailable):
    """A change was sent and its answer was lost (a timeout after sending, a dropped
    connection, a 5xx, an unreadable answer): Final POS may or may not have made it. Never
    treated as "nothing saved": the service reads the record again to settle it."""

    default_message = gettext_lazy(
        "Final POS did not confirm the change, so it may or may not have been saved."
    )


class FinalPOSNotSeenYet(FinalPOSOutcomeUnknown):
    """An answer was lost, and the change is not in the record yet, read again soon after: a
    write may still land after its answer was lost, so this is not "nothing saved" yet."""

    default_message = gettext_lazy(
        "Final POS did not answer, and the change does not show there yet: it may still arrive."
    )


class FinalPOSNotSaved(FinalPOSUnavailable):
    """An answer was lost, and reading the record again shows the change is not there."""

    default_message = gettext_lazy(
        "Final POS did not answer, and reading the record again shows the change was not "
        "saved. Try again."
    )


class FinalPOSBusy(FinalPOSUnavailable):
    """429: Final POS asks the dashboard to slow down; calls pause for Retry-After."""

    default_message = gettext_lazy(
        "Final POS is busy and asked the dashboard to wait. Try again in a minute."
    )

    def __init__(
        self, message: str | Promise = "", *, retry_after: float, status: int = 429
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, status=status)


class FinalPOSRedirected(FinalPOSError):
    """A 3xx: the dashboard never follows a redirect (it would carry the API key to another
    host); the address is probably wrong."""


class FinalPOSBadResponse(FinalPOSUnavailable):
    """Final POS answered with something we could not read (not the JSON we expected)."""

    default_message = gettext_lazy(
        "Final POS sent an answer the dashboard could not read. Try again shortly."
    )


class FinalPOSAuthError(FinalPOSError):
    """401/403: the API key is missing, wrong or lacks access. Retrying will not help."""

    default_message = gettext_lazy(
        "Final POS refused the dashboard's API key. Ask an administrator to check FINALPOS_API_KEY."
    )


class FinalPOSNotFound(FinalPOSError):
    """404: no such session, station or outlet in this company."""

    default_message = gettext_lazy("Final POS has no record with that id.")


class FinalPOSRejected(FinalPOSError):
    """400/422: the API refused the data; ``messages`` says why, field by field when it can."""

    default_message = gettext_lazy("Final POS rejected the data.")

    def __init__(
        self,
        message: str | Promise = "",
        *,
        status: int | None = None,
        messages: list[str] | None = None,
        field_errors: dict[str, list[str]] | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.messages = messages or []
        self.field_errors = field_errors or {}
        if not message and self.messages:
            message = gettext_lazy("Final POS rejected the data: %(reasons)s")
            params = {"reasons": "; ".join(self.messages)}
        super().__init__(message, status=status, params=params)


class InvalidFinalPOSId(FinalPOSError, ValueError):
    """An id that cannot be a Final POS id (24 letters and digits); no call was made."""

    default_message = gettext_lazy("That is not a valid Final POS id (24 letters and digits).")
