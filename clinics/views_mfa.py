"""Two-factor authentication pages: set-up (QR code, secret, confirm), recovery codes shown
once, new recovery codes (password again), and the code step of log-in."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from clinics import mfa, throttle
from clinics.forms_mfa import ConfirmAuthenticatorForm, LoginCodeForm, RegenerateCodesForm
from clinics.middleware_mfa import owes_code
from clinics.policy import second_factor_required
from clinics.security_log import security_log

# The secret being set up lives in the session until a code from the app confirms it, so
# opening the page stores nothing; the new recovery codes wait there to be shown once.
SETUP_SECRET_KEY = "mfa_setup_secret"
NEW_CODES_KEY = "mfa_new_recovery_codes"
WRONG_CODE = "That code is not right, or was already used. Enter the code your app shows now."


def _next_url(request) -> str:
    """Where to go afterwards: the `next` asked for, if it is a path on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: never another host, never a bare word redirect() would
    # take for a URL name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@login_required
def setup(request):
    user = request.user
    if mfa.has_authenticator(user):
        return _status_page(request, RegenerateCodesForm())
    hex_key = request.session.get(SETUP_SECRET_KEY) or mfa.new_secret()
    request.session[SETUP_SECRET_KEY] = hex_key
    form = ConfirmAuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = mfa.confirm_authenticator(
                by=user, hex_key=hex_key, code=form.cleaned_data["code"]
            )
        except mfa.WrongCode:
            form.add_error("code", WRONG_CODE + " Check that the phone's clock is right.")
        else:
            del request.session[SETUP_SECRET_KEY]
            otp_login(request, device)
            request.session.cycle_key()
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, "Two-factor authentication is on.")
            return redirect(_with_next(reverse("mfa_recovery_codes"), _next_url(request)))
    context = {
        "form": form,
        "qr_data_uri": mfa.qr_data_uri(user, hex_key),
        "secret": mfa.base32_secret(hex_key),
        "required": second_factor_required(request.membership),
        "next": _next_url(request),
    }
    return render(request, "clinics/mfa/setup.html", context)


def _status_page(request, form, status=200):
    device = mfa.authenticator(request.user)
    context = {
        "device": device,
        "codes_left": mfa.recovery_codes_left(request.user),
        "form": form,
        "required": second_factor_required(request.membership),
    }
    return render(request, "clinics/mfa/status.html", context, status=status)


@login_required
def recovery_codes(request):
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        messages.info(request, "Recovery codes are shown only once. You can make new ones here.")
        return redirect("mfa_setup")
    context = {"codes": codes, "next": _next_url(request) or reverse("dashboard")}
    return render(request, "clinics/mfa/recovery_codes.html", context)


@login_required
@require_POST
def regenerate_codes(request):
    user = request.user
    if not mfa.has_authenticator(user):
        return redirect("mfa_setup")
    form = RegenerateCodesForm(request.POST)
    if not form.is_valid():
        return _status_page(request, form)
    try:
        attempt = throttle.begin(user, purpose="recovery codes", ip=throttle.request_ip(request))
    except throttle.ReauthLocked as locked:
        form.add_error("password", str(locked))
        return _status_page(request, form, status=429)
    try:
        right = user.check_password(form.cleaned_data["password"])
    except BaseException:
        attempt.abandoned()
        raise
    if not right:
        if attempt.failed():
            form.add_error("password", str(attempt.lockout()))
            return _status_page(request, form, status=429)
        form.add_error("password", "That password is not correct.")
        return _status_page(request, form)
    attempt.succeeded()
    try:
        request.session[NEW_CODES_KEY] = mfa.regenerate_recovery_codes(by=user)
    except mfa.WrongCode as error:
        messages.error(request, str(error))
        return redirect("mfa_setup")
    return redirect("mfa_recovery_codes")


def _locked_message(locked: throttle.ReauthLocked) -> str:
    until = format_date(timezone.localtime(locked.until), "H:i")
    return (
        "Too many wrong codes or passwords. For your account's security, codes are refused "
        f"until {until}, even the right one. Log out and try again then, or ask your clinic "
        "admin for help."
    )


def verify(request):
    """The second step of log-in: a code from the app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request) or reverse("dashboard")
    if not owes_code(request):
        return redirect(next_url)
    form = LoginCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device, status = _check_login_code(request, form)
        if device is not None:
            return _verified(request, device, next_url)
    return render(
        request, "clinics/mfa/verify.html", {"form": form, "next": next_url}, status=status
    )


def _check_login_code(request, form):
    """(device, status): the device that accepted the code, or None with the error added."""
    user, ip = request.user, throttle.request_ip(request)
    try:
        attempt = throttle.begin(user, purpose="log-in code", ip=ip)
    except throttle.ReauthLocked as locked:
        form.add_error("code", _locked_message(locked))
        return None, 429
    try:
        device = mfa.verify_login_code(user, form.cleaned_data["code"])
    except mfa.WrongCode:
        security_log.warning("Wrong two-factor code at log-in: user=%r ip=%s", user.username, ip)
        if attempt.failed("two-factor code"):
            form.add_error("code", _locked_message(attempt.lockout()))
            return None, 429
        form.add_error("code", WRONG_CODE)
        return None, 200
    except BaseException:
        attempt.abandoned()
        raise
    attempt.succeeded()
    return device, 200


def _verified(request, device, next_url):
    otp_login(request, device)
    request.session.cycle_key()
    security_log.info(
        "Two-factor code accepted at log-in: user=%r ip=%s",
        request.user.username,
        throttle.request_ip(request),
    )
    if isinstance(device, StaticDevice):
        left = mfa.recovery_codes_left(request.user)
        messages.warning(
            request,
            f"You logged in with a recovery code; {left} left. If you no longer have your "
            "phone, make new recovery codes under Two-factor authentication, and ask your "
            "clinic admin to reset your authenticator app.",
        )
    return redirect(next_url)
