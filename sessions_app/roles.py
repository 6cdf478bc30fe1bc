"""Who may do what: the Cashier and Manager groups, and outlet scoping.

Every check runs on the server; templates only use these helpers to decide what to show.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

CASHIER_GROUP = "Cashier"
MANAGER_GROUP = "Manager"

User = AbstractBaseUser | AnonymousUser


def _group_names(user: Any) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_group_names_cache", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._group_names_cache = cached
    return cached


def is_manager(user: Any) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or MANAGER_GROUP in _group_names(user))
    )


def is_cashier(user: Any) -> bool:
    return CASHIER_GROUP in _group_names(user)


def is_staff_member(user: Any) -> bool:
    """A user who may use the dashboard at all."""
    return is_manager(user) or is_cashier(user)


def allowed_outlet_ids(user: Any) -> frozenset[str] | None:
    """The Final POS outlet ids this user may see; None means every outlet (superusers)."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, "_outlet_ids_cache", None)
    if cached is None:
        cached = frozenset(user.outlet_assignments.values_list("outlet_id", flat=True))
        user._outlet_ids_cache = cached
    return cached


def can_see_outlet(user: Any, outlet_id: str) -> bool:
    allowed = allowed_outlet_ids(user)
    return allowed is None or outlet_id in allowed


def display_name(user: Any) -> str:
    """The name written to Final POS as openedBy / closedBy."""
    return (user.get_full_name() or user.get_username()).strip()


ViewFunction = Callable[..., HttpResponse]


def staff_required(view: ViewFunction) -> ViewFunction:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_member(request.user):
            raise PermissionDenied("Your account is not a cashier or a manager yet.")
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view: ViewFunction) -> ViewFunction:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_manager(request.user):
            raise PermissionDenied("This page is for managers.")
        return view(request, *args, **kwargs)

    return wrapper
