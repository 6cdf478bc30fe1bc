"""The demo company: fixed ids shared by the simulator's seed and the demo accounts."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from sessions_app.models import OutletAssignment, StaffProfile
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP

DEMO_OUTLET_IDS = (
    "6560a1f0c0ffee0000000001",  # Harbour Street
    "6560a1f0c0ffee0000000002",  # Market Square
    "6560a1f0c0ffee0000000003",  # Airport Kiosk
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    first_name: str
    last_name: str
    group: str
    outlet_ids: tuple[str, ...]


DEMO_ACCOUNTS = (
    DemoAccount("manager", "manager-demo", "Maya", "Okafor", MANAGER_GROUP, DEMO_OUTLET_IDS),
    DemoAccount("cashier", "cashier-demo", "Sam", "Rivera", CASHIER_GROUP, DEMO_OUTLET_IDS[:1]),
)


def demo_users_create() -> list[str]:
    """Creates (or resets) the demo accounts; only allowed in demo mode."""
    if not settings.FINALPOS_DEMO_MODE:
        raise ImproperlyConfigured(
            "Demo accounts are only created in demo mode (no FINALPOS_API_KEY set)."
        )
    created = []
    User = get_user_model()
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=account.username)
            user.first_name, user.last_name = account.first_name, account.last_name
            user.email = f"{account.username}@demo.invalid"
            user.set_password(account.password)
            user.is_active = True
            user.save()
            user.groups.set([Group.objects.get_or_create(name=account.group)[0]])
            StaffProfile.objects.get_or_create(user=user)
            OutletAssignment.objects.filter(user=user).exclude(
                outlet_id__in=account.outlet_ids
            ).delete()
            for outlet_id in account.outlet_ids:
                OutletAssignment.objects.get_or_create(user=user, outlet_id=outlet_id)
            created.append(account.username)
    return created
