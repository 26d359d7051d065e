"""Two-factor authentication: an authenticator app (TOTP) and one-time recovery codes.

django-otp keeps the devices: one confirmed `TOTPDevice` ("Authenticator app") per user and
one `StaticDevice` holding the user's recovery codes. This module is the only place that
makes, checks or replaces them, so views, the sign-off service and the demo agree.

- Log-in: after the password, a user with a confirmed authenticator app enters a code from
  it, or a recovery code, before any page (clinics/middleware_mfa.py); `verify_login_code`.
- Sign-off takes the password *and* a current code from the app (`verify_signing_code`):
  two distinct components (21 CFR 11.200). Recovery codes are for log-in only.
- Practice managers and clinic admins must have the app before they sign off or manage
  members (clinics/policy.py SECOND_FACTOR_ACTIONS; `has_authenticator`).

Wrong codes are counted with wrong passwords by clinics/throttle.py (one count per user, in
the database); django-otp's own per-device back-off is off (settings), so there is one rule.
"""

import base64
import binascii
import logging
import secrets
import time

import segno
from django.db import transaction
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

security_log = logging.getLogger("exocheck.security")

DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
ISSUER = "ExoCheck"


class WrongCode(Exception):
    """The code was not right (or already used)."""


def authenticator(user):
    """The user's confirmed authenticator app, or None."""
    if user is None or not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def has_authenticator(user) -> bool:
    if user is None or not getattr(user, "pk", None):
        return False
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(
        device__user_id=user.pk, device__confirmed=True, device__name=RECOVERY_DEVICE_NAME
    ).count()


# --- Enrolment ---------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh 160-bit secret, hex-encoded as django-otp stores it."""
    return secrets.token_hex(20)


def base32_secret(hex_key: str) -> str:
    """The secret as an authenticator app asks for it when typed: base32, in groups of 4."""
    text = base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def hex_from_base32(text: str) -> str:
    return base64.b32decode(text.replace(" ", "").upper()).hex()


def provisioning_uri(user, hex_key: str) -> str:
    """The otpauth:// address the QR code holds (the key URI format every app reads)."""
    device = TOTPDevice(user=user, key=hex_key, name=DEVICE_NAME)
    return device.config_url


def qr_data_uri(user, hex_key: str) -> str:
    """The QR code as an SVG image inside a data: URI (the CSP allows data: images): drawn
    here by segno, no image file, no request to another service, no markup marked safe.
    An SVG loaded as an image must declare the SVG namespace or browsers draw nothing, which
    segno's inline SVG (for pasting into HTML) leaves out; its data URI keeps it."""
    code = segno.make(provisioning_uri(user, hex_key), error="m")
    return code.svg_data_uri(scale=5, border=3, dark="#000", light="#fff")


def _matching_step(hex_key: str, code: str, *, tolerance: int = 1) -> int | None:
    """The time step at which `code` is right for `hex_key`, within `tolerance` steps."""
    code = normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(hex_key), 30, 0, 6, 0)
    totp.time = time.time()
    if totp.verify(int(code), tolerance):
        return totp.t()
    return None


@transaction.atomic
def confirm_authenticator(*, by, hex_key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn on two-factor authentication for `by` with the secret shown to them, once they
    prove their app has it (a current code). Returns the device and the new recovery codes
    (shown once). Replaces any earlier device: one authenticator app per user."""
    try:
        step = _matching_step(hex_key, code)
    except (ValueError, binascii.Error):
        step = None
    if step is None:
        raise WrongCode()
    TOTPDevice.objects.filter(user_id=by.pk).delete()
    device = TOTPDevice.objects.create(
        user=by, name=DEVICE_NAME, key=hex_key, confirmed=True, last_t=step
    )
    codes = _replace_recovery_codes(by)
    security_log.info("Two-factor authentication turned on: user=%r", by.get_username())
    return device, codes


@transaction.atomic
def regenerate_recovery_codes(*, by) -> list[str]:
    """New recovery codes for `by`; the old ones stop working. The caller has checked the
    password (clinics/views_mfa.py)."""
    if not has_authenticator(by):
        raise WrongCode("Turn on two-factor authentication first.")
    codes = _replace_recovery_codes(by)
    security_log.info("Recovery codes regenerated: user=%r", by.get_username())
    return codes


def _replace_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()  # 8 characters of base32: 40 random bits
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    return [display_recovery_code(code) for code in codes]


def display_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


# --- Checking codes ----------------------------------------------------------------------


def normalise(code: str) -> str:
    """What was typed, without spaces or hyphens (apps show "123 456", codes "abcd-efgh")."""
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


def verify_login_code(user, code: str):
    """The device that accepts `code` at log-in (the app, or an unused recovery code, which
    is then used up), or raise WrongCode. A code already used is refused."""
    code = normalise(code)
    device = authenticator(user)
    if device is None or not code:
        raise WrongCode()
    if code.isdigit() and len(code) == 6:
        verified = verify_token(user, device.persistent_id, code)
    else:
        verified = None
        recovery = StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first()
        if recovery is not None and len(code) <= 16:
            verified = verify_token(user, recovery.persistent_id, code)
            if verified is not None:
                security_log.info(
                    "Recovery code used at log-in: user=%r left=%s",
                    user.get_username(),
                    recovery_codes_left(user),
                )
    if verified is None:
        raise WrongCode()
    return verified


def verify_signing_code(user, code: str) -> bool:
    """True if `code` is a current code from `user`'s authenticator app (never a recovery
    code), not used before. Used by the sign-off service."""
    code = normalise(code)
    device = authenticator(user)
    if device is None or not (code.isdigit() and len(code) == 6):
        return False
    return verify_token(user, device.persistent_id, code) is not None


def current_code(device: TOTPDevice) -> str:
    """The code `device` shows now (demo and tests only: the server never needs it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"
