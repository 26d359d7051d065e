"""Guessing the old password on the password-change form is throttled like log-in.

Before: wrong old passwords were answered without limit, so a hijacked session could guess
the password and then take the account over. Now the form shares the sign-off throttle
(clinics/throttle.py): AXES_FAILURE_LIMIT wrong old passwords, then AXES_COOLOFF_TIME.
"""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinics import throttle
from clinics.models import ReauthThrottle
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
NEW_PASSWORD = "a-long-and-unusual-passphrase-77"
LOCKED_MESSAGE = "Too many wrong passwords"


def change(client, old=PASSWORD, new=NEW_PASSWORD, ip="203.0.113.7"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=ip,
    )


def fail(client, times):
    return [change(client, old="wrong-old-password-1") for _ in range(times)]


def password_is_unchanged(user) -> bool:
    user.refresh_from_db()
    return user.check_password(PASSWORD)


def test_repeated_wrong_old_passwords_lock_the_form_even_with_the_right_one(
    clinician, clinician_client, caplog
):
    with caplog.at_level(logging.WARNING, logger="exocheck.security"):
        responses = fail(clinician_client, LIMIT)
        locked = change(clinician_client)

    assert all(r.status_code == 200 for r in responses[:-1])
    assert "Your old password was entered incorrectly" in responses[0].content.decode()
    assert responses[-1].status_code == 429
    assert locked.status_code == 429
    assert LOCKED_MESSAGE in locked.content.decode()
    assert password_is_unchanged(clinician)
    messages = [r.getMessage() for r in caplog.records if r.name == "exocheck.security"]
    assert any(
        "locked after repeated failures" in m
        and "purpose=password change" in m
        and "'clinician'" in m
        for m in messages
    )
    assert any("refused, locked out" in m for m in messages)


def test_fewer_failures_than_the_limit_still_allow_the_change(clinician, clinician_client):
    fail(clinician_client, LIMIT - 1)
    response = change(clinician_client)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    clinician.refresh_from_db()
    assert clinician.check_password(NEW_PASSWORD)
    assert ReauthThrottle.objects.get(user=clinician).failures == 0


def test_the_change_works_again_after_the_cool_off(clinician, clinician_client):
    fail(clinician_client, LIMIT)
    assert change(clinician_client).status_code == 429
    ReauthThrottle.objects.filter(user=clinician).update(
        last_failure_at=timezone.now() - throttle.cool_off() - timedelta(seconds=1)
    )
    assert change(clinician_client).status_code == 302
    clinician.refresh_from_db()
    assert clinician.check_password(NEW_PASSWORD)


def test_lockout_is_for_that_user_only(clinician_client, manager, manager_client):
    fail(clinician_client, LIMIT)
    assert change(manager_client).status_code == 302


def test_an_empty_old_password_is_not_counted(clinician, clinician_client):
    for _ in range(LIMIT + 1):
        assert change(clinician_client, old="").status_code == 200
    assert change(clinician_client).status_code == 302


def test_sign_off_and_password_change_share_one_count(clinician, clinician_client):
    # Alternating between the two places gains an attacker nothing.
    for _ in range(LIMIT - 1):
        throttle.begin(clinician, purpose="sign-off").failed()
    assert change(clinician_client, old="wrong-old-password-1").status_code == 429
    other_session = Client()
    other_session.force_login(clinician)
    assert change(other_session).status_code == 429
    assert password_is_unchanged(clinician)
