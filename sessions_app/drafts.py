"""Drafts kept in the browser (static/js/site.js) while a till form is typed: the server says
which ones to forget once Final POS has accepted what they held."""

from django.http import HttpRequest, QueryDict

SESSION_KEY = "drafts_accepted"
# Never kept: tokens and the ids of one attempt (a new attempt gets new ones).
NOT_KEPT = {"csrfmiddlewaretoken", "close_request_id", "updated_at", "action"}


def draft_accepted(request: HttpRequest, key: str) -> None:
    """The next page tells the browser to forget the draft stored under ``key``."""
    accepted = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*accepted, key][-10:]


def drafts_accepted_pop(request: HttpRequest) -> list[str]:
    session = getattr(request, "session", None)
    return session.pop(SESSION_KEY, []) if session is not None else []


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
