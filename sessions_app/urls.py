from django.urls import path

from sessions_app.views import board, shifts, staff

app_name = "sessions_app"
urlpatterns = [
    path("", board.board, name="board"),
    path("sessions/open/", shifts.session_open, name="session_open"),
    path("sessions/<str:session_id>/", shifts.session_detail, name="session_detail"),
    path("sessions/<str:session_id>/close/", shifts.session_close, name="session_close"),
    path("sessions/<str:session_id>/approve/", shifts.session_approve, name="session_approve"),
    path("sessions/<str:session_id>/refresh/", shifts.session_refresh, name="session_refresh"),
    path(
        "sessions/<str:session_id>/station-status/",
        shifts.station_status_retry,
        name="station_status_retry",
    ),
    path("staff/", staff.staff_list, name="staff_list"),
]
