"""Read-only queries the pages ask, answered from local tables only. One module per page or
concern; this package re-exports them, so ``selectors.board_outlets(...)`` reads naturally."""

from sessions_app.selectors.audit import audit_for_session, audit_list
from sessions_app.selectors.board import (
    BoardOutlet,
    BoardStation,
    board_outlets,
    largest_variances,
    recent_closed_shifts,
    shifts_needing_review,
)
from sessions_app.selectors.catalog import (
    HeldRemoval,
    catalog_held_removals,
    catalog_sync_state,
    outlet_for_user,
    outlet_names_for,
    outlet_of,
    outlets_for,
    pending_open_for,
    refresh_problems,
    station_choices_for,
    station_for_user,
    station_name,
    station_names_for,
    stations_busy_for,
    stations_for,
    stations_free_for,
)
from sessions_app.selectors.handover import LeftInDrawer, left_in_drawer
from sessions_app.selectors.history import (
    EXPORT_COLUMNS,
    HistoryFilters,
    HistoryTotals,
    export_rows,
    history_choices,
    history_totals,
    session_history,
)
from sessions_app.selectors.insights import (
    DayVariance,
    Insights,
    VarianceSummary,
    variance_insights,
)
from sessions_app.selectors.report import ShiftReport, shift_report
from sessions_app.selectors.shifts import names_for, session_for_user, sessions_visible_to
from sessions_app.selectors.staff import (
    StaffMember,
    review_alert_recipients,
    staff_list,
)

__all__ = [
    "EXPORT_COLUMNS",
    "BoardOutlet",
    "BoardStation",
    "DayVariance",
    "HeldRemoval",
    "HistoryFilters",
    "HistoryTotals",
    "Insights",
    "LeftInDrawer",
    "ShiftReport",
    "StaffMember",
    "VarianceSummary",
    "audit_for_session",
    "audit_list",
    "board_outlets",
    "catalog_held_removals",
    "catalog_sync_state",
    "export_rows",
    "history_choices",
    "history_totals",
    "largest_variances",
    "left_in_drawer",
    "names_for",
    "outlet_for_user",
    "outlet_names_for",
    "outlet_of",
    "outlets_for",
    "pending_open_for",
    "recent_closed_shifts",
    "refresh_problems",
    "review_alert_recipients",
    "session_for_user",
    "session_history",
    "sessions_visible_to",
    "shift_report",
    "shifts_needing_review",
    "staff_list",
    "station_choices_for",
    "station_for_user",
    "station_name",
    "station_names_for",
    "stations_busy_for",
    "stations_for",
    "stations_free_for",
    "variance_insights",
]
