"""The staff pages: role gating, outlet scoping, and adding and changing staff in the browser,
including the hostile POSTs a manager could try."""

import re
import socket

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import AuditEntry, Outlet, OutletAssignment
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP
from sessions_app.services.staff_checks import member_outlet_ids, member_role
from tests.conftest import OUTLET_A, OUTLET_B, PASSWORD
from tests.helpers import present

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"
CONSOLE_MAIL = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}


@pytest.fixture(autouse=True)
def outlets():
    now = timezone.now()
    for outlet_id, name in [(OUTLET_A, "Alpha Street"), (OUTLET_B, "Beta Mall")]:
        Outlet.objects.create(id=outlet_id, name=name, fetched_at=now)


@pytest.fixture
def dual(make_staff):
    """A cashier who works at outlet A and at outlet B."""
    return make_staff("dee", CASHIER_GROUP, [OUTLET_A, OUTLET_B], first_name="Dee")


def _new(**fields) -> dict:
    return {
        "username": "nia",
        "first_name": "Nia",
        "last_name": "New",
        "email": "nia@example.com",
        "role": CASHIER_GROUP,
        "outlets": [OUTLET_A],
        "password_method": "type",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    } | fields


def _edit(member, **fields) -> dict:
    return {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": member_role(member),
        "outlets": sorted(member_outlet_ids(member)),
    } | fields


def _url(name: str, member=None) -> str:
    return reverse(f"sessions_app:{name}", args=[member.pk] if member else [])


# --- The list -------------------------------------------------------------------------------


def test_a_cashier_gets_403_on_every_staff_page(client, cashier, manager):
    client.force_login(cashier)
    assert client.get(_url("staff_list")).status_code == 403
    assert b"This page is for managers." in client.get(_url("staff_list")).content
    assert client.post(_url("staff_create"), _new()).status_code == 403
    assert client.post(_url("staff_edit", manager), _edit(manager)).status_code == 403
    assert client.post(_url("staff_active", manager), {"active": "0"}).status_code == 403
    assert client.post(_url("staff_password", manager), {}).status_code == 403
    assert authenticate(username="mia", password=PASSWORD) == manager


def test_a_manager_sees_the_staff_of_their_outlets_only(client, manager, cashier, cashier_b):
    client.force_login(manager)
    response = client.get(_url("staff_list"))
    assert response.status_code == 200
    usernames = [member.username for member in response.context["members"]]
    assert usernames == ["cal", "mia"]


def test_a_superuser_sees_everyone(client, superuser, manager, cashier, cashier_b):
    client.force_login(superuser)
    response = client.get(_url("staff_list"))
    usernames = [member.username for member in response.context["members"]]
    assert usernames == ["cal", "cora", "mia", "root"]


def test_the_list_shows_outlets_by_name_and_who_can_sign_in(client, manager, cashier, dual):
    cashier.is_active = False
    cashier.save()
    client.force_login(manager)
    page = client.get(_url("staff_list")).content.decode()
    assert "Alpha Street" in page and "cal@example.com" in page and "Cashier" in page
    assert OUTLET_A not in page and OUTLET_B not in page and "Beta Mall" not in page
    assert "Deactivated" in page and "(and 1 outlet you do not manage)" in page
    assert "managed by an administrator" not in page
    assert _url("staff_edit", cashier) in page and _url("staff_password", cashier) in page
    assert _url("staff_password", dual) not in page  # not theirs to reset
    assert _url("staff_create") in page


def test_managers_and_cashiers_get_different_navigation(client, manager, cashier):
    client.force_login(manager)
    assert _url("staff_list").encode() in client.get("/").content
    client.force_login(cashier)
    assert _url("staff_list").encode() not in client.get("/").content


def test_a_user_without_a_role_gets_403_on_the_board(client, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(nobody)
    response = client.get(reverse("sessions_app:board"))
    assert response.status_code == 403
    assert b"not a cashier or a manager yet" in response.content


# --- Adding ---------------------------------------------------------------------------------


def test_the_form_offers_only_the_managers_outlets_by_name(client, manager):
    client.force_login(manager)
    page = client.get(_url("staff_create")).content.decode()
    assert "Alpha Street" in page and "Beta Mall" not in page
    assert "<legend>Outlets they work at</legend>" in page and "<legend>Role</legend>" in page
    assert 'value="email"' in page  # e-mail is set up (locmem in tests): links are offered


def test_a_manager_adds_a_cashier_with_a_typed_password(client, manager):
    client.force_login(manager)
    response = client.post(_url("staff_create"), _new(), follow=True)
    assert "nia added. Give them their password in person." in response.content.decode()
    member = authenticate(username="nia", password=NEW_PASSWORD)
    assert member is not None and member_outlet_ids(member) == {OUTLET_A}
    assert not mail.outbox
    entry = AuditEntry.objects.get()
    assert entry.actor == manager and entry.summary == "Added cashier nia at Alpha Street"


def test_a_hostile_outlet_is_refused_and_nothing_added(client, manager, django_user_model):
    client.force_login(manager)
    for outlets in ([OUTLET_B], [OUTLET_A, OUTLET_B], ["not-an-outlet"]):
        response = client.post(_url("staff_create"), _new(outlets=outlets, role=MANAGER_GROUP))
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not django_user_model.objects.filter(username="nia").exists()
    assert not AuditEntry.objects.exists()


def test_no_superuser_can_be_made_through_the_form(client, superuser, django_user_model):
    client.force_login(superuser)
    response = client.post(_url("staff_create"), _new(role="superuser", is_superuser="on"))
    assert "Select a valid choice" in response.content.decode()
    client.post(_url("staff_create"), _new(is_superuser="on"))
    assert not django_user_model.objects.get(username="nia").is_superuser


def test_mistakes_are_explained_and_what_was_typed_kept(client, manager, cashier):
    client.force_login(manager)
    page = client.post(
        _url("staff_create"), _new(username="Cal", password2="something-else", outlets=[])
    ).content.decode()
    assert "There is already an account named Cal." in page
    assert "The two passwords are not the same." in page
    assert "Choose at least one outlet." in page
    assert 'value="Nia"' in page and 'value="nia@example.com"' in page
    assert NEW_PASSWORD not in page  # a typed password is never sent back
    assert 'aria-describedby="id_outlets_error"' in page
    weak = client.post(_url("staff_create"), _new(password1="12345678", password2="12345678"))
    assert "This password is too common." in weak.content.decode()


def test_an_invitation_lets_the_new_member_choose_a_password(client, manager):
    client.force_login(manager)
    response = client.post(
        _url("staff_create"),
        _new(password_method="email", password1="", password2=""),
        follow=True,
    )
    assert "e-mailed a link to choose their password" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["nia@example.com"] and "username nia" in message.body
    link = present(re.search(r"http://[^/\s]+(/accounts/reset/\S+)", str(message.body)))[1]
    client.logout()
    form_page = client.get(link, follow=True)
    assert "Choose your password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Password saved" in done.content.decode()
    assert authenticate(username="nia", password=NEW_PASSWORD) is not None
    summaries = list(AuditEntry.objects.order_by("id").values_list("summary", flat=True))
    assert summaries == [
        "Added cashier nia at Alpha Street",
        "E-mailed nia an invitation to nia@example.com",
        "nia chose a new password from an e-mailed link",
    ]


def test_an_invitation_needs_an_e_mail_address(client, manager, django_user_model):
    client.force_login(manager)
    page = client.post(
        _url("staff_create"), _new(email="", password_method="email", password1="", password2="")
    ).content.decode()
    assert "Add their e-mail address to send them a link." in page
    assert not django_user_model.objects.filter(username="nia").exists()


def test_without_e_mail_set_up_a_password_is_required(client, manager, settings):
    settings.MAILERS = CONSOLE_MAIL
    client.force_login(manager)
    assert 'name="password_method"' not in client.get(_url("staff_create")).content.decode()
    page = client.post(
        _url("staff_create"), _new(password_method="email", password1="", password2="")
    ).content.decode()
    assert "Type a password." in page


# --- Changing -------------------------------------------------------------------------------


def test_a_manager_changes_a_cashiers_role_and_details(client, manager, cashier):
    client.force_login(manager)
    page = client.get(_url("staff_edit", cashier)).content.decode()
    assert 'value="cal@example.com"' in page and "Deactivate cal" in page
    response = client.post(
        _url("staff_edit", cashier),
        _edit(cashier, role=MANAGER_GROUP, last_name="Clerk"),
        follow=True,
    )
    assert "cal saved." in response.content.decode()
    cashier.refresh_from_db()
    assert member_role(cashier) == MANAGER_GROUP and cashier.last_name == "Clerk"
    assert AuditEntry.objects.get().summary == "Changed cal: last name, role Manager"


def test_staff_of_other_outlets_are_404(client, manager, cashier_b):
    client.force_login(manager)
    assert client.get(_url("staff_edit", cashier_b)).status_code == 404
    assert client.post(_url("staff_edit", cashier_b), _edit(cashier_b)).status_code == 404
    assert client.post(_url("staff_active", cashier_b), {"active": "0"}).status_code == 404
    password = {"password_method": "type", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(_url("staff_password", cashier_b), password).status_code == 404
    assert client.get(reverse("sessions_app:staff_edit", args=[999999])).status_code == 404
    cashier_b.refresh_from_db()
    assert cashier_b.is_active and authenticate(username="cora", password=PASSWORD) == cashier_b


def test_a_superuser_is_404_to_a_manager_even_at_their_outlet(client, manager, superuser):
    OutletAssignment.objects.create(user=superuser, outlet_id=OUTLET_A)
    client.force_login(manager)
    assert client.get(_url("staff_edit", superuser)).status_code == 404
    assert client.post(_url("staff_active", superuser), {"active": "0"}).status_code == 404
    password = {"password_method": "type", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(_url("staff_password", superuser), password).status_code == 404
    superuser.refresh_from_db()
    assert superuser.is_active


def test_outlets_beyond_the_manager_survive_a_hostile_save(client, manager, dual):
    client.force_login(manager)
    page = client.get(_url("staff_edit", dual)).content.decode()
    assert "also works at outlets you do not manage" in page
    assert 'name="role"' not in page and 'name="email"' not in page
    assert "Beta Mall" not in page and "Deactivate" not in page
    client.post(
        _url("staff_edit", dual),
        {"outlets": [], "role": MANAGER_GROUP, "email": "mine@example.com"},
    )
    dual.refresh_from_db()
    assert member_outlet_ids(dual) == {OUTLET_B}  # taken off Alpha Street, Beta Mall kept
    assert member_role(dual) == CASHIER_GROUP and dual.email == "dee@example.com"
    refused = client.post(_url("staff_edit", dual), {"outlets": [OUTLET_A, OUTLET_B]})
    assert refused.status_code == 404  # no longer shares an outlet with the manager


def test_a_manager_cannot_change_their_own_role_or_outlets(client, manager):
    client.force_login(manager)
    page = client.get(_url("staff_edit", manager)).content.decode()
    assert "This is your own account" in page and 'name="role"' not in page
    client.post(
        _url("staff_edit", manager),
        _edit(manager, role=CASHIER_GROUP, outlets=[OUTLET_A, OUTLET_B], last_name="M."),
    )
    manager.refresh_from_db()
    assert manager.last_name == "M." and member_role(manager) == MANAGER_GROUP
    assert member_outlet_ids(manager) == {OUTLET_A}


def _unreachable_mail_server(settings) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


def test_a_link_that_cannot_be_sent_is_explained(client, manager, cashier, settings):
    _unreachable_mail_server(settings)
    client.force_login(manager)
    page = client.post(_url("staff_password", cashier), {"password_method": "email"})
    assert "The e-mail could not be sent" in page.content.decode()
    assert 'name="password_method"' in page.content.decode()  # the form, still there
    response = client.post(
        _url("staff_create"),
        _new(password_method="email", password1="", password2=""),
        follow=True,
    )
    page = response.content.decode()
    assert "nia was added. The e-mail could not be sent" in page
    assert [entry.summary for entry in AuditEntry.objects.all()] == [
        "Added cashier nia at Alpha Street"
    ]


# --- Deactivating and passwords -------------------------------------------------------------


def test_deactivating_signs_them_out_and_reactivating_lets_them_back(client, manager, cashier):
    from django.test import Client

    cashier_client = Client()
    cashier_client.force_login(cashier)
    client.force_login(manager)
    response = client.post(_url("staff_active", cashier), {"active": "0"}, follow=True)
    assert "cal is deactivated" in response.content.decode()
    assert cashier_client.get("/").status_code == 302  # back to the sign-in page
    client.post(_url("staff_active", cashier), {"active": "1"})
    assert authenticate(username="cal", password=PASSWORD) == cashier
    opened_by_hand = client.get(_url("staff_active", cashier))  # to the page with the form
    assert opened_by_hand["Location"] == _url("staff_edit", cashier)


def test_nobody_deactivates_themselves(client, manager):
    client.force_login(manager)
    response = client.post(_url("staff_active", manager), {"active": "0"}, follow=True)
    assert "deactivate yourself" in response.content.decode()
    manager.refresh_from_db()
    assert manager.is_active


def test_a_manager_sets_a_new_password(client, manager, cashier):
    client.force_login(manager)
    mismatch = client.post(
        _url("staff_password", cashier),
        {"password_method": "type", "password1": NEW_PASSWORD, "password2": "nope"},
    )
    assert "The two passwords are not the same." in mismatch.content.decode()
    response = client.post(
        _url("staff_password", cashier),
        {"password_method": "type", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert "New password set for cal" in response.content.decode()
    assert authenticate(username="cal", password=NEW_PASSWORD) == cashier


def test_a_manager_changes_their_own_password_and_stays_signed_in(client, manager):
    client.force_login(manager)
    client.post(
        _url("staff_password", manager),
        {"password_method": "type", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert client.get(_url("staff_list")).status_code == 200
    assert authenticate(username="mia", password=NEW_PASSWORD) == manager


def test_a_reset_link_is_e_mailed_on_request(client, manager, cashier, settings):
    client.force_login(manager)
    response = client.post(
        _url("staff_password", cashier), {"password_method": "email"}, follow=True
    )
    assert "e-mailed a link" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["cal@example.com"] and "/accounts/reset/" in message.body
    assert authenticate(username="cal", password=PASSWORD) == cashier  # until they choose
    settings.MAILERS = CONSOLE_MAIL
    page = client.get(_url("staff_password", cashier)).content.decode()
    assert "E-mail is not set up" in page and 'name="password_method"' not in page


# --- The audit trail and the public reset pages -------------------------------------------


def test_staff_changes_are_on_the_audit_page(client, manager, cashier):
    client.force_login(manager)
    client.post(_url("staff_active", cashier), {"active": "0"})
    page = client.get(reverse("sessions_app:audit_list"), {"action": "staff"}).content.decode()
    assert '<option value="staff" selected>Staff</option>' in page
    assert "Deactivated cal" in page and "Mia Manager" in page


def test_forgot_password_is_offered_only_when_e_mail_is_set_up(client, cashier, settings):
    settings.SITE_URL = "https://tills.example.com"  # and the site knows its address
    assert b"Forgot your password?" in client.get(reverse("login")).content
    response = client.post(reverse("password_reset"), {"email": "cal@example.com"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox[0].to == ["cal@example.com"]
    settings.MAILERS = CONSOLE_MAIL
    assert b"Forgot your password?" not in client.get(reverse("login")).content
    page = client.post(reverse("password_reset"), {"email": "cal@example.com"}).content.decode()
    assert "Ask your manager to set a new password" in page
    assert len(mail.outbox) == 1
