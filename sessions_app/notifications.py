"""E-mail alerts: the managers of an outlet hear about a shift that closed needing review.

Sending is best effort: a mail server failure is logged and never undoes or hides the close.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.urls import reverse

from sessions_app import selectors
from sessions_app.models import SessionRecord
from sessions_app.templatetags.tills import money, result_label

logger = logging.getLogger(__name__)


def review_alert_send(record: SessionRecord) -> int:
    """Mails each manager of the shift's outlet who has not turned alerts off; returns how many
    messages were sent."""
    recipients = selectors.review_alert_recipients(outlet_id=record.outlet_id)
    if not recipients:
        return 0
    report = selectors.shift_report(record)
    subject = (
        f"Shift {record.session_number} at {report.outlet_name} needs review: "
        f"{money(abs(record.variance_total or 0))} {result_label(record.result).lower()}"
    )
    lines = [
        f"{report.station_name}, {report.outlet_name}",
        f"Opened by {record.opened_by}, closed by {record.closed_by}.",
        "",
        *(
            f"{line.name}: counted {money(line.counted)}, expected {money(line.expected)}"
            for line in report.lines
        ),
        f"Difference: {money(record.variance_total)} ({result_label(record.result).lower()})",
    ]
    if report.variance_reason:
        lines.append(f"Reason given: {report.variance_reason}")
    link = settings.SITE_URL + reverse("sessions_app:session_detail", args=[record.id])
    lines += ["", f"Review and approve it: {link}", "",
              "You get this because you manage this outlet. Turn these e-mails off under "
              f"Alerts: {settings.SITE_URL}{reverse('sessions_app:preferences')}"]  # fmt: skip
    body = "\n".join(lines)
    messages = [EmailMessage(subject, body, to=[address]) for address in recipients]
    try:
        sent = mailers.default.send_messages(messages)
    except Exception:  # any mail backend failure; the shift is closed regardless
        logger.exception("Review alert for %s not sent", record.id)
        return 0
    logger.info("Review alert for %s sent to %d manager(s)", record.id, sent)
    return sent
