from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError

from clinics import throttle


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The old password is throttled like log-in and sign-off (clinics/throttle.py)."""

    def __init__(self, user, *args, ip=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.ip = ip
        self.locked_out = False

    def clean_old_password(self):
        try:
            attempt = throttle.begin(self.user, purpose="password change", ip=self.ip)
        except throttle.ReauthLocked as locked:
            self.locked_out = True
            raise ValidationError(str(locked), code="locked_out") from None
        try:
            old_password = super().clean_old_password()
        except ValidationError:
            if attempt.failed():
                self.locked_out = True
                raise ValidationError(str(attempt.lockout()), code="locked_out") from None
            raise
        except BaseException:
            attempt.abandoned()
            raise
        attempt.succeeded()
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ip": throttle.request_ip(self.request)}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_out:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    """Log out, and say so on the log-in page it leads to: without a word, a person on a
    shared clinic computer cannot tell the click worked."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Added after the session was flushed, so the message lives in the new one.
        messages.success(request, "You have signed out.")
        return response
