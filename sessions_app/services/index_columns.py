"""The columns of a shift's index row, worked out from Final POS's answer: its figures (our
report's, or, for a shift a till closed, its declared amounts against what its sales make
expected), its review state and its export cells. services/index.py writes them."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sessions_app.closing.drawer import SalesSummary
from sessions_app.closing.parts import REVIEW_NONE, REVIEW_REQUIRED
from sessions_app.closing.report import ClosingReport
from sessions_app.closing.sales import DrawerMoney
from sessions_app.closing.variance import other_tenders_off, reconcile, shift_result
from sessions_app.exports import export_columns
from sessions_app.finalpos.records import Session
from sessions_app.policy import OutletPolicy
from sessions_app.selectors.ledger import movements_with_ours


@dataclass(frozen=True)
class IndexFigures:
    expected: dict[str, str]
    variances: dict[str, Decimal] | None  # None: expected was not known
    review_state: str
    rounding: Decimal | None = None  # the cash rounding in expected


@dataclass(frozen=True)
class SalesFigures:
    """What a shift's sales make expected, and the rounding inside it (a shift a till
    closed, worked out once from its sales)."""

    expected: dict[str, Decimal]
    rounding: Decimal
    sales: SalesSummary | None = None  # what they were worked out from, for the report


def _report_rounding(report: ClosingReport) -> Decimal | None:
    if report.sales is None:
        return None
    return report.sales.rounding


def index_figures(
    shift: Session,
    report: ClosingReport | None,
    from_sales: SalesFigures | None,
    policy: OutletPolicy,
    money: DrawerMoney,
) -> IndexFigures:
    """The figures of our own report; for a shift a till closed, the difference between what
    it declared and what its sales make expected (when they are known)."""
    if report is not None and report.is_ours:
        variances = {
            key: line.variance for key, line in report.methods.items() if line.variance is not None
        }
        return IndexFigures(
            expected={
                key: str(line.expected)
                for key, line in report.methods.items()
                if line.expected is not None
            },
            variances=variances if report.expected_available and variances else None,
            review_state=report.review_state,
            rounding=_report_rounding(report),
        )
    if shift.is_open or from_sales is None:
        return IndexFigures(expected={}, variances=None, review_state=REVIEW_NONE)
    reconciliation = reconcile(
        counted=shift.closing_amounts,
        expected=from_sales.expected,
        policy=policy.variance,
        currency=money.currency,
    )
    waiting = any(m.awaiting_approval for m in movements_with_ours(None, shift.id))
    return IndexFigures(
        expected={key: str(amount) for key, amount in from_sales.expected.items()},
        variances=reconciliation.variances,
        review_state=REVIEW_REQUIRED if reconciliation.review_required or waiting else REVIEW_NONE,
        rounding=from_sales.rounding,
    )


def storable(value: Any) -> Any:
    """A value from Final POS as the database can keep it: PostgreSQL refuses NUL
    characters in text and JSON, wherever a till put them (a key, a note, its report)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [storable(item) for item in value]
    return value


def index_columns(
    shift: Session,
    report: ClosingReport | None,
    figures: IndexFigures,
    policy: OutletPolicy,
    money: DrawerMoney,
) -> dict[str, Any]:
    """The index row's columns read from Final POS's answer and the figures worked out."""
    variances = figures.variances
    columns: dict[str, Any] = {
        "currency": money.currency.code,
        "session_number": shift.session_number,
        "station_id": shift.station_id,
        "opened_by": shift.opened_by[:200],
        "open_time": shift.open_time,
        "business_date": policy.business_date(shift.open_time),
        "opening_amount": shift.opening_amount,
        "opening_note": shift.opening_note,
        "closed_by": (shift.closed_by or "")[:200],
        "close_time": shift.close_time,
        "closing_amount": shift.closing_amount,
        "closing_note": shift.closing_note or "",
        "counted": storable({key: str(amount) for key, amount in shift.closing_amounts.items()}),
        "expected": figures.expected,
        "variances": {key: str(amount) for key, amount in (variances or {}).items()},
        "cash_variance": (variances or {}).get("cash"),
        "variance_abs": max((abs(v) for v in variances.values()), default=None)
        if variances
        else None,
        "result": shift_result(variances),
        "other_tenders_off": other_tenders_off(variances),
        "rounding": figures.rounding,
        "review_state": figures.review_state,
        **_review_columns(report),
        "left_in_drawer": report.cash_drop.leave if report and report.cash_drop else None,
        "report": storable(report.to_document()) if report is not None else None,
        "upstream_updated_at": shift.updated_at,
        "fetched_at": timezone.now(),
        "last_error": "",
        "deleted_at": None,
        "missing_since": None,
    }
    columns.update(export_columns({**columns, "id": shift.id}, zone=policy.time_zone))
    return columns


def _review_columns(report: ClosingReport | None) -> dict[str, str]:
    if report is None or not report.is_ours:
        return {"variance_reason": "", "approved_by": "", "review_comment": ""}
    return {
        "variance_reason": storable(report.variance_reason),
        "approved_by": storable(report.review.approved_by or "")[:200],
        "review_comment": storable(report.review.comment),
    }
