"""Drafts kept in the browser (static/js/site.js) while a till form is typed: the server says
which ones to forget once Final POS has accepted what they held."""

from django.http import HttpRequest

SESSION_KEY = "drafts_accepted"


def draft_accepted(request: HttpRequest, key: str) -> None:
    """The next page tells the browser to forget the draft stored under ``key``."""
    accepted = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*accepted, key][-10:]


def drafts_accepted_pop(request: HttpRequest) -> list[str]:
    session = getattr(request, "session", None)
    return session.pop(SESSION_KEY, []) if session is not None else []
