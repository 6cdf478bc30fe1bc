"""Helpers shared by the views: the shift a user may see, write failures told, where a form
sends the person back to."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.log import log_response
from django.utils.translation import gettext as _

from sessions_app.finalpos import FinalPOSError, FinalPOSNotSeenYet, FinalPOSOutcomeUnknown
from sessions_app.models import SessionRecord
from sessions_app.policy import outlet_money_activate
from sessions_app.roles import AuthenticatedRequest, ViewFunction
from sessions_app.selectors.shifts import shift_for_user
from sessions_app.services.errors import ApplicationError
from sessions_app.services.shift_checks import ShiftWriteResult


def shift_for_user_or_404(request: AuthenticatedRequest, session_id: str) -> SessionRecord:
    """The shift if it is in the index and at one of the user's outlets, else 404. The page
    then shows times in the outlet's time zone and amounts in the shift's currency, and counts
    the outlet's notes and coins (sessions_app.timezones)."""
    record = shift_for_user(user=request.user, session_id=session_id)
    if record is None:
        raise Http404(_("No shift with that id at your outlets."))
    policy = outlet_money_activate(record.outlet_id, record.currency)
    timezone.activate(policy.time_zone)
    return record


def write_failed_message(error: FinalPOSError | ApplicationError) -> str:
    """What to tell the person when a write did not happen. A refusal of ours already says
    what was (not) done; a failure of Final POS gets "Nothing was saved" in front."""
    if isinstance(error, ApplicationError):
        return error.message
    if isinstance(error, FinalPOSNotSeenYet):
        return _(
            "Not confirmed yet: %(reason)s Reload the page in a minute to see what Final POS "
            "has before trying again."
        ) % {"reason": error.message}
    if isinstance(error, FinalPOSOutcomeUnknown):
        return _(
            "Not confirmed: %(reason)s The dashboard could not check yet; reload the page to "
            "see what Final POS has before trying again."
        ) % {"reason": error.message}
    return _("Nothing was saved: %(reason)s") % {"reason": error.message}


def upstream_version(record: SessionRecord) -> str:
    """The upstream updatedAt, exactly (microseconds kept), for the stale-write check."""
    return record.upstream_updated_at.isoformat() if record.upstream_updated_at else ""


def rebound_with_latest_version[AnyForm: Form](
    form: AnyForm, record: SessionRecord, **form_options: Any
) -> AnyForm:
    """The same typed values, now checked against the version Final POS holds, so a second
    submit after 'changed meanwhile' is not refused again. ``form_options`` are the form's own
    arguments, as it was made."""
    record.refresh_from_db()
    data = {name: form.data[name] for name in form.data}
    data["updated_at"] = upstream_version(record)
    rebound = type(form)(data, **form_options)
    rebound.is_valid()
    return rebound


def warn_till_status(request: AuthenticatedRequest, result: ShiftWriteResult) -> None:
    if result.station_status_error:
        messages.warning(
            request,
            _(
                "The till's status in Final POS could not be updated (%(error)s). The shift "
                "is saved; the status will be retried."
            )
            % {"error": result.station_status_error},
        )


def local_url_or(url: str | None, fallback: str) -> str:
    """``url`` when it is a path on this site, else ``fallback``: a form's "back to where you
    were" is never a way to send someone to another site."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return fallback


def require_post_from(form_page: str, *carried: str) -> Callable[[ViewFunction], ViewFunction]:
    """``require_POST`` for an address a person can open by hand (a reload, a bookmark, the
    browser's history): a GET or HEAD goes to ``form_page``, the page that holds the form, with
    the URL arguments named in ``carried``, instead of a blank 405; other methods are still
    refused."""

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in ("GET", "HEAD"):
                return redirect(form_page, **{name: kwargs[name] for name in carried})
            if request.method != "POST":
                refused = HttpResponseNotAllowed(["POST"])
                log_response(
                    "Method Not Allowed (%s): %s",
                    request.method,
                    request.path,
                    response=refused,
                    request=request,
                )
                return refused
            return view(request, *args, **kwargs)

        return guarded

    return decorator
