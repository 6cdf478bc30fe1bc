"""A manager's own settings: whether to get review alerts by e-mail."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions_app.forms import AlertPreferencesForm
from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.services.staff import alert_preference_set, staff_profile_for


@manager_required
def preferences_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.method != "POST":
        profile = staff_profile_for(user=request.user)
        form = AlertPreferencesForm(initial={"variance_alerts": profile.variance_alerts})
        return render(request, "account/preferences.html", {"form": form})
    form = AlertPreferencesForm(request.POST)  # an unticked box posts nothing: off
    if not form.is_valid():
        return render(request, "account/preferences.html", {"form": form})
    enabled = form.cleaned_data["variance_alerts"]
    alert_preference_set(user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("You will get an e-mail when a shift needs review."))
    else:
        messages.success(request, _("Review alerts are off for you."))
    return redirect("sessions_app:preferences")
