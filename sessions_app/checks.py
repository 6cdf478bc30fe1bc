"""Deployment checks of our own (`manage.py check --deploy`, run by `make check-deploy` and
CI): settings that boot but would fail people once live."""

from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

from sessions_app.notifications import email_configured


@register(Tags.security, deploy=True)
def mail_and_links_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    warnings: list[CheckMessage] = []
    if not email_configured():
        return warnings
    _, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = sender.rpartition("@")[2].lower()
    if not domain or domain == "localhost" or "." not in domain:
        warnings.append(
            Warning(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail providers refuse "
                "a sender on a domain that is not yours.",
                hint="Set DEFAULT_FROM_EMAIL, e.g. 'Till close <tills@example.com>', to an "
                "address of a domain your mail server may send for.",
                id="sessions_app.W001",
            )
        )
    if not settings.SITE_URL:
        warnings.append(
            Warning(
                "SITE_URL is not set: 'Forgot your password?' is not offered, and links in "
                "e-mails use the address a signed-in person last used.",
                hint="Set SITE_URL to the address people use, e.g. https://tills.example.com.",
                id="sessions_app.W002",
            )
        )
    return warnings


@register()
def movement_reasons_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A kind of cash movement with no reason set would offer only "Other"."""
    return [
        Warning(
            f'{name} is empty: a cashier can only give "Other" (with a note) for it.',
            hint=f"Set {name} to a comma-separated list of reasons, or unset it for the defaults.",
            id="sessions_app.W003",
        )
        for name in ("CASH_PAY_OUT_REASONS", "CASH_PAY_IN_REASONS", "CASH_DROP_REASONS")
        if not [reason for reason in getattr(settings, name) if reason.strip()]
    ]
