"""Demo mode's two sign-ins: a manager of every outlet, and a cashier of one store."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from sessions_app.models import Outlet, OutletAssignment, StaffProfile
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP

CASHIER_OUTLET = "Harbour Street"  # the demo company's first store


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    first_name: str
    last_name: str
    group: str


DEMO_ACCOUNTS = (
    DemoAccount("manager", "manager-demo", "Maya", "Okafor", MANAGER_GROUP),
    DemoAccount("cashier", "cashier-demo", "Sam", "Rivera", CASHIER_GROUP),
)


def _outlet_ids_for(account: DemoAccount) -> list[str]:
    """The manager works at every cached outlet, the cashier at the first store only."""
    outlets = Outlet.objects.order_by("name")
    if account.group == CASHIER_GROUP:
        outlets = outlets.filter(name=CASHIER_OUTLET) or outlets[:1]
    return list(outlets.values_list("id", flat=True))


def demo_users_create(*, language: str = "") -> list[str]:
    """Creates (or resets) the demo accounts for the outlets in the catalog, speaking
    ``language`` ("" for their browser's); only allowed in demo mode."""
    if not settings.FINALPOS_DEMO_MODE:
        raise ImproperlyConfigured(
            "Demo accounts are only created in demo mode (no FINALPOS_API_KEY set)."
        )
    created = []
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=account.username)
            user.first_name, user.last_name = account.first_name, account.last_name
            user.email = f"{account.username}@demo.invalid"
            user.set_password(account.password)
            user.is_active = True
            user.save()
            user.groups.set([Group.objects.get_or_create(name=account.group)[0]])
            StaffProfile.objects.update_or_create(user=user, defaults={"language": language})
            outlet_ids = _outlet_ids_for(account)
            OutletAssignment.objects.filter(user=user).exclude(outlet_id__in=outlet_ids).delete()
            for outlet_id in outlet_ids:
                OutletAssignment.objects.get_or_create(user=user, outlet_id=outlet_id)
            created.append(account.username)
    return created
