"""The closing report this project keeps in a session's ``closingReportData`` (contract
decision 6): the one package that reads and writes its format.

Reading is tolerant: a report written by a till, by an older version or in an unexpected
shape never raises. A document that is not ours is kept whole as ``foreign``; in ours, a key
this version does not know is kept in ``extra``, and a part that cannot be read is kept as it
was in ``unreadable`` and written back untouched. Writing is strict: money as two-decimal
strings, times as UTC ISO 8601 with a ``Z``.
"""

from sessions_app.closing_report.drawer import (
    DROP,
    MOVEMENT_KINDS,
    PAY_IN,
    PAY_OUT,
    BlindCount,
    CashDrawer,
    CashMovement,
    Handover,
    MethodSales,
    SalesSummary,
)
from sessions_app.closing_report.parts import (
    REVIEW_APPROVED,
    REVIEW_NONE,
    REVIEW_REQUIRED,
    CashDrop,
    Correction,
    CorrectionSide,
    MethodFigures,
    Review,
)
from sessions_app.closing_report.report import (
    VERSION,
    WRITER,
    ClosingReport,
    PreviousClose,
    Reopening,
    from_index,
    parse,
)
from sessions_app.closing_report.values import (
    RawEntry,
    UnreadablePart,
    amount_from_report,
    amount_or_none,
    amount_to_report,
    counts_to_report,
)

__all__ = [
    "DROP",
    "MOVEMENT_KINDS",
    "PAY_IN",
    "PAY_OUT",
    "REVIEW_APPROVED",
    "REVIEW_NONE",
    "REVIEW_REQUIRED",
    "VERSION",
    "WRITER",
    "BlindCount",
    "CashDrawer",
    "CashDrop",
    "CashMovement",
    "ClosingReport",
    "Correction",
    "CorrectionSide",
    "Handover",
    "MethodFigures",
    "MethodSales",
    "PreviousClose",
    "RawEntry",
    "Reopening",
    "Review",
    "SalesSummary",
    "UnreadablePart",
    "amount_from_report",
    "amount_or_none",
    "amount_to_report",
    "counts_to_report",
    "from_index",
    "parse",
]
