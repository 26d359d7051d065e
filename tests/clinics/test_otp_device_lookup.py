"""The device a session was verified with, read on every signed-in request by a query
compiled once (clinics.middleware_mfa.OTPMiddleware): the same answers as django-otp's own
lookup — the device itself, and nothing for a device deleted, unconfirmed, someone else's or
of an unknown kind (and the session then forgets it)."""

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.test import Client, RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from clinics import mfa
from clinics.middleware_mfa import OTPMiddleware

pytestmark = pytest.mark.django_db


def signed_in_user(user, persistent_id: str):
    """`request.user` as a view sees it, for a session naming `persistent_id`."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()
    request = RequestFactory().get("/")
    request.session = client.session
    user = AuthenticationMiddleware(OTPMiddleware(lambda r: r))(request).user
    user.is_verified()  # evaluates the lazy user
    return user, request.session


def test_the_authenticator_app_the_session_names_verifies_it(manager):
    device = mfa.authenticator(manager)
    user, session = signed_in_user(manager, device.persistent_id)
    assert user.is_verified() and user.otp_device == device
    assert user.otp_device.name == device.name and not user.otp_device._state.adding
    assert session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_recovery_codes_verify_it_too(manager):
    recovery = StaticDevice.objects.create(user=manager, name=mfa.RECOVERY_DEVICE_NAME)
    user, _ = signed_in_user(manager, recovery.persistent_id)
    assert user.is_verified() and isinstance(user.otp_device, StaticDevice)


@pytest.mark.parametrize("case", ["deleted", "unconfirmed", "someone else's", "unknown kind"])
def test_no_other_device_verifies_and_the_session_forgets_it(manager, clinic_admin, case):
    device = mfa.authenticator(manager)
    persistent_id = device.persistent_id
    if case == "deleted":
        device.delete()
    elif case == "unconfirmed":
        device.confirmed = False
        device.save()
    elif case == "someone else's":
        persistent_id = mfa.authenticator(clinic_admin).persistent_id
    else:
        persistent_id = "otp_email.emaildevice/1"
    user, session = signed_in_user(manager, persistent_id)
    assert not user.is_verified() and user.otp_device is None
    assert DEVICE_ID_SESSION_KEY not in session
