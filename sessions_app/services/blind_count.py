"""A blind count that holds: the first count a cashier submits before seeing what was expected
is kept, and a count changed after the reveal is on the report and in the audit trail."""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.closing.drawer import BlindCount
from sessions_app.closing.sales import tender_name
from sessions_app.closing.variance import Reconciliation
from sessions_app.dates import time_of_day
from sessions_app.finalpos.wire import money_to_wire
from sessions_app.formatting import money
from sessions_app.models import CountReveal, SessionRecord
from sessions_app.roles import User
from sessions_app.services.errors import CountIsFinal


def _as_text(counted: dict[str, Decimal]) -> dict[str, str]:
    """As Final POS writes money: a three-decimal currency's last digit is kept."""
    return {key: money_to_wire(amount) for key, amount in counted.items()}


def blind_count_reveal(
    *, record: SessionRecord, counted: dict[str, Decimal], revealed_to: User
) -> CountReveal:
    """Notes the count shown against expected; only the first one is kept. Refuses a changed
    count when the first one is final (BLIND_RECOUNT_AFTER_REVEAL off)."""
    try:
        with transaction.atomic():
            return CountReveal.objects.create(
                session_id=record.id,
                revealed_at=timezone.now(),
                revealed_to=revealed_to,
                first_counted=_as_text(counted),
            )
    except IntegrityError:
        reveal = CountReveal.objects.get(session_id=record.id)
    _refuse_if_final(reveal, counted)
    return reveal


def blind_count_expected_shown(*, record: SessionRecord, reconciliation: Reconciliation) -> None:
    """What the first count was checked against, kept once: a recount is judged by it, not by
    what is expected by the time of the close (a pay-out recorded since changes that)."""
    if not reconciliation.expected_available:
        return
    expected = {
        line.key: line.expected for line in reconciliation.lines if line.expected is not None
    }
    CountReveal.objects.filter(session_id=record.id, expected_shown__isnull=True).update(
        expected_shown=_as_text(expected)
    )


def blind_count_trace(*, record: SessionRecord, counted: dict[str, Decimal]) -> BlindCount | None:
    """The report's record of a blind count: None when expected was never shown."""
    reveal = CountReveal.objects.filter(session_id=record.id).first()
    if reveal is None:
        return None
    _refuse_if_final(reveal, counted)
    first = {key: Decimal(amount) for key, amount in reveal.first_counted.items()}
    changed = _as_text(counted) != reveal.first_counted
    shown = reveal.expected_shown
    return BlindCount(
        revealed_at=reveal.revealed_at,
        first_count=dict(first),
        recounted_at=timezone.now() if changed else None,
        expected_at_reveal=(
            {key: Decimal(amount) for key, amount in shown.items()} if shown else None
        ),
    )


def blind_count_forget(record: SessionRecord) -> None:
    """After the close (or a reopening, which starts a new count)."""
    CountReveal.objects.filter(session_id=record.id).delete()


def _refuse_if_final(reveal: CountReveal, counted: dict[str, Decimal]) -> None:
    if settings.BLIND_RECOUNT_AFTER_REVEAL or _as_text(counted) == reveal.first_counted:
        return
    raise CountIsFinal(
        _(
            "The count was checked against expected at %(time)s, so it cannot be changed "
            "here (cash %(cash)s). Close with it; a manager can correct the shift afterwards."
        )
        % {
            "time": time_of_day(reveal.revealed_at),
            "cash": money(reveal.first_counted.get("cash")),
        }
    )


def recount_summary(trace: BlindCount, counted: dict[str, Decimal]) -> str:
    """For the audit trail: both figures of every tender changed after the reveal."""
    changes = [
        _("%(tender)s first %(first)s, then %(then)s")
        % {"tender": tender_name(key), "first": money(first), "then": money(counted.get(key))}
        for key, first in trace.first_count.items()
        if (first or Decimal(0)) != (counted.get(key) or Decimal(0))
    ]
    return _("recounted after seeing expected: %(changes)s") % {"changes": ", ".join(changes)}
