"""A manager's own settings: whether to get review alerts by e-mail."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions_app.forms import AlertPreferencesForm
from sessions_app.models import StaffProfile
from sessions_app.roles import manager_required


@manager_required
def preferences(request: HttpRequest) -> HttpResponse:
    profile, _created = StaffProfile.objects.get_or_create(user=request.user)
    data = request.POST if request.method == "POST" else None  # an unticked box posts nothing
    form = AlertPreferencesForm(data, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        if profile.variance_alerts:
            messages.success(request, _("You will get an e-mail when a shift needs review."))
        else:
            messages.success(request, _("Review alerts are off for you."))
        return redirect("sessions_app:preferences")
    return render(request, "account/preferences.html", {"form": form})
