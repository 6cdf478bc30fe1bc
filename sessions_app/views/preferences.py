"""A person's own settings: their language, and (managers) review alerts by e-mail."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from sessions_app.forms import AlertPreferencesForm, LanguagePreferenceForm
from sessions_app.languages import language_remember
from sessions_app.roles import AuthenticatedRequest, manager_required, staff_required
from sessions_app.services.staff import (
    alert_preference_set,
    language_preference_set,
    staff_profile_for,
)


@manager_required
def preferences_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.method != "POST":
        profile = staff_profile_for(user=request.user)
        form = AlertPreferencesForm(
            initial={
                "variance_alerts": profile.variance_alerts,
                "weekly_digest": profile.weekly_digest,
            }
        )
        return render(request, "account/preferences.html", {"form": form})
    form = AlertPreferencesForm(request.POST)  # an unticked box posts nothing: off
    if not form.is_valid():
        return render(request, "account/preferences.html", {"form": form})
    enabled = form.cleaned_data["variance_alerts"]
    digest = form.cleaned_data["weekly_digest"]
    alert_preference_set(user=request.user, enabled=enabled, weekly_digest=digest)
    messages.success(
        request, _("Your e-mail settings are saved: %(what)s.") % {"what": _said(enabled, digest)}
    )
    return redirect("sessions_app:preferences")


def _said(alerts: bool, digest: bool) -> str:
    if alerts and digest:
        return _("review alerts and the weekly digest")
    if alerts:
        return _("review alerts only")
    if digest:
        return _("the weekly digest only")
    return _("no e-mail")


@staff_required
def language_view(request: AuthenticatedRequest) -> HttpResponse:
    """Everyone's own language; the browser's until they choose."""
    if request.method != "POST":
        profile = staff_profile_for(user=request.user)
        form = LanguagePreferenceForm(initial={"language": profile.language})
        return render(request, "account/language.html", {"form": form})
    form = LanguagePreferenceForm(request.POST)
    if not form.is_valid():
        return render(request, "account/language.html", {"form": form})
    language = form.cleaned_data["language"]
    language_preference_set(user=request.user, language=language)
    language_remember(request, language)
    translation.activate(language or translation.get_language_from_request(request))
    messages.success(request, _("Your language is saved."))
    return redirect("sessions_app:language")
