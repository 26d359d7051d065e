"""Password guessing at sign-off is throttled like log-in (clinics/throttle.py).

Before: 50 wrong passwords at /assessments/<id>/sign-off/ were answered with no lockout and
the right one then signed. Now AXES_FAILURE_LIMIT wrong passwords pause signing for the user
for AXES_COOLOFF_TIME, even with the right password; the lockout is logged.
"""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from clinics import throttle
from clinics.models import ReauthThrottle, Role, User
from tests.factories import PASSWORD, enrol_totp, log_in, make_user
from tests.reporting import sign_off_data

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
WRONG = "not-my-password-at-all"
WRONG_MESSAGE = "That password is not correct"
LOCKED_MESSAGE = "Too many wrong passwords"


def sign_off(client, assessment, password=PASSWORD, ip="203.0.113.7"):
    # A right code from the signed-in user's authenticator app: these tests are about
    # passwords (wrong codes: tests/assessments/test_signoff_second_factor.py).
    signer = User.objects.get(pk=client.session["_auth_user_id"])
    data = sign_off_data(signer, statement="", password=password)
    return client.post(reverse("assessments:sign_off", args=[assessment.pk]), data, REMOTE_ADDR=ip)


def fail(client, assessment, times, **kwargs):
    return [sign_off(client, assessment, WRONG, **kwargs) for _ in range(times)]


def is_finalised(assessment) -> bool:
    assessment.refresh_from_db()
    return assessment.status == Assessment.Status.FINALISED


def pass_the_cool_off(user):
    ReauthThrottle.objects.filter(user=user).update(
        last_failure_at=timezone.now() - throttle.cool_off() - timedelta(seconds=1)
    )


def test_repeated_wrong_passwords_lock_signing_even_with_the_right_password(
    manager_client, submitted, caplog
):
    with caplog.at_level(logging.INFO, logger="exocheck.security"):
        responses = fail(manager_client, submitted, LIMIT)
        locked = sign_off(manager_client, submitted)

    for response in responses[:-1]:
        assert response.status_code == 200
        assert WRONG_MESSAGE in response.content.decode()
    # The failure that reaches the limit already says so, as at log-in.
    assert responses[-1].status_code == 429
    assert LOCKED_MESSAGE in responses[-1].content.decode()
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_MESSAGE in page
    assert "Even the right password is refused" in page
    assert not is_finalised(submitted)

    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.name == "exocheck.security" and r.levelno >= logging.WARNING
    ]
    assert any("locked after repeated failures" in m and "'manager'" in m for m in warnings)
    assert any("refused, locked out" in m and "purpose=sign-off" in m for m in warnings)
    assert any("203.0.113.7" in m for m in warnings)


def test_the_count_is_kept_in_the_database_for_every_process(manager, manager_client, submitted):
    fail(manager_client, submitted, LIMIT)
    assert ReauthThrottle.objects.get(user=manager).failures == LIMIT
    # Another session (another worker, another address) of the same user is locked too.
    elsewhere = log_in(Client(), manager)
    assert sign_off(elsewhere, submitted, ip="198.51.100.9").status_code == 429
    assert not is_finalised(submitted)


def test_fewer_failures_than_the_limit_still_sign_and_are_then_forgotten(
    manager, manager_client, submitted
):
    fail(manager_client, submitted, LIMIT - 1)
    response = sign_off(manager_client, submitted)
    assert response.status_code == 302
    assert is_finalised(submitted)
    assert ReauthThrottle.objects.get(user=manager).failures == 0


def test_signing_works_again_after_the_cool_off(manager, manager_client, submitted):
    fail(manager_client, submitted, LIMIT)
    assert sign_off(manager_client, submitted).status_code == 429

    pass_the_cool_off(manager)

    assert sign_off(manager_client, submitted).status_code == 302
    assert is_finalised(submitted)


def test_refused_attempts_do_not_extend_the_cool_off(manager, manager_client, submitted):
    fail(manager_client, submitted, LIMIT)
    before = ReauthThrottle.objects.get(user=manager).last_failure_at
    sign_off(manager_client, submitted, WRONG)
    sign_off(manager_client, submitted)
    assert ReauthThrottle.objects.get(user=manager).last_failure_at == before


def test_the_limit_and_cool_off_follow_the_log_in_settings(
    settings, manager, manager_client, submitted
):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    fail(manager_client, submitted, 2)
    assert sign_off(manager_client, submitted).status_code == 429
    ReauthThrottle.objects.filter(user=manager).update(
        last_failure_at=timezone.now() - timedelta(seconds=61)
    )
    assert sign_off(manager_client, submitted).status_code == 302


def test_lockout_is_for_that_user_only(clinic, manager_client, submitted):
    fail(manager_client, submitted, LIMIT)
    colleague = make_user("secondmanager", clinic, Role.PRACTICE_MANAGER)
    enrol_totp(colleague)
    client = log_in(Client(), colleague)
    # Same address, same assessment: only the user who typed the wrong passwords is paused.
    assert sign_off(client, submitted).status_code == 302
    assert is_finalised(submitted)


def test_parallel_attempts_cannot_pass_the_limit_before_one_is_recorded(manager):
    # Attempts are counted before their password is checked: LIMIT guesses in flight at once
    # take every slot, and the next is refused.
    attempts = [throttle.begin(manager, purpose="sign-off") for _ in range(LIMIT)]
    with pytest.raises(throttle.ReauthLocked):
        throttle.begin(manager, purpose="sign-off")
    # One of them turns out to be the right password: the count is cleared.
    attempts[0].succeeded()
    throttle.begin(manager, purpose="sign-off").abandoned()
    assert ReauthThrottle.objects.get(user=manager).failures == 0


def test_an_attempt_whose_password_was_never_checked_is_not_a_failure(manager):
    for _ in range(LIMIT + 2):
        throttle.begin(manager, purpose="sign-off").abandoned()
    assert ReauthThrottle.objects.get(user=manager).failures == 0
