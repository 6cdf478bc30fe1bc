"""Drafts kept in the browser (static/js/site.js) while a till form is typed: the server says
which ones to forget once Final POS has accepted what they held."""

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest, QueryDict

# A message no page shows: it carries the key of a draft to forget to the next page, in the
# messages' cookie beside the "saved" message it goes with (not a session write per write).
ACCEPTED_TAG = "draft-accepted"
# Never kept: tokens and the ids of one attempt (a new attempt gets new ones).
NOT_KEPT = {"csrfmiddlewaretoken", "close_request_id", "updated_at", "action"}


def draft_accepted(request: HttpRequest, key: str) -> None:
    """The next page tells the browser to forget the draft stored under ``key``."""
    messages.info(request, key, extra_tags=ACCEPTED_TAG)


def page_messages(request: HttpRequest) -> tuple[list[Message], list[str]]:
    """The messages for the page to show, and the keys of the drafts to forget (every
    message is then used, as a page that shows them uses them)."""
    shown: list[Message] = []
    accepted: list[str] = []
    for message in messages.get_messages(request):
        if message.extra_tags == ACCEPTED_TAG:
            accepted.append(str(message.message))
        else:
            shown.append(message)
    return shown, accepted


def typed_keep(request: HttpRequest, key: str, data: QueryDict) -> None:
    """What was typed on a form whose write's answer was lost, kept on the server too: if the
    write turns out not saved, the form comes back with it (with or without the browser's
    draft)."""
    request.session[f"typed:{key}"] = {
        name: value for name, value in data.items() if name not in NOT_KEPT
    }


def typed_take(request: HttpRequest, key: str) -> dict[str, str]:
    """What ``typed_keep`` kept for the form, once (empty when nothing was kept)."""
    kept: dict[str, str] = request.session.pop(f"typed:{key}", {})
    return kept
