"""`manage.py staff`: staff accounts from the command line (a one-off dyno, a script), through
the same services, checks and audit trail as the Staff page.

Passwords are read from standard input or a prompt, never from the arguments (which end up in
shell histories and process lists), and are never printed.
"""

import getpass
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sessions_app.notifications import email_configured
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP, User
from sessions_app.selectors.staff import outlets_matching, staff_list, staff_member_named
from sessions_app.services.errors import StaffError
from sessions_app.services.staff_admin import (
    StaffChanges,
    staff_active_set,
    staff_create,
    staff_password_link_send,
    staff_password_set,
    staff_update,
    superuser_make,
)

ROLES = {"cashier": CASHIER_GROUP, "manager": MANAGER_GROUP}
OUTLET_HELP = "an outlet's name or Final POS id; repeat for more outlets"


class Command(BaseCommand):
    help = (
        "Lists, adds and changes staff accounts: list; add USERNAME --role cashier|manager "
        "--outlet OUTLET [--password-stdin | --invite]; set USERNAME [--role] [--outlet ...] "
        "[--active | --inactive]; password USERNAME [--stdin]; superuser USERNAME --email."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("list", help="every staff account, its role and outlets")

        add = commands.add_parser("add", help="add a cashier or a manager")
        add.add_argument("username")
        add.add_argument("--role", choices=sorted(ROLES), required=True)
        add.add_argument("--outlet", action="append", required=True, help=OUTLET_HELP)
        self._detail_arguments(add)
        password = add.add_mutually_exclusive_group()
        password.add_argument(
            "--password-stdin", action="store_true", help="read the password from stdin"
        )
        password.add_argument(
            "--invite", action="store_true", help="e-mail them a link to choose a password"
        )

        change = commands.add_parser("set", help="change an account's role, outlets or sign-in")
        change.add_argument("username")
        change.add_argument("--role", choices=sorted(ROLES))
        change.add_argument(
            "--outlet", action="append", help=f"{OUTLET_HELP}; replaces their outlets"
        )
        self._detail_arguments(change)
        active = change.add_mutually_exclusive_group()
        active.add_argument("--active", dest="active", action="store_const", const=True)
        active.add_argument("--inactive", dest="active", action="store_const", const=False)

        password_command = commands.add_parser("password", help="set a new password")
        password_command.add_argument("username")
        password_command.add_argument(
            "--stdin",
            action="store_true",
            dest="password_stdin",  # "stdin" is the stream itself, given by call_command
            help="read the password from stdin",
        )

        superuser = commands.add_parser(
            "superuser",
            help="create a superuser, or make an existing account one (its password is kept "
            "unless --password-stdin is given)",
        )
        superuser.add_argument("username")
        superuser.add_argument("--email", required=True)
        superuser.add_argument(
            "--password-stdin", action="store_true", help="read the password from stdin"
        )

    @staticmethod
    def _detail_arguments(parser: CommandParser) -> None:
        parser.add_argument("--email")
        parser.add_argument("--first-name")
        parser.add_argument("--last-name")

    def handle(self, *args: Any, **options: Any) -> None:
        self.input: TextIO = options.get("stdin") or sys.stdin
        handlers = {
            "list": self._list,
            "add": self._add,
            "set": self._set,
            "password": self._set_password,
            "superuser": self._superuser,
        }
        try:
            handlers[options["subcommand"]](options)
        except StaffError as error:
            raise CommandError(error.message) from error

    def _list(self, options: dict[str, Any]) -> None:
        rows = [("USERNAME", "NAME", "E-MAIL", "ROLE", "OUTLETS", "SIGN-IN")]
        for member in staff_list(user=None):
            outlets = "every outlet" if member.is_superuser else ", ".join(member.outlet_names)
            active = "active" if member.is_active else "deactivated"
            rows.append((member.username, member.name, member.email, member.role, outlets, active))
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))

    def _add(self, options: dict[str, Any]) -> None:
        username, email = options["username"], options["email"] or ""
        if options["invite"] and not email_configured():
            raise CommandError("E-mail is not set up (EMAIL_URL), so no invitation can be sent.")
        if options["invite"] and not email:
            raise CommandError("An invitation needs --email.")
        outlet_ids = self._outlet_ids(options["outlet"])  # before asking for a password
        password = None
        if not options["invite"]:
            password = self._read_password(
                options["password_stdin"], "--password-stdin or --invite"
            )
        member = staff_create(
            username=username,
            first_name=options["first_name"] or "",
            last_name=options["last_name"] or "",
            email=email,
            role=ROLES[options["role"]],
            outlet_ids=outlet_ids,
            password=password,
            created_by_user=None,
        )
        self.stdout.write(f"Added {options['role']} {member.get_username()}.")
        if options["invite"]:
            try:
                staff_password_link_send(member=member, invitation=True, sent_by_user=None)
            except StaffError as error:
                raise CommandError(f"{member.get_username()} was added. {error.message}") from error
            self.stdout.write(f"Invitation e-mailed to {member.email}.")

    def _set(self, options: dict[str, Any]) -> None:
        member = self._member(options["username"])
        changes = StaffChanges(
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
            role=ROLES[options["role"]] if options["role"] else None,
            outlet_ids=self._outlet_ids(options["outlet"]) if options["outlet"] else None,
        )
        staff_update(member=member, changes=changes, updated_by_user=None)
        if options["active"] is not None:
            staff_active_set(member=member, active=options["active"], changed_by_user=None)
        self.stdout.write(f"Saved {member.get_username()}.")

    def _read_password(self, from_stdin: bool, stdin_option: str) -> str:
        if from_stdin:
            password = self.input.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
            return password
        if not self.input.isatty():
            raise CommandError(f"No terminal to ask for a password on: use {stdin_option}.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("The same password again: "):
            raise CommandError("The two passwords are not the same.")
        return password

    def _set_password(self, options: dict[str, Any]) -> None:
        member = self._member(options["username"])
        password = self._read_password(options["password_stdin"], "--stdin")
        staff_password_set(member=member, password=password, changed_by_user=None)
        self.stdout.write(f"New password set for {member.get_username()}.")

    def _superuser(self, options: dict[str, Any]) -> None:
        username = options["username"]
        exists = staff_member_named(username=username) is not None
        password = None
        if options["password_stdin"] or not exists:
            password = self._read_password(options["password_stdin"], "--password-stdin")
        member = superuser_make(username=username, email=options["email"], password=password)
        self.stdout.write(f"{member.get_username()} is a superuser.")

    def _member(self, username: str) -> User:
        member = staff_member_named(username=username)
        if member is None:
            raise CommandError(f"No account named {username!r}.")
        return member

    def _outlet_ids(self, names_or_ids: Sequence[str]) -> frozenset[str]:
        outlet_ids = set()
        for value in names_or_ids:
            matches = outlets_matching(name_or_id=value)
            if not matches:
                raise CommandError(
                    f"No outlet is named {value!r} or has that Final POS id. A new outlet is "
                    "known here after the next refresh (manage.py refresh_finalpos)."
                )
            if len(matches) > 1:
                ids = ", ".join(
                    f"{outlet.id} ({outlet.city or outlet.address})" for outlet in matches
                )
                raise CommandError(
                    f"{len(matches)} outlets are named {value!r}; give the Final POS id of the "
                    f"one you mean: {ids}."
                )
            outlet_ids.add(matches[0].id)
        return frozenset(outlet_ids)
