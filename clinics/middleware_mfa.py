"""The second step of log-in: no page for a signed-in user who owes a code.

After the password, a user with a confirmed authenticator app is signed in but not yet
verified (django_otp's OTPMiddleware sets `request.user.is_verified()`). Until they enter a
code from the app or a recovery code, every URL except the code page and log-out answers
with a redirect to the code page — the admin, downloads and htmx parts included. A device
added in another session counts at once: that session owes a code on its next request.

Must follow OTPMiddleware (below: django-otp's, reading the session's device with a query
compiled once).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics import mfa
from core.prepared import PreparedQuery, concrete_columns

# The devices clinics/mfa.py makes, by the label a session names them with (persistent_id),
# with the columns their rows are read as.
DEVICE_MODELS = {
    model.model_label(): (model, concrete_columns(model)) for model in (TOTPDevice, StaticDevice)
}


def _device_query(*, device_id: int, label: str):
    model, columns = DEVICE_MODELS[label]
    return model.objects.filter(id=device_id).order_by().values_list(*columns)


# Read on every signed-in request: built by the ORM once per kind of device, then only run.
DEVICE = PreparedQuery(_device_query, ids=("device_id",))


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, which reads the device the session was verified with on every
    signed-in request: here with a query compiled once (core/prepared.py) for the two kinds
    of device ExoCheck makes; any other goes to django-otp's own lookup. django-otp still
    checks the device is the user's and confirmed (`_finalize_device`)."""

    def _device_from_persistent_id(self, persistent_id: str):
        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label not in DEVICE_MODELS or not (device_id.isascii() and device_id.isdigit()):
            return super()._device_from_persistent_id(persistent_id)
        model, columns = DEVICE_MODELS[label]
        row = DEVICE.first_row(device_id=int(device_id), label=label)
        return None if row is None else model.from_db("default", columns, row)


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
