"""Each person's language: their own choice (My language), else their browser's (Django's
LocaleMiddleware reads Accept-Language), else LANGUAGE_CODE. The choice is kept in the signed-in
session when they sign in or change it, so no request pays a query for it. E-mail, which has no
browser to ask, is written in their choice, else LANGUAGE_CODE."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SESSION_KEY = "language"


def offered(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


def written_language(chosen: str | None) -> str:
    """The language to write to someone in, given the one they chose ("" or None: none)."""
    return chosen if chosen and offered(chosen) else settings.LANGUAGE_CODE


def recipient_language(user: Any) -> str:
    """The language of an e-mail to this person."""
    from sessions_app.models import StaffProfile

    chosen = StaffProfile.objects.filter(user=user).values_list("language", flat=True).first()
    return written_language(chosen)


def language_remember(request: HttpRequest, language: str) -> None:
    """The signed-in session speaks this language from the next page on ("" = the browser's)."""
    if language and offered(language):
        request.session[SESSION_KEY] = language
    else:
        request.session.pop(SESSION_KEY, None)


@receiver(user_logged_in)
def _language_on_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    from sessions_app.models import StaffProfile

    if request is None or not hasattr(request, "session"):
        return
    chosen = StaffProfile.objects.filter(user=user).values_list("language", flat=True).first()
    language_remember(request, chosen or "")


class UserLanguageMiddleware:
    """After the session and the user are known: the person's own language, if they chose one.
    (LocaleMiddleware, earlier, has already taken the browser's.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        chosen = session.get(SESSION_KEY) if session is not None else None
        if chosen and offered(chosen):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
