"""A shift a till closed, as its page shows it: the review the outlet's rules ask for, and
where the till's own report and the dashboard's figures differ."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from sessions_app.closing.parts import Review
from sessions_app.closing.till_report import TillFigures
from sessions_app.closing.variance import MethodLine
from sessions_app.models import SessionRecord


@dataclass(frozen=True)
class TillDisagreement:
    """Where the till's own report and the dashboard's figures differ."""

    name: str
    till: Decimal
    dashboard: Decimal


def review_of_a_till_close(record: SessionRecord) -> Review:
    """A shift a till closed, before the dashboard wrote its own report: the review the
    outlet's rules ask for, worked out when it was indexed."""
    return Review(required=record.review_state in ("needs_review", "approved"))


def till_disagrees(figures: TillFigures | None, lines: list[MethodLine]) -> list[TillDisagreement]:
    """The till's expected cash and declared totals against the dashboard's: the till knows
    nothing of the cash moved here, and may have counted other sales."""
    if figures is None:
        return []
    found = []
    cash = next((line for line in lines if line.key == "cash"), None)
    if (
        cash is not None
        and cash.expected is not None
        and figures.expected_cash is not None
        and figures.expected_cash != cash.expected
    ):
        found.append(TillDisagreement(_("Expected cash"), figures.expected_cash, cash.expected))
    for line in lines:
        declared = figures.declared.get(line.key)
        if declared is not None and declared != line.counted:
            found.append(
                TillDisagreement(
                    _("%(tender)s declared") % {"tender": line.name}, declared, line.counted
                )
            )
    return found
