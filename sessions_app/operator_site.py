"""The operator's view's site (sessions_app/admin.py has what it shows): Django's admin for
superusers only, behind the dashboard's own throttled sign-in."""

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OperatorSite(admin.AdminSite):
    site_header = _("Till close · operator's view")
    site_title = _("Operator's view")
    index_title = _("Tasks, locks, lockouts and the audit trail")
    site_url = "/"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    @login_not_required
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponseRedirect:
        """The dashboard's own sign-in (throttled), never the admin's unthrottled one; a
        signed-in person who is not a superuser is refused, not sent round in circles."""
        if request.user.is_authenticated:
            raise PermissionDenied(_("The operator's view is for superusers."))
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))
