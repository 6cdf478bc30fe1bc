"""Two open shifts with one number on one till: an open whose answer was lost that a manager
said was not created, when it had been. The one with no sales is deleted (audited, through
the same path as any delete); one with sales is never deleted here."""

from django.utils.translation import gettext as _

from sessions_app.dates import short_datetime
from sessions_app.finalpos import FinalPOSClient, get_client
from sessions_app.models import SessionRecord
from sessions_app.roles import User
from sessions_app.selectors.shifts import shift_twins
from sessions_app.services.errors import ShiftNotCorrectable
from sessions_app.services.shift_checks import ShiftWriteResult
from sessions_app.services.shift_undo import shift_delete


def duplicate_remove(
    *, record: SessionRecord, removed_by_user: User, client: FinalPOSClient | None = None
) -> ShiftWriteResult:
    """Deletes whichever of the shift and its twins has no sales (the later one when none
    has). Refused when every one of them has sales: a person must look at the till."""
    client = client or get_client()
    twins = [record, *shift_twins(record=record)]
    if len(twins) < 2:
        raise ShiftNotCorrectable(_("This shift has no duplicate open on its till."))
    empty = [twin for twin in twins if not client.transaction_list(twin.id)]
    if not empty:
        raise ShiftNotCorrectable(
            _(
                "Every shift numbered %(number)s on this till has sales, so none is deleted "
                "here: close the one not in use on the till."
            )
            % {"number": record.session_number}
        )
    if len(empty) == len(twins):  # none has sales: keep the first one opened
        empty = sorted(empty, key=lambda twin: twin.open_time)[1:]
    kept = next(twin for twin in twins if twin not in empty)
    result = ShiftWriteResult(record=record)
    for duplicate in empty:
        result = shift_delete(
            record=duplicate,
            deleted_by_user=removed_by_user,
            reason=_("Duplicate of %(number)s opened at %(time)s, with no sales")
            % {
                "number": kept.session_number,
                "time": short_datetime(kept.open_time),
            },
            client=client,
        )
    return result
