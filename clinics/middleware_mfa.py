"""The second step of log-in: no page for a signed-in user who owes a code.

After the password, a user with a confirmed authenticator app is signed in but not yet
verified (django_otp's OTPMiddleware sets `request.user.is_verified()`). Until they enter a
code from the app or a recovery code, every URL except the code page and log-out answers
with a redirect to the code page — the admin, downloads and htmx parts included. A device
added in another session counts at once: that session owes a code on its next request.

Must follow django_otp.middleware.OTPMiddleware.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from clinics import mfa


def owes_code(request) -> bool:
    """Signed in with a password, has an authenticator app, has not entered a code yet."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return mfa.has_authenticator(user)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.mfa_pending = False
        if request.path_info.startswith(settings.STATIC_URL) or not owes_code(request):
            return self.get_response(request)
        request.mfa_pending = True
        allowed = {reverse("mfa_verify"), reverse("logout")}
        if request.path_info in allowed:
            return self.get_response(request)
        target = reverse("mfa_verify")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
