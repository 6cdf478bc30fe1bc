"""Who may do what: the Cashier and Manager groups, and outlet scoping.

Every check runs on the server; templates only use these helpers to decide what to show.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Value
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

CASHIER_GROUP = "Cashier"
MANAGER_GROUP = "Manager"

AnyUser = User | AnonymousUser

__all__ = ["CASHIER_GROUP", "MANAGER_GROUP", "AnyUser", "AuthenticatedRequest", "User"]


class AuthenticatedRequest(HttpRequest):
    """The request a view behind staff_required or manager_required receives."""

    user: User


@dataclass(frozen=True)
class _Scope:
    groups: frozenset[str]
    outlet_ids: frozenset[str]


def _scope(user: User) -> _Scope:
    """The user's groups and outlets, read once per user object and in one query: every
    signed-in page asks for both."""
    cached: _Scope | None = getattr(user, "_scope_cache", None)
    if cached is None:
        groups = user.groups.annotate(kind=Value("group")).values_list("kind", "name")
        outlets = user.outlet_assignments.annotate(kind=Value("outlet")).values_list(
            "kind", "outlet_id"
        )
        rows = list(groups.union(outlets, all=True))
        cached = _Scope(
            groups=frozenset(name for kind, name in rows if kind == "group"),
            outlet_ids=frozenset(name for kind, name in rows if kind == "outlet"),
        )
        user._scope_cache = cached  # type: ignore[attr-defined]
    return cached


def _group_names(user: AnyUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    return _scope(user).groups


def is_manager(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or MANAGER_GROUP in _group_names(user))
    )


def is_cashier(user: AnyUser) -> bool:
    return CASHIER_GROUP in _group_names(user)


def is_staff_member(user: AnyUser) -> bool:
    """A user who may use the dashboard at all."""
    return is_manager(user) or is_cashier(user)


def allowed_outlet_ids(user: AnyUser) -> frozenset[str] | None:
    """The Final POS outlet ids this user may see; None means every outlet (superusers)."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    return _scope(user).outlet_ids


@dataclass(frozen=True)
class StaffReach:
    """What one person may change about one staff member's account."""

    details: bool  # name, e-mail and password
    role: bool
    outlets: bool  # which of the person's own outlets the member works at
    active: bool  # deactivate or reactivate

    @property
    def anything(self) -> bool:
        return self.details or self.role or self.outlets or self.active


NO_REACH = StaffReach(details=False, role=False, outlets=False, active=False)


def staff_reach(actor: User | None, member: User, member_outlet_ids: frozenset[str]) -> StaffReach:
    """What the actor may change about the member (actor None: the command line, which may
    change anything). Superusers manage everyone; a manager, the staff who share an outlet
    with them, never a superuser. A member who also works at outlets the manager does not hold
    can only be given or taken off the manager's own outlets: their name, e-mail, password,
    role and sign-in apply at those other outlets too."""
    if actor is not None and not actor.is_superuser:
        held = allowed_outlet_ids(actor) or frozenset()
        if not is_manager(actor) or member.is_superuser or not member_outlet_ids & held:
            return NO_REACH
        if member_outlet_ids - held:
            return StaffReach(details=False, role=False, outlets=True, active=False)
    is_self = actor is not None and member.pk == actor.pk
    has_role = not member.is_superuser and not is_self
    return StaffReach(details=True, role=has_role, outlets=has_role, active=not is_self)


def display_name(user: User) -> str:
    """The name written to Final POS as openedBy / closedBy."""
    return (user.get_full_name() or user.get_username()).strip()


ViewFunction = Callable[..., HttpResponseBase]


def staff_required(view: ViewFunction) -> ViewFunction:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_staff_member(request.user):
            raise PermissionDenied(_("Your account is not a cashier or a manager yet."))
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view: ViewFunction) -> ViewFunction:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_manager(request.user):
            raise PermissionDenied(_("This page is for managers."))
        return view(request, *args, **kwargs)

    return wrapper
