"""Operations that change state: call Final POS first, then update the local copy briefly.

No database transaction is ever held open across a network call. One module per job; this
package re-exports the public functions, so ``services.session_close(...)`` reads naturally.
"""

from sessions_app.services.audit import audit_write, record_snapshot
from sessions_app.services.blind_count import blind_count_reveal
from sessions_app.services.cash_movements import cash_movement_approve, cash_movement_record
from sessions_app.services.catalog import (
    CATALOG,
    CatalogRefreshResult,
    catalog_refresh,
    catalog_removals_confirm,
)
from sessions_app.services.daily_totals import daily_totals_rebuild
from sessions_app.services.discovery import DiscoveryResult, sessions_discover
from sessions_app.services.errors import (
    CountIsFinal,
    MovementNotFound,
    NameTaken,
    OpenOutcomeUnknown,
    ShiftAlreadyClosed,
    ShiftBusy,
    ShiftChanged,
    ShiftError,
    ShiftNotAllowed,
    ShiftNotCorrectable,
    ShiftNotOpen,
    ShiftNotReviewable,
    StaffChangeRefused,
    StaffNotAllowed,
    StationBusy,
    StationInUse,
    TillReportsInUse,
    VarianceReasonRequired,
)
from sessions_app.services.index import session_fetch, session_index_save, session_refresh
from sessions_app.services.index_refresh import SessionsRefreshResult, sessions_refresh
from sessions_app.services.numbering import session_number_allocate
from sessions_app.services.outlet_settings import (
    OUTLET_POLICY_FIELDS,
    business_dates_recompute,
    outlet_settings_for,
    outlet_settings_update,
)
from sessions_app.services.refresh import RefreshPass, finalpos_refresh, refresh_loop
from sessions_app.services.setup import (
    outlet_create,
    outlet_update,
    station_create,
    station_delete,
    station_rename,
)
from sessions_app.services.shift_checks import ShiftWriteResult
from sessions_app.services.shift_close import (
    session_close,
    session_close_preview,
    session_expected_now,
)
from sessions_app.services.shift_import import session_add_by_id
from sessions_app.services.shift_open import session_open
from sessions_app.services.shift_review import session_approve, session_correct
from sessions_app.services.shift_undo import session_delete, session_reopen
from sessions_app.services.staff import alert_preference_set, staff_profile_for
from sessions_app.services.staff_admin import (
    StaffChanges,
    staff_active_set,
    staff_create,
    staff_password_link_send,
    staff_password_set,
    staff_update,
    superuser_make,
)
from sessions_app.services.station_status import station_status_push
from sessions_app.services.x_report import XReport, x_report_build

__all__ = [
    "CATALOG",
    "OUTLET_POLICY_FIELDS",
    "CatalogRefreshResult",
    "CountIsFinal",
    "DiscoveryResult",
    "MovementNotFound",
    "NameTaken",
    "OpenOutcomeUnknown",
    "RefreshPass",
    "SessionsRefreshResult",
    "ShiftAlreadyClosed",
    "ShiftBusy",
    "ShiftChanged",
    "ShiftError",
    "ShiftNotAllowed",
    "ShiftNotCorrectable",
    "ShiftNotOpen",
    "ShiftNotReviewable",
    "ShiftWriteResult",
    "StaffChangeRefused",
    "StaffChanges",
    "StaffNotAllowed",
    "StationBusy",
    "StationInUse",
    "TillReportsInUse",
    "VarianceReasonRequired",
    "XReport",
    "alert_preference_set",
    "audit_write",
    "blind_count_reveal",
    "business_dates_recompute",
    "cash_movement_approve",
    "cash_movement_record",
    "catalog_refresh",
    "catalog_removals_confirm",
    "daily_totals_rebuild",
    "finalpos_refresh",
    "outlet_create",
    "outlet_settings_for",
    "outlet_settings_update",
    "outlet_update",
    "record_snapshot",
    "refresh_loop",
    "session_add_by_id",
    "session_approve",
    "session_close",
    "session_close_preview",
    "session_correct",
    "session_delete",
    "session_expected_now",
    "session_fetch",
    "session_index_save",
    "session_number_allocate",
    "session_open",
    "session_refresh",
    "session_reopen",
    "sessions_discover",
    "sessions_refresh",
    "staff_active_set",
    "staff_create",
    "staff_password_link_send",
    "staff_password_set",
    "staff_profile_for",
    "staff_update",
    "station_create",
    "station_delete",
    "station_rename",
    "station_status_push",
    "superuser_make",
    "x_report_build",
]
