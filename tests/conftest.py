"""Shared fixtures: a small cast of users and a clean cache for every test."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from sessions_app.models import OutletAssignment, StaffProfile
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP

OUTLET_A = "aaaaaaaaaaaaaaaaaaaaaaa1"
OUTLET_B = "bbbbbbbbbbbbbbbbbbbbbbb2"
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _clear_cache():
    # The circuit breaker and the page caches live in the cache; Redis outlives a test.
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def make_staff(django_user_model) -> Callable:
    def make(username: str, group: str, outlet_ids=(), **fields):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@example.com", **fields
        )
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        StaffProfile.objects.create(user=user)
        for outlet_id in outlet_ids:
            OutletAssignment.objects.create(user=user, outlet_id=outlet_id)
        return user

    return make


@pytest.fixture
def manager(make_staff):
    return make_staff("mia", MANAGER_GROUP, [OUTLET_A], first_name="Mia", last_name="Manager")


@pytest.fixture
def manager_b(make_staff):
    return make_staff("bob", MANAGER_GROUP, [OUTLET_B], first_name="Bob", last_name="Boss")


@pytest.fixture
def cashier(make_staff):
    return make_staff("cal", CASHIER_GROUP, [OUTLET_A], first_name="Cal", last_name="Cashier")


@pytest.fixture
def cashier_b(make_staff):
    return make_staff("cora", CASHIER_GROUP, [OUTLET_B], first_name="Cora", last_name="Cashier")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)
