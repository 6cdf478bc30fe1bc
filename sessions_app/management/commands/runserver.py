"""Django's development server (with static files), ending its banner with where to sign in:
the demo accounts when they exist, or in live mode how to create an account."""

import os
import threading
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.management.commands import runserver
from django.db import DatabaseError
from django.utils.translation import gettext as _

from sessions_app.demo import DEMO_ACCOUNTS
from sessions_app.services.refresh import refresh_loop

CREATE_AN_ACCOUNT = "DEBUG=true .venv/bin/python manage.py createsuperuser"
EVERY_INTERFACE = {"0.0.0.0", "::", "0"}  # noqa: S104 - compared with, never bound
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


class Command(runserver.Command):
    addr: str  # set by Django's handle() from ADDRPORT
    _raw_ipv6: bool

    def inner_run(self, *args: Any, **options: Any) -> None:
        # In the process that serves (the autoreloader's child, or the only one), never in the
        # reloader's parent: the demo's tills act on their own, so the board is kept fresh by
        # the same refresh loop the worker runs in production (one process at a time: a lease).
        if settings.FINALPOS_DEMO_MODE and settings.DEMO_REFRESH_SECONDS > 0:
            threading.Thread(
                target=refresh_loop,
                kwargs={
                    "interval": settings.DEMO_REFRESH_SECONDS,
                    "holder": f"runserver {os.getpid()}",
                    "stopping": threading.Event(),
                },
                name="demo-refresh",
                daemon=True,
            ).start()
        super().inner_run(*args, **options)

    def on_bind(self, server_port: int) -> None:
        super().on_bind(server_port)
        if self.addr in EVERY_INTERFACE:
            # 0.0.0.0 is no address to open: this machine's own, then the ones other devices
            # reach it at (ALLOWED_HOSTS), each a link that answers.
            address = "127.0.0.1"
            others = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
        else:
            address = f"[{self.addr}]" if self._raw_ipv6 else self.addr
            others = []
        hint = sign_in_hint(f"{self.protocol}://{address}:{server_port}/")
        for host in others:
            if "*" in host or host.startswith("."):
                continue
            hint += " " + _("On another device: %(url)s") % {
                "url": f"{self.protocol}://{host}:{server_port}/"
            }
        self.stdout.write(self.style.SUCCESS(hint))


def sign_in_hint(url: str) -> str:
    if not settings.FINALPOS_DEMO_MODE:
        return _(
            "Open %(url)s and sign in with your own account (live mode has no demo accounts). "
            "To create one: %(command)s"
        ) % {"url": url, "command": CREATE_AN_ACCOUNT}
    if not _demo_accounts_exist():
        return _("Open %(url)s. The demo accounts do not exist yet: `make demo` creates them.") % {
            "url": url
        }
    manager, cashier = DEMO_ACCOUNTS
    return _(
        "Open %(url)s and sign in as %(manager)s / %(manager_password)s (a manager) or "
        "%(cashier)s / %(cashier_password)s (a cashier)."
    ) % {
        "url": url,
        "manager": manager.username,
        "manager_password": manager.password,
        "cashier": cashier.username,
        "cashier_password": cashier.password,
    }


def _demo_accounts_exist() -> bool:
    usernames = [account.username for account in DEMO_ACCOUNTS]
    try:
        return get_user_model().objects.filter(username__in=usernames).count() == len(usernames)
    except DatabaseError:  # not migrated yet
        return False
