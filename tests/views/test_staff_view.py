"""The manager-only staff page: role gating and outlet scoping."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_cashier_gets_403(client, cashier):
    client.force_login(cashier)
    response = client.get(reverse("sessions_app:staff_list"))
    assert response.status_code == 403
    assert b"This page is for managers." in response.content


def test_a_manager_sees_the_staff_of_their_outlets_only(client, manager, cashier, cashier_b):
    client.force_login(manager)
    response = client.get(reverse("sessions_app:staff_list"))
    assert response.status_code == 200
    usernames = [member.username for member in response.context["members"]]
    assert usernames == ["cal", "mia"]


def test_a_superuser_sees_everyone(client, superuser, manager, cashier, cashier_b):
    client.force_login(superuser)
    response = client.get(reverse("sessions_app:staff_list"))
    usernames = [member.username for member in response.context["members"]]
    assert usernames == ["cal", "cora", "mia"]


def test_managers_and_cashiers_get_different_navigation(client, manager, cashier):
    client.force_login(manager)
    assert reverse("sessions_app:staff_list").encode() in client.get("/").content
    client.force_login(cashier)
    assert reverse("sessions_app:staff_list").encode() not in client.get("/").content


def test_a_user_without_a_role_gets_403_on_the_board(client, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(nobody)
    response = client.get(reverse("sessions_app:board"))
    assert response.status_code == 403
    assert b"not a cashier or a manager yet" in response.content
