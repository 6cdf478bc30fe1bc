"""Staff accounts through the services: who may change whom, and every change audited."""

import json

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.utils import timezone

from sessions_app.models import AuditEntry, Outlet, OutletAssignment
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP, is_manager
from sessions_app.services.errors import StaffChangeRefused, StaffNotAllowed
from sessions_app.services.staff_admin import (
    StaffChanges,
    staff_active_set,
    staff_create,
    staff_password_link_send,
    staff_password_set,
    staff_update,
    superuser_make,
)
from sessions_app.services.staff_checks import member_outlet_ids, member_role
from tests.conftest import OUTLET_A, OUTLET_B, PASSWORD
from tests.helpers import present

pytestmark = pytest.mark.django_db

OUTLET_C = "ccccccccccccccccccccccc3"
NEW_PASSWORD = "plum-orchard-lantern-42"


@pytest.fixture(autouse=True)
def outlets():
    now = timezone.now()
    for outlet_id, name in [(OUTLET_A, "Alpha Street"), (OUTLET_B, "Beta Mall")]:
        Outlet.objects.create(id=outlet_id, name=name, fetched_at=now)


@pytest.fixture
def dual(make_staff):
    """A cashier who works at outlet A and at outlet B."""
    return make_staff("dee", CASHIER_GROUP, [OUTLET_A, OUTLET_B], first_name="Dee")


def _add(actor, username="nia", role=CASHIER_GROUP, outlet_ids=(OUTLET_A,), password=NEW_PASSWORD):
    return staff_create(
        username=username,
        first_name="Nia",
        last_name="New",
        email=f"{username}@example.com",
        role=role,
        outlet_ids=frozenset(outlet_ids),
        password=password,
        created_by_user=actor,
    )


def test_a_superuser_adds_a_cashier_who_can_sign_in(superuser):
    member = _add(superuser)
    assert authenticate(username="nia", password=NEW_PASSWORD) == member
    assert member_role(member) == CASHIER_GROUP
    assert member_outlet_ids(member) == {OUTLET_A}
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == ("staff", "user", str(member.pk))
    assert entry.actor == superuser and entry.outlet_id == OUTLET_A
    assert entry.summary == "Added cashier nia at Alpha Street"
    assert entry.before is None
    assert (
        present(entry.after)["outlet_ids"] == [OUTLET_A]
        and present(entry.after)["role"] == CASHIER_GROUP
    )


def test_a_manager_adds_a_manager_of_their_own_outlet(manager):
    member = _add(manager, role=MANAGER_GROUP)
    assert is_manager(member) and member_outlet_ids(member) == {OUTLET_A}


@pytest.mark.parametrize("outlet_ids", [(OUTLET_B,), (OUTLET_A, OUTLET_B)])
def test_a_manager_cannot_give_out_an_outlet_they_do_not_hold(manager, outlet_ids):
    with pytest.raises(StaffNotAllowed, match="outlets you manage yourself"):
        _add(manager, role=MANAGER_GROUP, outlet_ids=outlet_ids)
    assert not OutletAssignment.objects.filter(user__username="nia").exists()
    assert not AuditEntry.objects.exists()


def test_an_outlet_unknown_to_final_pos_is_refused(superuser):
    with pytest.raises(StaffChangeRefused, match="No such outlet"):
        _add(superuser, outlet_ids=(OUTLET_C,))


def test_a_cashier_can_add_nobody(cashier):
    with pytest.raises(StaffNotAllowed):
        _add(cashier)


def test_nobody_makes_a_superuser_through_a_role(superuser):
    with pytest.raises(StaffChangeRefused, match="Cashier or Manager"):
        _add(superuser, role="superuser")


def test_the_password_validators_apply(superuser, django_user_model):
    with pytest.raises(StaffChangeRefused, match="too short"):
        _add(superuser, password="abc")
    with pytest.raises(StaffChangeRefused, match="too similar"):
        _add(superuser, password="nia@example.com")
    assert not django_user_model.objects.filter(username="nia").exists()


def test_a_username_in_use_in_any_case_is_refused(superuser, cashier):
    with pytest.raises(StaffChangeRefused, match="already an account named Cal"):
        _add(superuser, username="Cal")


def test_a_new_member_needs_an_outlet(superuser):
    with pytest.raises(StaffChangeRefused, match="at least one outlet"):
        _add(superuser, outlet_ids=())


def test_without_a_password_the_account_cannot_sign_in_yet(superuser):
    member = _add(superuser, password=None)
    assert not member.has_usable_password()


def test_a_manager_changes_a_cashier_of_their_outlet(manager, cashier):
    staff_update(
        member=cashier,
        changes=StaffChanges(email="cal@store.example", role=MANAGER_GROUP),
        updated_by_user=manager,
    )
    cashier.refresh_from_db()
    assert cashier.email == "cal@store.example" and member_role(cashier) == MANAGER_GROUP
    entry = AuditEntry.objects.get()
    assert entry.summary == "Changed cal: e-mail, role Manager"
    assert (
        present(entry.before)["role"] == CASHIER_GROUP
        and present(entry.after)["role"] == MANAGER_GROUP
    )


def test_nothing_changed_writes_no_audit_row(manager, cashier):
    staff_update(
        member=cashier,
        changes=StaffChanges(first_name="Cal", outlet_ids=frozenset({OUTLET_A})),
        updated_by_user=manager,
    )
    assert not AuditEntry.objects.exists()


def test_a_manager_cannot_add_an_outlet_they_do_not_hold(manager, cashier):
    with pytest.raises(StaffNotAllowed):
        staff_update(
            member=cashier,
            changes=StaffChanges(outlet_ids=frozenset({OUTLET_A, OUTLET_B})),
            updated_by_user=manager,
        )
    assert member_outlet_ids(cashier) == {OUTLET_A}


def test_outlets_beyond_the_manager_are_kept_when_they_save(manager, dual):
    staff_update(member=dual, changes=StaffChanges(outlet_ids=frozenset()), updated_by_user=manager)
    assert member_outlet_ids(dual) == {OUTLET_B}
    assert AuditEntry.objects.get().outlet_id == OUTLET_A  # on the manager's audit page


@pytest.mark.parametrize(
    "changes",
    [
        StaffChanges(role=MANAGER_GROUP),  # would make them a manager at outlet B too
        StaffChanges(email="mine@example.com"),  # a reset link would then reach the manager
        StaffChanges(first_name="Someone"),
    ],
)
def test_a_member_of_other_outlets_too_is_only_given_or_taken_outlets(manager, dual, changes):
    with pytest.raises(StaffNotAllowed, match="also works at outlets you do not manage"):
        staff_update(member=dual, changes=changes, updated_by_user=manager)
    with pytest.raises(StaffNotAllowed):
        staff_active_set(member=dual, active=False, changed_by_user=manager)
    with pytest.raises(StaffNotAllowed):
        staff_password_set(member=dual, password=NEW_PASSWORD, changed_by_user=manager)
    dual.refresh_from_db()
    assert member_role(dual) == CASHIER_GROUP and dual.is_active and dual.first_name == "Dee"
    assert authenticate(username="dee", password=PASSWORD) == dual


def test_a_superuser_changes_anything_about_them(superuser, dual):
    staff_update(
        member=dual,
        changes=StaffChanges(role=MANAGER_GROUP, outlet_ids=frozenset({OUTLET_B})),
        updated_by_user=superuser,
    )
    assert member_role(dual) == MANAGER_GROUP and member_outlet_ids(dual) == {OUTLET_B}


def test_staff_of_other_outlets_are_out_of_reach(manager, cashier_b):
    with pytest.raises(StaffNotAllowed, match="does not work at any of your outlets"):
        staff_update(
            member=cashier_b, changes=StaffChanges(first_name="X"), updated_by_user=manager
        )
    with pytest.raises(StaffNotAllowed):
        staff_active_set(member=cashier_b, active=False, changed_by_user=manager)
    with pytest.raises(StaffNotAllowed):
        staff_password_link_send(member=cashier_b, invitation=False, sent_by_user=manager)
    assert not mail.outbox


def test_a_superuser_is_out_of_a_managers_reach_even_at_their_outlet(manager, superuser):
    OutletAssignment.objects.create(user=superuser, outlet_id=OUTLET_A)
    with pytest.raises(StaffNotAllowed, match="Only a superuser"):
        staff_update(member=superuser, changes=StaffChanges(email="x@y.z"), updated_by_user=manager)
    with pytest.raises(StaffNotAllowed, match="Only a superuser"):
        staff_active_set(member=superuser, active=False, changed_by_user=manager)
    with pytest.raises(StaffNotAllowed, match="Only a superuser"):
        staff_password_set(member=superuser, password=NEW_PASSWORD, changed_by_user=manager)
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.email == "root@example.com"


def test_superusers_have_no_role_or_outlets_to_set(superuser, django_user_model):
    other = django_user_model.objects.create_superuser("ada", "ada@example.com", PASSWORD)
    with pytest.raises(StaffNotAllowed, match="no role or outlets"):
        staff_update(
            member=other, changes=StaffChanges(role=CASHIER_GROUP), updated_by_user=superuser
        )
    staff_update(
        member=other, changes=StaffChanges(last_name="Lovelace"), updated_by_user=superuser
    )
    other.refresh_from_db()
    assert other.last_name == "Lovelace"


def test_a_manager_cannot_change_their_own_role_or_outlets(manager):
    for changes in [StaffChanges(role=CASHIER_GROUP), StaffChanges(outlet_ids=frozenset())]:
        with pytest.raises(StaffNotAllowed, match="your own role or outlets"):
            staff_update(member=manager, changes=changes, updated_by_user=manager)
    staff_update(member=manager, changes=StaffChanges(last_name="Mgr"), updated_by_user=manager)
    manager.refresh_from_db()
    assert manager.last_name == "Mgr" and is_manager(manager)
    assert member_outlet_ids(manager) == {OUTLET_A}


@pytest.mark.parametrize("who", ["manager", "superuser"])
def test_nobody_deactivates_themselves(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(StaffNotAllowed, match="deactivate yourself"):
        staff_active_set(member=user, active=False, changed_by_user=user)
    user.refresh_from_db()
    assert user.is_active


def test_deactivated_staff_cannot_sign_in_until_reactivated(manager, cashier):
    staff_active_set(member=cashier, active=False, changed_by_user=manager)
    assert authenticate(username="cal", password=PASSWORD) is None
    staff_active_set(member=cashier, active=False, changed_by_user=manager)  # already: no row
    staff_active_set(member=cashier, active=True, changed_by_user=manager)
    assert authenticate(username="cal", password=PASSWORD) == cashier
    summaries = list(AuditEntry.objects.order_by("id").values_list("summary", flat=True))
    assert summaries == ["Deactivated cal", "Reactivated cal"]


def test_a_new_password_works_and_is_never_in_the_audit_trail(manager, cashier):
    staff_password_set(member=cashier, password=NEW_PASSWORD, changed_by_user=manager)
    assert authenticate(username="cal", password=NEW_PASSWORD) == cashier
    assert authenticate(username="cal", password=PASSWORD) is None
    entry = AuditEntry.objects.get()
    assert entry.summary == "Set a new password for cal"
    written = json.dumps([entry.summary, entry.before, entry.after])
    assert NEW_PASSWORD not in written and "pbkdf2" not in written and "md5" not in written


def test_a_weak_new_password_is_refused(manager, cashier):
    with pytest.raises(StaffChangeRefused, match="too common"):
        staff_password_set(member=cashier, password="password123", changed_by_user=manager)
    assert authenticate(username="cal", password=PASSWORD) == cashier


def test_an_invitation_is_a_password_link_to_the_new_account_alone(superuser, make_staff):
    twin = make_staff("twin", CASHIER_GROUP, [OUTLET_A])
    twin.email = "nia@example.com"  # the stock reset form would write to both accounts
    twin.save()
    member = _add(superuser, password=None)
    staff_password_link_send(member=member, invitation=True, sent_by_user=superuser)
    [message] = mail.outbox
    assert message.to == ["nia@example.com"]
    assert "username nia" in message.body and "/accounts/reset/" in message.body
    assert AuditEntry.objects.latest("id").summary == (
        "E-mailed nia an invitation to nia@example.com"
    )


def test_no_link_without_e_mail_set_up_or_an_address(superuser, cashier, settings):
    cashier.email = ""
    cashier.save()
    with pytest.raises(StaffChangeRefused, match="no e-mail address"):
        staff_password_link_send(member=cashier, invitation=False, sent_by_user=superuser)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    with pytest.raises(StaffChangeRefused, match="E-mail is not set up"):
        staff_password_link_send(member=cashier, invitation=False, sent_by_user=superuser)
    assert not mail.outbox and not AuditEntry.objects.exists()


def test_the_command_line_may_do_anything_and_says_so(cashier_b):
    member = _add(None, role=MANAGER_GROUP, outlet_ids=(OUTLET_A, OUTLET_B))
    staff_update(member=cashier_b, changes=StaffChanges(role=MANAGER_GROUP), updated_by_user=None)
    entries = AuditEntry.objects.order_by("id")
    assert [entry.actor_name for entry in entries] == ["system", "system"]
    assert entries[0].summary == (
        "Added manager nia at Alpha Street, Beta Mall (from the command line)"
    )
    assert is_manager(member)


def test_a_superuser_is_made_or_promoted_from_the_command_line(cashier):
    root = superuser_make(username="boss", email="boss@example.com", password=NEW_PASSWORD)
    assert root.is_superuser and authenticate(username="boss", password=NEW_PASSWORD) == root
    promoted = superuser_make(username="cal", email="cal@example.com", password=None)
    assert promoted.is_superuser and authenticate(username="cal", password=PASSWORD) == promoted
    summaries = list(AuditEntry.objects.order_by("id").values_list("summary", flat=True))
    assert summaries == [
        "Made boss a superuser (from the command line)",
        "Made cal a superuser (from the command line)",
    ]
    with pytest.raises(StaffChangeRefused, match="needs a password"):
        superuser_make(username="ghost", email="g@example.com", password=None)
