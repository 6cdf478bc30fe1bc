"""A manager takes over a shift a till holds open, when the till is out of use (broken, the
cashier gone): from then on the dashboard holds it, so it can be counted, moved and closed
here. Nothing is written to Final POS for the takeover itself; what was kept here for the
shift (cash moved) is written at once."""

from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_app.finalpos import FinalPOSClient, get_client
from sessions_app.models import AuditEntry, LedgerEntry, SessionRecord
from sessions_app.roles import User
from sessions_app.services.audit import audited_shift_write
from sessions_app.services.errors import ShiftNotCorrectable, ShiftNotOpen
from sessions_app.services.index import shift_index_save
from sessions_app.services.ledger import ledger_record, opened_here
from sessions_app.services.ledger_write_back import write_back_now
from sessions_app.services.shift_checks import ShiftWriteResult, read_current


def shift_take_over(
    *,
    record: SessionRecord,
    taken_over_by_user: User,
    reason: str,
    client: FinalPOSClient | None = None,
) -> ShiftWriteResult:
    """The dashboard holds the shift from now on. Refused for a closed shift, and without a
    reason (someone has looked at the till)."""
    client = client or get_client()
    reason = reason.strip()
    if not reason:
        raise ShiftNotCorrectable(_("Say why the till no longer holds this shift."))
    with audited_shift_write(
        actor=taken_over_by_user,
        action="takeover",
        record=record,
        outlet_id=record.outlet_id,
        summary=_("Take over %(number)s from the till: %(reason)s")
        % {"number": record.session_number, "reason": reason},
    ) as audit:
        current = read_current(record, client)
        if not current.is_open:
            shift_index_save(current)
            raise ShiftNotOpen(_("This shift is closed already: there is nothing to take over."))
        if opened_here(session_id=record.id, session_number=current.session_number):
            audit.nothing_written = True
            return ShiftWriteResult(record=shift_index_save(current), already_done=True)
        ledger_record(
            session_id=record.id,
            kind=LedgerEntry.TAKEOVER,
            key=timezone.now().isoformat(),
            by_user=taken_over_by_user,
            part={"reason": reason},
        )
        saved = write_back_now(record, current, audit=audit, client=client)
        if saved is None:  # nothing was waiting: the takeover is the dashboard's alone
            audit.outcome = AuditEntry.LOCAL
            saved = shift_index_save(current)
        audit.shift_written(saved)
    return ShiftWriteResult(record=saved)
