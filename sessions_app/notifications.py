"""E-mail the dashboard sends: review alerts to the managers of an outlet when a shift closes
needing review, the weekly digest, and password links (an invitation, or a reset) to one staff
member. Each is written in its recipient's language (sessions_app/languages.py), whoever or
whatever sends it: a manager's page, a cashier's close, the worker.

Review alerts are best effort: a mail server failure is logged and never undoes or hides the
close. A password link that could not be sent is reported to the person who asked for it.
"""

import logging
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sessions_app.dates import when
from sessions_app.formatting import differences_text, money, result_word, signed_money
from sessions_app.languages import recipient_language, written_language
from sessions_app.models import SessionRecord
from sessions_app.money import currency, using
from sessions_app.policy import outlet_zone
from sessions_app.roles import User
from sessions_app.selectors.digest import WeekDigest
from sessions_app.selectors.report import shift_report
from sessions_app.selectors.staff import review_alert_recipients
from sessions_app.site_origin import site_url

logger = logging.getLogger(__name__)

# Mailers that keep mail on this machine: with them, no one would receive a password link.
UNDELIVERED_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)


def email_configured() -> bool:
    """Whether mail reaches people: a real mailer is set (EMAIL_URL), not the console one."""
    default = settings.MAILERS.get("default", {})
    backend = default.get("BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    return backend not in UNDELIVERED_BACKENDS


class _PasswordLinkInTheirLanguage(PasswordResetForm):
    """Django's password reset e-mail, written in the language of the account it is for."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with translation.override(recipient_language(context["user"])):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class _OneAccountPasswordLink(PasswordResetForm):
    """Django's password reset e-mail, for one account, in its language: the stock form writes
    to every active account with the address and skips the ones with no password yet (an
    invitation's), and it only logs a mail server failure."""

    def __init__(self, member: User) -> None:
        super().__init__({"email": member.email})
        self.member = member

    def get_users(self, email: str) -> list[User]:
        return [self.member]

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with translation.override(recipient_language(self.member)):
            subject_lines = loader.render_to_string(subject_template_name, context).splitlines()
            body = loader.render_to_string(email_template_name, context)
        subject = "".join(subject_lines)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


def password_link_send(*, member: User, invitation: bool) -> None:
    """E-mails the member a link to choose their password: an invitation to a new account, or
    a reset. Raises ValueError for an address that is not one, and the mailer's own error when
    the mail server refuses."""
    form = _OneAccountPasswordLink(member)
    if not form.is_valid():
        raise ValueError(f"not an e-mail address: {member.email!r}")
    site = urlsplit(site_url())
    kind = "invitation" if invitation else "password_reset"
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name=f"registration/{kind}_subject.txt",
        email_template_name=f"registration/{kind}_email.html",
    )


def password_reset_send(*, email: str, origin: str) -> int:
    """Django's "forgot your password" e-mail to each active account with this address, with
    a link on ``origin`` (SITE_URL). Returns how many were mailed (0 for an unknown address)."""
    form = _PasswordLinkInTheirLanguage({"email": email})
    if not form.is_valid():
        return 0
    users = list(form.get_users(email))
    site = urlsplit(origin)
    form.save(domain_override=site.netloc, use_https=site.scheme == "https")
    return len(users)


def _review_alert_text(record: SessionRecord) -> tuple[str, str]:
    with using(currency(record.currency)):  # the e-mail reads in the shift's currency
        return _review_alert_in_currency(record)


def _review_alert_in_currency(record: SessionRecord) -> tuple[str, str]:
    report = shift_report(record)
    zone = outlet_zone(record.outlet_id)  # times as the outlet's clock showed them
    subject = _("Shift %(number)s at %(outlet)s needs review: %(differences)s") % {
        "number": record.session_number,
        "outlet": report.outlet_name,
        "differences": differences_text(record.variances),
    }
    subject = " ".join(subject.split())  # names come from Final POS: never a header break
    lines = [
        f"{report.till_name}, {report.outlet_name}",
        _("Opened by %(opener)s at %(opened)s, closed by %(closer)s at %(closed)s.")
        % {
            "opener": record.opened_by,
            "opened": when(record.open_time, zone),
            "closer": record.closed_by,
            "closed": when(record.close_time, zone),
        },
        "",
        *(
            _("%(method)s: counted %(counted)s, expected %(expected)s, %(difference)s (%(result)s)")
            % {
                "method": line.name,
                "counted": money(line.counted),
                "expected": money(line.expected),
                "difference": signed_money(line.variance),
                "result": result_word(line.result),
            }
            for line in report.lines
        ),
        _("Result: %(result)s") % {"result": result_word(record.result)},
    ]
    if report.variance_reason:
        lines.append(_("Reason given: %(reason)s") % {"reason": report.variance_reason})
    link = site_url() + reverse("sessions_app:shift_detail", args=[record.id]) + "#review"
    queue = site_url() + reverse("sessions_app:review_queue")
    preferences = site_url() + reverse("sessions_app:preferences")
    lines += [
        "",
        _("Review and approve it (you are asked to sign in first): %(link)s") % {"link": link},
        _("Everything waiting for your review: %(link)s") % {"link": queue},
        "",
        _(
            "You get this because you manage this outlet. Turn these e-mails off under "
            "Alerts: %(link)s"
        )
        % {"link": preferences},
    ]
    return subject, "\n".join(lines)


def review_alert_send(
    record: SessionRecord,
    *,
    skip: Collection[str] = (),
    on_sent: Callable[[str], None] = lambda address: None,
) -> int:
    """Mails each manager of the shift's outlet who has not turned alerts off, but those in
    ``skip``, one message each, calling ``on_sent`` with each address once its message has
    gone; returns how many messages were sent."""
    recipients = {
        address: written_language(chosen)
        for address, chosen in review_alert_recipients(outlet_id=record.outlet_id).items()
        if address not in skip
    }
    if not recipients:
        return 0
    texts = {}  # one text per language, however many managers read it
    for language in set(recipients.values()):
        with translation.override(language):
            texts[language] = _review_alert_text(record)
    sent = 0
    try:
        with mailers.default as connection:
            for address, language in recipients.items():
                subject, body = texts[language]
                message = EmailMessage(subject, body, to=[address])
                sent += connection.send_messages([message]) or 0
                on_sent(address)
    except Exception:  # any mail backend failure; the shift is closed regardless
        logger.exception("Review alert for %s not sent", record.id)
        return sent
    logger.info("Review alert for %s sent to %d manager(s)", record.id, sent)
    return sent


def weekly_digest_send(*, manager: User, digest: WeekDigest) -> int:
    """One manager's week in one message, in their language; 1 when sent, 0 when the mail
    server refused it."""
    with translation.override(recipient_language(manager)):
        subject = _("Your week at the tills: %(start)s to %(end)s") % {
            "start": date_format(digest.start, "SHORT_DATE_FORMAT"),
            "end": date_format(digest.end, "SHORT_DATE_FORMAT"),
        }
        body = loader.render_to_string(
            "emails/weekly_digest.txt",
            {
                "digest": digest,
                "queue": site_url() + reverse("sessions_app:review_queue"),
                "history": site_url() + reverse("sessions_app:shift_history"),
                "preferences": site_url() + reverse("sessions_app:preferences"),
            },
        )
    try:
        return EmailMessage(subject, body, to=[manager.email]).send() or 0
    except Exception:  # any mail backend failure: the next week's digest still comes
        logger.exception("Weekly digest for %s not sent", manager.pk)
        return 0
