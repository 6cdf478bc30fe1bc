from django.urls import path

from sessions_app.views import board, staff

app_name = "sessions_app"
urlpatterns = [
    path("", board.board, name="board"),
    path("staff/", staff.staff_list, name="staff_list"),
]
