"""E-mail alerts: the managers of an outlet hear about a shift that closed needing review.

Sending is best effort: a mail server failure is logged and never undoes or hides the close.
"""

import logging

from django.core.mail import EmailMessage, mailers
from django.urls import reverse
from django.utils.translation import gettext as _

from sessions_app import selectors
from sessions_app.formatting import differences_text, money, result_label, signed_money
from sessions_app.models import SessionRecord
from sessions_app.site_origin import site_url

logger = logging.getLogger(__name__)


def _review_alert_text(record: SessionRecord) -> tuple[str, str]:
    report = selectors.shift_report(record)
    subject = _("Shift %(number)s at %(outlet)s needs review: %(differences)s") % {
        "number": record.session_number,
        "outlet": report.outlet_name,
        "differences": differences_text(record.variances),
    }
    subject = " ".join(subject.split())  # names come from Final POS: never a header break
    lines = [
        f"{report.station_name}, {report.outlet_name}",
        _("Opened by %(opener)s, closed by %(closer)s.")
        % {"opener": record.opened_by, "closer": record.closed_by},
        "",
        *(
            _("%(method)s: counted %(counted)s, expected %(expected)s, %(difference)s (%(result)s)")
            % {
                "method": line.name,
                "counted": money(line.counted),
                "expected": money(line.expected),
                "difference": signed_money(line.variance),
                "result": result_label(line.result).lower(),
            }
            for line in report.lines
        ),
        _("Result: %(result)s") % {"result": result_label(record.result).lower()},
    ]
    if report.variance_reason:
        lines.append(_("Reason given: %(reason)s") % {"reason": report.variance_reason})
    link = site_url() + reverse("sessions_app:session_detail", args=[record.id])
    preferences = site_url() + reverse("sessions_app:preferences")
    lines += [
        "",
        _("Review and approve it: %(link)s") % {"link": link},
        "",
        _(
            "You get this because you manage this outlet. Turn these e-mails off under "
            "Alerts: %(link)s"
        )
        % {"link": preferences},
    ]
    return subject, "\n".join(lines)


def review_alert_send(record: SessionRecord) -> int:
    """Mails each manager of the shift's outlet who has not turned alerts off; returns how many
    messages were sent."""
    recipients = selectors.review_alert_recipients(outlet_id=record.outlet_id)
    if not recipients:
        return 0
    subject, body = _review_alert_text(record)
    messages = [EmailMessage(subject, body, to=[address]) for address in recipients]
    try:
        sent = mailers.default.send_messages(messages)
    except Exception:  # any mail backend failure; the shift is closed regardless
        logger.exception("Review alert for %s not sent", record.id)
        return 0
    logger.info("Review alert for %s sent to %d manager(s)", record.id, sent)
    return sent
