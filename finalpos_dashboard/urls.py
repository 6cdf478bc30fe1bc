"""Top-level URLs: authentication (sign-in, password links), the health probe, and the dashboard
app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sessions_app.signin import ThrottledAuthenticationForm
from sessions_app.views import health, site

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("ops/", admin.site.urls),  # the operator's view: superusers only
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=ThrottledAuthenticationForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgotten passwords, and the links new and reset staff are e-mailed to choose one
    path("accounts/password_reset/", site.PasswordResetByEmail.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        site.PasswordResetConfirmAndUnlock.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("favicon.ico", site.favicon),
    path("", include("sessions_app.urls")),
]

handler403 = "sessions_app.views.site.permission_denied"
handler404 = "sessions_app.views.site.page_not_found"
handler500 = "sessions_app.views.site.server_error"
