from django.contrib.auth import views as auth_views
from django.urls import path

from clinics import password_reset, views_mfa
from clinics.forms import LoginForm
from clinics.views import LogoutView, PasswordChangeView

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # The second step of log-in for a user with two-factor authentication.
    path("login/code/", views_mfa.verify, name="mfa_verify"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by email (clinics/password_reset.py).
    path(
        "password-reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # Two-factor authentication (clinics/mfa.py).
    path("two-factor/", views_mfa.setup, name="mfa_setup"),
    path("two-factor/recovery-codes/", views_mfa.recovery_codes, name="mfa_recovery_codes"),
    path(
        "two-factor/recovery-codes/new/",
        views_mfa.regenerate_codes,
        name="mfa_regenerate_codes",
    ),
]
