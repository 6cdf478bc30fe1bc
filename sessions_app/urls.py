from django.urls import path

from sessions_app.views import (
    audit,
    board,
    close,
    corrections,
    drawer,
    history,
    insights,
    preferences,
    setup,
    shifts,
    staff,
)

app_name = "sessions_app"
urlpatterns = [
    path("", board.board, name="board"),
    path("refresh/", board.board_refresh, name="board_refresh"),
    path("sessions/", history.session_history, name="session_history"),
    path("sessions/export.csv", history.session_export, name="session_export"),
    path("sessions/add/", history.session_add, name="session_add"),
    path("sessions/open/", shifts.session_open, name="session_open"),
    path("sessions/<str:session_id>/", shifts.session_detail, name="session_detail"),
    path("sessions/<str:session_id>/close/", close.session_close, name="session_close"),
    path("sessions/<str:session_id>/approve/", shifts.session_approve, name="session_approve"),
    path("sessions/<str:session_id>/refresh/", shifts.session_refresh, name="session_refresh"),
    path("sessions/<str:session_id>/correct/", corrections.session_correct, name="session_correct"),
    path("sessions/<str:session_id>/reopen/", corrections.session_reopen, name="session_reopen"),
    path("sessions/<str:session_id>/delete/", corrections.session_delete, name="session_delete"),
    path(
        "sessions/<str:session_id>/station-status/",
        shifts.station_status_retry,
        name="station_status_retry",
    ),
    path("sessions/<str:session_id>/x/", drawer.x_report, name="x_report"),
    path(
        "sessions/<str:session_id>/movements/new/",
        drawer.cash_movement_new,
        name="cash_movement_new",
    ),
    path(
        "sessions/<str:session_id>/movements/<str:movement_id>/approve/",
        drawer.cash_movement_approve,
        name="cash_movement_approve",
    ),
    path("insights/", insights.insights, name="insights"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("account/alerts/", preferences.preferences, name="preferences"),
    path("setup/", setup.setup_overview, name="setup_overview"),
    path("setup/refresh/", setup.catalog_refresh, name="catalog_refresh"),
    path(
        "setup/refresh/confirm/",
        setup.catalog_removals_confirm,
        name="catalog_removals_confirm",
    ),
    path("setup/outlets/new/", setup.outlet_create, name="outlet_create"),
    path("setup/outlets/<str:outlet_id>/", setup.outlet_edit, name="outlet_edit"),
    path("setup/outlets/<str:outlet_id>/tills/new/", setup.station_create, name="station_create"),
    path("setup/tills/<str:station_id>/", setup.station_edit, name="station_edit"),
    path("setup/tills/<str:station_id>/delete/", setup.station_delete, name="station_delete"),
]
