"""The review queue: every closed shift at the manager's outlets that needs their approval, or
whose two versions they must choose between, newest close first, with what the approval
will cover."""

from dataclasses import dataclass

from sessions_app.closing.drawer import CashMovement
from sessions_app.closing.report import from_index
from sessions_app.closing.variance import MethodDifference, differences
from sessions_app.models import SessionRecord
from sessions_app.policy import outlet_policy
from sessions_app.roles import User
from sessions_app.selectors.ledger import ledger_movements_of, movements_with_ours
from sessions_app.selectors.shifts import names_for, shifts_visible_to

QUEUE_LENGTH = 50  # shown at once; the count says how many there are in all


@dataclass(frozen=True)
class ReviewItem:
    record: SessionRecord
    outlet_name: str
    till_name: str
    differences: list[MethodDifference]
    reason: str
    movements_waiting: list[CashMovement]  # what the approval's checkbox approves too

    @property
    def needs_a_reason(self) -> bool:
        return not self.reason


def approval_needs_a_reason(record: SessionRecord) -> bool:
    """Whether approving the shift needs the manager's reason for its difference: it has none
    yet (a till's close) and a difference above its outlet's reason limit. The form asks for it
    with the other fields; shift_approve checks again against Final POS's copy."""
    if record.variance_reason or record.variance_abs is None:
        return False
    return record.variance_abs > outlet_policy(record.outlet_id).variance.reason_threshold


@dataclass(frozen=True)
class ReviewQueue:
    items: list[ReviewItem]
    total: int


def review_queue(*, user: User, outlet_id: str = "") -> ReviewQueue:
    """The shifts waiting for a manager at the user's outlets (one of them, when given)."""
    visible = shifts_visible_to(user=user)
    if outlet_id:
        visible = visible.filter(outlet_id=outlet_id)
    shifts = (
        visible.filter(deleted_at__isnull=True, close_time__isnull=False).filter(
            review_state="needs_review"
        )
        | visible.filter(deleted_at__isnull=True, in_conflict=True)
    ).order_by("-close_time")
    total = shifts.count()
    records = list(shifts[:QUEUE_LENGTH])
    outlets, tills = names_for(records)
    recorded = ledger_movements_of(record.id for record in records)  # one query for the page
    items = []
    for record in records:
        report = from_index(record.report)
        movements = movements_with_ours(report, record.id, recorded=recorded.get(record.id, []))
        items.append(
            ReviewItem(
                record=record,
                outlet_name=outlets.get(record.outlet_id, record.outlet_id),
                till_name=tills.get(record.station_id, record.station_id),
                differences=differences(record.variances),
                reason=record.variance_reason,
                movements_waiting=[m for m in movements if m.awaiting_approval],
            )
        )
    return ReviewQueue(items=items, total=total)
