"""Self-service password reset by email: Django's token views, in ExoCheck's look.

- The same answer for a known and an unknown email ("if an account has that email, a link is
  on its way"); only a known, active account gets the email. No enumeration.
- Rate limited: PASSWORD_RESET_LIMIT requests per PASSWORD_RESET_WINDOW from one address and
  for one email (counted alike whether or not the email is known), in the database so every
  process shares the count. Over the limit: a clear message (429), nothing sent, logged.
- The link is absolute from settings.SITE_URL when set (never the request's Host header in
  production), single-use (Django's token changes with the password) and expires after
  PASSWORD_RESET_TIMEOUT. Opening it moves the token out of the address bar (Django).
- The new password goes through AUTH_PASSWORD_VALIDATORS. Resetting does not log in: a user
  with two-factor authentication still enters a code at the next log-in.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clinics.models import PasswordResetRequest
from clinics.security_log import security_log
from clinics.services import mask_email
from clinics.throttle import request_ip

RATE_LIMITED = (
    "Too many password reset requests for this email or from this network. For your "
    "account's security, try again in an hour, or ask your clinic admin to reset it."
)


def limit() -> int:
    return getattr(settings, "PASSWORD_RESET_LIMIT", 5)


def window() -> timedelta:
    return getattr(settings, "PASSWORD_RESET_WINDOW", timedelta(hours=1))


def _key(kind: str, value: str) -> str:
    return salted_hmac(f"exocheck.password-reset.{kind}", value.strip().casefold()).hexdigest()


def allow_request(*, email: str, ip: str | None) -> bool:
    """Record a reset request, or return False (recording nothing) if this email or this
    address has had `limit()` requests within `window()`."""
    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - window()).delete()
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - window())
    ip_hash, email_hash = _key("ip", ip or "unknown"), _key("email", email)
    if (
        recent.filter(ip_hash=ip_hash).count() >= limit()
        or recent.filter(email_hash=email_hash).count() >= limit()
    ):
        return False
    PasswordResetRequest.objects.create(ip_hash=ip_hash, email_hash=email_hash, requested_at=now)
    return True


def site_url(request) -> str:
    """The address links in emails start with: SITE_URL, or (development) this request's
    host, which Django has checked against ALLOWED_HOSTS."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


class ThrottledPasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, ip=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ip = ip
        self.rate_limited = False
        self.fields["email"].label = "Your email address"
        self.fields["email"].help_text = "The email address of your ExoCheck account."

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and not allow_request(email=email, ip=self.ip):
            self.rate_limited = True
            security_log.warning(
                "Password reset refused, rate limited: email=%s ip=%s", mask_email(email), self.ip
            )
            raise ValidationError(RATE_LIMITED, code="rate_limited")
        if email:
            security_log.info(
                "Password reset requested: email=%s ip=%s", mask_email(email), self.ip
            )
        return cleaned


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ip": request_ip(self.request)}

    def form_valid(self, form):
        self.extra_email_context = {"site_url": site_url(self.request)}
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.rate_limited:
            response.status_code = 429
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        security_log.info(
            "Password reset with an emailed link: user=%r ip=%s",
            form.user.get_username(),
            request_ip(self.request),
        )
        return response
