"""Site-wide pages: the favicon, "forgot your password", and the error pages (kept simple so
they cannot fail)."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import requires_csrf_token

from finalpos_dashboard.log_format import request_id
from sessions_app.notifications import email_configured
from sessions_app.services.staff_admin import staff_password_chosen


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(static("img/favicon.svg"))


@method_decorator(login_not_required, name="dispatch")
class PasswordResetByEmail(auth_views.PasswordResetView):
    """Django's "forgot your password" form, only where e-mail reaches people: otherwise the
    link would only be printed in the server's log."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not email_configured():
            return render(request, "registration/password_reset_form.html", {"form": None})
        return super().dispatch(request, *args, **kwargs)


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
    context = {
        "stylesheet_url": _static_url("css/site.css"),
        "favicon_url": _static_url("img/favicon.svg"),
        "request_id": request_id.get(),
    }
    return HttpResponse(loader.get_template("500.html").render(context), status=500)


def _static_url(path: str) -> str:
    """The hashed URL of a static file, or its plain URL when the manifest cannot give it
    (collectstatic not run, a broken deploy): the 500 page must render whatever failed."""
    try:
        return static(path)
    except Exception:  # ValueError from the manifest, or whatever the storage raises
        return StaticFilesStorage().url(path)
