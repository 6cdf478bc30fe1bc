"""`manage.py staff`: staff accounts from the command line, through the same services."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from sessions_app.models import AuditEntry, Outlet
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP, is_manager
from sessions_app.services.staff_checks import member_outlet_ids, member_role
from tests.conftest import OUTLET_A, OUTLET_B, PASSWORD
from tests.helpers import present

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"
OUTLET_C = "ccccccccccccccccccccccc3"


@pytest.fixture(autouse=True)
def outlets():
    now = timezone.now()
    for outlet_id, name, city in [
        (OUTLET_A, "Alpha Street", "Portland"),
        (OUTLET_B, "Beta Mall", "Bangor"),
    ]:
        Outlet.objects.create(id=outlet_id, name=name, city=city, fetched_at=now)


def staff(*args: str, stdin: str = "") -> tuple[str, str]:
    """Runs `manage.py staff ARGS` with STDIN piped in; returns (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("staff", *args, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def add_nia(*options: str, outlet: str = "Alpha Street", stdin: str = "") -> tuple[str, str]:
    """`manage.py staff add nia --role cashier --outlet OUTLET OPTIONS`: a new cashier."""
    return staff("add", "nia", "--role", "cashier", "--outlet", outlet, *options, stdin=stdin)


def test_add_a_cashier_by_outlet_name_with_a_piped_password(django_user_model):
    out, err = add_nia(
        "--email",
        "nia@example.com",
        "--first-name",
        "Nia",
        "--password-stdin",
        outlet="alpha street",
        stdin=NEW_PASSWORD + "\n",
    )
    member = authenticate(username="nia", password=NEW_PASSWORD)
    assert member is not None and member.first_name == "Nia"
    assert member_role(member) == CASHIER_GROUP and member_outlet_ids(member) == {OUTLET_A}
    assert out == "Added cashier nia.\n"
    assert NEW_PASSWORD not in out + err
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.action == "staff"
    assert entry.summary == "Added cashier nia at Alpha Street (from the command line)"


def test_add_a_manager_of_two_outlets_by_name_and_by_id():
    staff(
        "add",
        "max",
        "--role",
        "manager",
        "--outlet",
        "Beta Mall",
        "--outlet",
        OUTLET_A,
        "--password-stdin",
        stdin=NEW_PASSWORD,
    )
    member = present(authenticate(username="max", password=NEW_PASSWORD))
    assert is_manager(member) and member_outlet_ids(member) == {OUTLET_A, OUTLET_B}


def test_an_unknown_or_ambiguous_outlet_is_a_clear_error(django_user_model):
    with pytest.raises(CommandError, match="No outlet is named 'Gamma'"):
        add_nia("--password-stdin", outlet="Gamma", stdin=NEW_PASSWORD)
    Outlet.objects.create(
        id=OUTLET_C, name="Alpha Street", city="Augusta", fetched_at=timezone.now()
    )
    with pytest.raises(CommandError, match="2 outlets are named 'Alpha Street'") as error:
        add_nia("--password-stdin", stdin=NEW_PASSWORD)
    assert f"{OUTLET_A} (Portland)" in str(error.value)
    assert f"{OUTLET_C} (Augusta)" in str(error.value)
    assert not django_user_model.objects.filter(username="nia").exists()


def test_a_weak_password_or_none_at_all_is_refused(django_user_model):
    with pytest.raises(CommandError, match="too common"):
        add_nia("--password-stdin", stdin="password\n")
    with pytest.raises(CommandError, match="use --password-stdin or --invite"):
        add_nia()
    assert not django_user_model.objects.filter(username="nia").exists()


def test_add_with_an_invitation_e_mails_a_link():
    out, _err = add_nia("--email", "nia@example.com", "--invite")
    assert "Invitation e-mailed to nia@example.com." in out
    [message] = mail.outbox
    assert message.to == ["nia@example.com"] and "/accounts/reset/" in message.body


def test_an_invitation_needs_an_address_and_e_mail_set_up(settings, django_user_model):
    with pytest.raises(CommandError, match="needs --email"):
        add_nia("--invite")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    with pytest.raises(CommandError, match="E-mail is not set up"):
        add_nia("--email", "nia@example.com", "--invite")
    assert not django_user_model.objects.filter(username="nia").exists()


def test_set_changes_role_replaces_outlets_and_deactivates(cashier):
    out, _err = staff("set", "cal", "--role", "manager", "--outlet", "Beta Mall", "--inactive")
    cashier.refresh_from_db()
    assert out == "Saved cal.\n"
    assert member_role(cashier) == MANAGER_GROUP and member_outlet_ids(cashier) == {OUTLET_B}
    assert not cashier.is_active
    staff("set", "cal", "--active")
    assert authenticate(username="cal", password=PASSWORD) == cashier
    summaries = list(AuditEntry.objects.order_by("id").values_list("summary", flat=True))
    assert summaries == [
        "Changed cal: role Manager, outlets Beta Mall (from the command line)",
        "Deactivated cal (from the command line)",
        "Reactivated cal (from the command line)",
    ]


def test_set_on_an_unknown_account_is_an_error():
    with pytest.raises(CommandError, match="No account named 'ghost'"):
        staff("set", "ghost", "--active")


def test_a_superuser_has_no_role_to_set(superuser):
    with pytest.raises(CommandError, match="no role or outlets"):
        staff("set", "root", "--role", "cashier")


def test_password_from_stdin_is_set_and_never_printed(cashier):
    out, err = staff("password", "cal", "--stdin", stdin=NEW_PASSWORD + "\n")
    assert authenticate(username="cal", password=NEW_PASSWORD) == cashier
    assert out == "New password set for cal.\n" and NEW_PASSWORD not in out + err
    with pytest.raises(CommandError, match="No terminal to ask for a password on: use --stdin"):
        staff("password", "cal")
    with pytest.raises(CommandError, match="No password on standard input"):
        staff("password", "cal", "--stdin", stdin="")


def test_password_prompts_twice_on_a_terminal(cashier, monkeypatch):
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    answers = iter([NEW_PASSWORD, NEW_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("staff", "password", "cal", stdin=terminal, stdout=io.StringIO())
    assert authenticate(username="cal", password=NEW_PASSWORD) == cashier


def test_superuser_creates_one_or_promotes_an_account(cashier):
    staff(
        "superuser", "boss", "--email", "boss@example.com", "--password-stdin", stdin=NEW_PASSWORD
    )
    boss = authenticate(username="boss", password=NEW_PASSWORD)
    assert boss is not None and boss.is_superuser
    out, _err = staff("superuser", "cal", "--email", "cal@example.com")
    assert out == "cal is a superuser.\n"
    cal = authenticate(username="cal", password=PASSWORD)  # promoted, password kept
    assert cal is not None and cal.is_superuser
    with pytest.raises(CommandError, match="No terminal"):
        staff("superuser", "ghost", "--email", "ghost@example.com")


def test_list_shows_outlets_by_name(manager, cashier, superuser):
    cashier.is_active = False
    cashier.save()
    out, _err = staff("list")
    lines = out.splitlines()
    assert lines[0].split() == ["USERNAME", "NAME", "E-MAIL", "ROLE", "OUTLETS", "SIGN-IN"]
    assert [line.split()[0] for line in lines[1:]] == ["cal", "mia", "root"]
    assert "Alpha Street" in lines[1] and lines[1].endswith("deactivated")
    assert "every outlet" in lines[3] and OUTLET_A not in out
