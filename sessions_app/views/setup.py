"""Setup of outlets and tills (Final POS stations), for managers and superusers.

Every change is written to Final POS first; the local cache is updated from its answer.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions_app.finalpos import FinalPOSError
from sessions_app.formatting import money
from sessions_app.forms import OutletForm, OutletSettingsForm, TillForm
from sessions_app.models import Outlet, Station
from sessions_app.money import active_currency, is_known_currency
from sessions_app.policy import outlet_money_activate, site_amount_in
from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.selectors.board import board_outlets
from sessions_app.selectors.catalog import (
    catalog_held_removal_ids,
    catalog_held_removals,
    catalog_sync_state,
    outlet_for_user,
    outlet_of,
    till_for_user,
)
from sessions_app.services.catalog import catalog_refresh, catalog_removals_confirm
from sessions_app.services.errors import ApplicationError, SetupError
from sessions_app.services.outlet_settings import (
    OUTLET_POLICY_FIELDS,
    outlet_settings_for,
    outlet_settings_update,
)
from sessions_app.services.setup import (
    OutletDetails,
    outlet_create,
    outlet_update,
    till_create,
    till_delete,
    till_rename,
)
from sessions_app.views.common import require_post_from, write_failed_message


def _outlet_or_404(request: AuthenticatedRequest, outlet_id: str) -> Outlet:
    outlet = outlet_for_user(user=request.user, outlet_id=outlet_id)
    if outlet is None:
        raise Http404(_("No such outlet among yours."))
    return outlet


def _till_or_404(request: AuthenticatedRequest, station_id: str) -> Station:
    till = till_for_user(user=request.user, station_id=station_id)
    if till is None:
        raise Http404(_("No such till at your outlets."))
    return till


@manager_required
def setup_overview_view(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "setup/overview.html",
        {
            "outlets": board_outlets(user=request.user),
            "catalog_state": catalog_sync_state(),
            "held": catalog_held_removals(user=request.user),
        },
    )


@require_post_from("sessions_app:setup_overview")
@manager_required
def catalog_removals_confirm_view(request: AuthenticatedRequest) -> HttpResponse:
    """A manager confirms that outlets and tills Final POS stopped listing are gone. Only
    the ones shown to them (their own, still unlisted at this refresh) are removed."""
    confirmed = catalog_held_removal_ids(user=request.user, among=request.POST.getlist("remove"))
    try:
        result = catalog_removals_confirm(confirmed_by_user=request.user, ids=confirmed)
    except FinalPOSError as error:
        messages.error(
            request, _("Could not refresh from Final POS: %(error)s") % {"error": error.message}
        )
    else:
        messages.success(
            request,
            _("Removed %(count)d outlets and tills that Final POS no longer lists.")
            % {"count": result.removed},
        )
    return redirect("sessions_app:setup_overview")


@require_post_from("sessions_app:setup_overview")
@manager_required
def catalog_refresh_view(request: AuthenticatedRequest) -> HttpResponse:
    try:
        result = catalog_refresh()
    except FinalPOSError as error:
        messages.error(
            request, _("Could not refresh from Final POS: %(error)s") % {"error": error.message}
        )
    else:
        messages.success(
            request,
            _("Refreshed from Final POS: %(outlets)d outlets, %(stations)d tills.")
            % {"outlets": result.outlets, "stations": result.tills},
        )
        if result.held_outlets or result.held_tills:
            messages.warning(
                request,
                _(
                    "Final POS no longer lists %(outlets)d outlets and %(stations)d tills. "
                    "They are kept until you confirm below."
                )
                % {"outlets": result.held_outlets, "stations": result.held_tills},
            )
    return redirect("sessions_app:setup_overview")


@manager_required
def outlet_create_view(request: AuthenticatedRequest) -> HttpResponse:
    form = OutletForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outlet = outlet_create(
                details=OutletDetails(**form.cleaned_data), created_by_user=request.user
            )
        except (FinalPOSError, ApplicationError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            messages.success(request, _("Outlet %(name)s created.") % {"name": outlet.name})
            return redirect("sessions_app:setup_overview")
    return render(request, "setup/outlet_form.html", {"form": form, "outlet": None})


@manager_required
def outlet_edit_view(request: AuthenticatedRequest, outlet_id: str) -> HttpResponse:
    outlet = _outlet_or_404(request, outlet_id)
    initial = {name: getattr(outlet, name) for name in OutletForm.base_fields}
    form = OutletForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outlet = outlet_update(
                outlet=outlet, changes=form.cleaned_data, updated_by_user=request.user
            )
        except (FinalPOSError, ApplicationError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            messages.success(request, _("Outlet %(name)s saved.") % {"name": outlet.name})
            return redirect("sessions_app:setup_overview")
    return render(request, "setup/outlet_form.html", {"form": form, "outlet": outlet})


@manager_required
def outlet_settings_view(request: AuthenticatedRequest, outlet_id: str) -> HttpResponse:
    """The outlet's own rules, kept in the dashboard (Final POS outlets carry none)."""
    outlet = _outlet_or_404(request, outlet_id)
    stored = outlet_settings_for(outlet.id)
    initial = {name: getattr(stored, name) for name in OUTLET_POLICY_FIELDS}
    initial["blind_count"] = (
        "" if stored.blind_count is None else "yes" if stored.blind_count else "no"
    )
    # Amounts are typed in the outlet's currency: the one chosen on the form when it changes.
    posted = request.POST.get("currency")
    if posted == "":  # "the company's currency"
        posted = settings.CURRENCY
    outlet_money_activate(outlet.id, posted if posted and is_known_currency(posted) else "")
    form = OutletSettingsForm(request.POST or None, initial=initial, defaults=_site_defaults())
    if request.method == "POST" and form.is_valid():
        try:
            outlet_settings_update(
                outlet=outlet, changes=form.cleaned_data, updated_by_user=request.user
            )
        except SetupError as error:
            form.add_error("currency", error.message)
        else:
            messages.success(request, _("Rules of %(name)s saved.") % {"name": outlet.name})
            return redirect("sessions_app:setup_overview")
    return render(request, "setup/outlet_settings.html", {"form": form, "outlet": outlet})


def _site_defaults() -> dict[str, str]:
    """The site's rules as they apply in the page's currency (policy.site_amount_in)."""
    here = active_currency()
    return {
        "variance_reason_threshold": money(
            site_amount_in(settings.VARIANCE_REASON_THRESHOLD, here)
        ),
        "variance_approval_threshold": money(
            site_amount_in(settings.VARIANCE_APPROVAL_THRESHOLD, here)
        ),
        "target_float": money(site_amount_in(settings.TARGET_FLOAT, here))
        if settings.TARGET_FLOAT is not None
        else _("the currency's usual float"),
        "cash_rounding": money(settings.CASH_ROUNDING) if settings.CASH_ROUNDING else _("none"),
        "cash_rounding_mode": settings.CASH_ROUNDING_MODE.replace("_", " "),
        "cash_rounding_applies_to": _("cash only")
        if settings.CASH_ROUNDING_APPLIES_TO == "cash"
        else _("every tender"),
        "denominations": _("the currency's"),
        "blind_count": _("yes") if settings.BLIND_COUNT else _("no"),
        "movement_approval_limit": money(site_amount_in(settings.MOVEMENT_APPROVAL_LIMIT, here)),
    }


@manager_required
def till_create_view(request: AuthenticatedRequest, outlet_id: str) -> HttpResponse:
    outlet = _outlet_or_404(request, outlet_id)
    form = TillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            till = till_create(
                outlet=outlet, name=form.cleaned_data["name"], created_by_user=request.user
            )
        except (FinalPOSError, ApplicationError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            messages.success(
                request,
                _("Till %(station)s added to %(outlet)s.")
                % {"station": till.name, "outlet": outlet.name},
            )
            return redirect("sessions_app:setup_overview")
    return render(request, "setup/till_form.html", {"form": form, "outlet": outlet})


@manager_required
def till_edit_view(request: AuthenticatedRequest, station_id: str) -> HttpResponse:
    till = _till_or_404(request, station_id)
    outlet = outlet_of(till)
    form = TillForm(request.POST or None, initial={"name": till.name})
    if request.method == "POST" and form.is_valid():
        try:
            renamed = till_rename(
                till=till, name=form.cleaned_data["name"], renamed_by_user=request.user
            )
        except (FinalPOSError, ApplicationError) as error:
            form.add_error(None, write_failed_message(error))
        else:
            messages.success(request, _("Till renamed to %(name)s.") % {"name": renamed.name})
            return redirect("sessions_app:setup_overview")
    return render(request, "setup/till_form.html", {"form": form, "outlet": outlet, "till": till})


@manager_required
def till_delete_view(request: AuthenticatedRequest, station_id: str) -> HttpResponse:
    till = _till_or_404(request, station_id)
    error_message = ""
    if request.method == "POST":
        try:
            till_delete(till=till, deleted_by_user=request.user)
        except (FinalPOSError, ApplicationError) as error:
            error_message = write_failed_message(error)
        else:
            messages.success(request, _("Till %(name)s deleted.") % {"name": till.name})
            return redirect("sessions_app:setup_overview")
    return render(request, "setup/till_delete.html", {"till": till, "error_message": error_message})
