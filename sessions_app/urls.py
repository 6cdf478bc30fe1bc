from django.urls import path

from sessions_app.views import (
    audit,
    board,
    close,
    corrections,
    drawer,
    history,
    insights,
    outcome,
    preferences,
    receipts,
    review,
    setup,
    shifts,
    staff,
    till_shifts,
)

app_name = "sessions_app"
urlpatterns = [
    path("", board.board_view, name="board"),
    path("refresh/", board.board_refresh_view, name="board_refresh"),
    path("sessions/", history.session_history_view, name="session_history"),
    path("sessions/export.csv", history.session_export_view, name="session_export"),
    path("sessions/add/", history.session_add_view, name="session_add"),
    path("sessions/open/", shifts.session_open_view, name="session_open"),
    path("sessions/<str:session_id>/", shifts.session_detail_view, name="session_detail"),
    path("sessions/<str:session_id>/close/", close.session_close_view, name="session_close"),
    path("sessions/<str:session_id>/approve/", shifts.session_approve_view, name="session_approve"),
    path("sessions/<str:session_id>/refresh/", shifts.session_refresh_view, name="session_refresh"),
    path(
        "sessions/<str:session_id>/correct/",
        corrections.session_correct_view,
        name="session_correct",
    ),
    path(
        "sessions/<str:session_id>/reopen/", corrections.session_reopen_view, name="session_reopen"
    ),
    path(
        "sessions/<str:session_id>/delete/", corrections.session_delete_view, name="session_delete"
    ),
    path(
        "sessions/<str:session_id>/station-status/",
        shifts.station_status_retry_view,
        name="station_status_retry",
    ),
    path("sessions/<str:session_id>/x/", drawer.x_report_view, name="x_report"),
    path("sessions/<str:session_id>/x/receipt/", receipts.x_receipt_view, name="x_receipt"),
    path("sessions/<str:session_id>/receipt/", receipts.z_receipt_view, name="z_receipt"),
    path(
        "sessions/<str:session_id>/not-confirmed/",
        outcome.write_outcome_view,
        name="write_outcome",
    ),
    path(
        "sessions/<str:session_id>/take-over/",
        till_shifts.shift_take_over_view,
        name="shift_take_over",
    ),
    path(
        "sessions/<str:session_id>/duplicate/delete/",
        till_shifts.duplicate_remove_view,
        name="duplicate_remove",
    ),
    path(
        "sessions/<str:session_id>/conflicts/<int:conflict_id>/",
        till_shifts.conflict_resolve_view,
        name="conflict_resolve",
    ),
    path(
        "sessions/<str:session_id>/movements/new/",
        drawer.cash_movement_new_view,
        name="cash_movement_new",
    ),
    path(
        "sessions/<str:session_id>/movements/<str:movement_id>/approve/",
        drawer.cash_movement_approve_view,
        name="cash_movement_approve",
    ),
    path("insights/", insights.insights_view, name="insights"),
    path("review/", review.review_queue_view, name="review_queue"),
    path("audit/", audit.audit_list_view, name="audit_list"),
    path("staff/", staff.staff_list_view, name="staff_list"),
    path("staff/new/", staff.staff_create_view, name="staff_create"),
    path("staff/<int:member_id>/", staff.staff_edit_view, name="staff_edit"),
    path("staff/<int:member_id>/active/", staff.staff_active_view, name="staff_active"),
    path("staff/<int:member_id>/password/", staff.staff_password_view, name="staff_password"),
    path("staff/<int:member_id>/unlock/", staff.staff_unlock_view, name="staff_unlock"),
    path("account/alerts/", preferences.preferences_view, name="preferences"),
    path("account/language/", preferences.language_view, name="language"),
    path("setup/", setup.setup_overview_view, name="setup_overview"),
    path("setup/refresh/", setup.catalog_refresh_view, name="catalog_refresh"),
    path(
        "setup/refresh/confirm/",
        setup.catalog_removals_confirm_view,
        name="catalog_removals_confirm",
    ),
    path("setup/outlets/new/", setup.outlet_create_view, name="outlet_create"),
    path("setup/outlets/<str:outlet_id>/", setup.outlet_edit_view, name="outlet_edit"),
    path(
        "setup/outlets/<str:outlet_id>/rules/", setup.outlet_settings_view, name="outlet_settings"
    ),
    path(
        "setup/outlets/<str:outlet_id>/tills/new/", setup.station_create_view, name="station_create"
    ),
    path("setup/tills/<str:station_id>/", setup.station_edit_view, name="station_edit"),
    path("setup/tills/<str:station_id>/delete/", setup.station_delete_view, name="station_delete"),
]
