"""Site-wide pages: the favicon, "forgot your password", and the error pages (kept simple so
they cannot fail)."""

import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.db import DatabaseError, InterfaceError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from finalpos_dashboard.log_format import request_id
from sessions_app.password_reset import password_reset_offered, reset_request_allowed
from sessions_app.services.staff_admin import staff_password_chosen
from sessions_app.signin import client_address
from sessions_app.tasks import password_reset_mail


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(static("img/favicon.svg"))


@method_decorator(login_not_required, name="dispatch")
class PasswordResetByEmail(auth_views.PasswordResetView):
    """Django's "forgot your password" form, only where e-mail reaches people and the site
    knows its address (sessions_app/password_reset.py). The e-mail is queued for the worker,
    whatever the address: the answer is the same, in the same time, for an account and for
    no account."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not password_reset_offered():
            return render(request, "registration/password_reset_form.html", {"form": None})
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not reset_request_allowed(client_address(self.request)):
            form.add_error(
                None,
                _(
                    "Too many password links were asked for from this network. Wait an hour "
                    "and try again, or ask your manager to set a new password for you."
                ),
            )
            return self.form_invalid(form)
        origin = settings.SITE_URL or f"{self.request.scheme}://{self.request.get_host()}"
        password_reset_mail.enqueue(form.cleaned_data["email"], origin)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmAndUnlock(auth_views.PasswordResetConfirmView):
    """Django's "choose a new password" page behind an e-mailed link; the new password also
    lifts a sign-in lockout, as the locked-out message promises."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        staff_password_chosen(member=form.user)
        return response


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database or the cache may be what failed. The page links
    # the site's stylesheet (the Content-Security-Policy refuses inline styles).
    database_down = isinstance(sys.exc_info()[1], DatabaseError | InterfaceError)
    context = {
        "stylesheet_url": _static_url("css/site.css"),
        "favicon_url": _static_url("img/favicon.svg"),
        "request_id": request_id.get(),
        "database_down": database_down,
    }
    page = loader.get_template("500.html").render(context)
    if database_down:  # not a fault of the page: the database is away for a moment
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(page, status=500)


def _static_url(path: str) -> str:
    """The hashed URL of a static file, or its plain URL when the manifest cannot give it
    (collectstatic not run, a broken deploy): the 500 page must render whatever failed."""
    try:
        return static(path)
    except Exception:  # ValueError from the manifest, or whatever the storage raises
        return StaticFilesStorage().url(path)
