"""Why cash goes in or out of a drawer: the reasons offered for each kind of movement, and a
reason's words in the page's language."""

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

OTHER_REASON = "Other"  # asks for a note

# The default reasons (finalpos_dashboard/settings.py) are kept in Final POS in these words and
# shown in the page's language; a reason the company sets is shown as it is written.
_TRANSLATED = {
    gettext_noop("Supplies"),
    gettext_noop("Refund paid in cash"),
    gettext_noop("Tips paid out"),
    gettext_noop("Change for the till"),
    gettext_noop("Float top-up"),
    gettext_noop("Safe drop"),
    gettext_noop("Bank deposit"),
    gettext_noop("Other"),
}


def reasons_for(kind: str) -> list[str]:
    """The reasons a cashier may give for a pay-out, a pay-in or a safe drop ("Other" when
    none is set for it, which ``manage.py check`` warns of)."""
    own = {
        "pay_out": settings.CASH_PAY_OUT_REASONS,
        "pay_in": settings.CASH_PAY_IN_REASONS,
        "drop": settings.CASH_DROP_REASONS,
    }.get(kind)
    if own is None:
        return []
    written = (reason.strip() for reason in [*own, *settings.CASH_MOVEMENT_REASONS])
    reasons = list(dict.fromkeys(reason for reason in written if reason))  # "a, b" as "a,b"
    return sorted(reasons, key=lambda reason: reason == OTHER_REASON) or [OTHER_REASON]


def kinds_by_reason() -> dict[str, list[str]]:
    """Every reason offered, in the order of the settings and "Other" last, with the kinds it
    is offered for."""
    kinds: dict[str, list[str]] = {}
    for kind in ("pay_out", "pay_in", "drop"):
        for reason in reasons_for(kind):
            kinds.setdefault(reason, []).append(kind)
    if OTHER_REASON in kinds:
        kinds[OTHER_REASON] = kinds.pop(OTHER_REASON)
    return kinds


def reason_label(reason: str) -> str:
    return gettext(reason) if reason in _TRANSLATED else reason
