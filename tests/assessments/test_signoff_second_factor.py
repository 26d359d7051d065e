"""Signing asks for two distinct components (21 CFR 11.200): the signer's password and a
current code from their own authenticator app. Recovery codes cannot sign; a code works once;
wrong codes count towards the same lockout as wrong passwords (clinics/throttle.py); the
service refuses a signer without an app, whatever the view did."""

import logging

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.errors import SecondFactorRequired, WrongCode, WrongPassword
from assessments.models import Assessment
from clinics import mfa
from clinics.models import ReauthThrottle, Role
from tests.factories import PASSWORD, code_for, make_user, totp_code
from tests.reporting import make_assessment, sign, sign_off_data

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def post_sign_off(client, assessment, *, code, password=PASSWORD, statement="Keep me"):
    data = sign_off_data(otp_code=code, password=password, statement=statement)
    return client.post(reverse("assessments:sign_off", args=[assessment.pk]), data)


def is_finalised(assessment) -> bool:
    assessment.refresh_from_db()
    return assessment.status == Assessment.Status.FINALISED


def test_signing_needs_a_current_code_from_the_signers_app(submitted, manager, caplog):
    with caplog.at_level(logging.WARNING, logger="exocheck.security"), pytest.raises(WrongCode):
        sign(submitted, manager, otp_code="000000")

    assert not is_finalised(submitted) and not submitted.report_pdf
    assert "Sign-off refused, wrong authenticator code: user='manager'" in caplog.text
    assert sign(submitted, manager, otp_code=code_for(manager)).is_finalised


def test_a_code_signs_once(clinic, plant_product, clinician, manager, evidence_types):
    first = make_assessment(clinic=clinic, product=plant_product, user=clinician)
    second = make_assessment(clinic=clinic, product=plant_product, user=clinician, batch_lot="L2")
    code = totp_code(mfa.authenticator(manager))

    sign(first, manager, otp_code=code)

    with pytest.raises(WrongCode):
        sign(second, manager, otp_code=code)
    assert not is_finalised(second)


def test_a_recovery_code_cannot_sign(submitted, manager):
    [recovery, *_] = mfa.regenerate_recovery_codes(by=manager)

    with pytest.raises(WrongCode):
        sign(submitted, manager, otp_code=recovery)

    assert not is_finalised(submitted)
    assert mfa.recovery_codes_left(manager) == 10  # not used up either


def test_the_code_is_checked_only_after_the_password(submitted, manager):
    code = code_for(manager)

    with pytest.raises(WrongPassword) as refused:
        sign(submitted, manager, password="not-my-password-at-all", otp_code=code)

    assert not isinstance(refused.value, WrongCode)
    # The code was not used up by the refused attempt.
    assert sign(submitted, manager, otp_code=code).is_finalised


def test_the_service_refuses_a_signer_without_an_app(clinic, submitted):
    newcomer = make_user("newmanager", clinic, Role.PRACTICE_MANAGER)

    with pytest.raises(SecondFactorRequired, match="Signing needs two-factor authentication"):
        sign(submitted, newcomer, otp_code="123456")

    assert not is_finalised(submitted)


def test_the_form_asks_for_the_code_and_never_fills_it_in_again(manager_client, submitted):
    page = manager_client.get(reverse("assessments:review", args=[submitted.pk])).content.decode()

    assert 'name="otp_code"' in page and 'autocomplete="one-time-code"' in page
    assert "Recovery codes cannot be used to sign" in page

    response = post_sign_off(manager_client, submitted, code="000000")

    body = response.content.decode()
    assert response.status_code == 200
    assert "otp_code" in response.context["sign_off_form"].errors
    assert "That code is not right, or was already used" in body
    assert 'value="000000"' not in body
    assert "Keep me" in body  # the rest of what was typed is kept
    assert not is_finalised(submitted)


def test_a_malformed_code_is_a_form_error_that_counts_nothing(manager, manager_client, submitted):
    response = post_sign_off(manager_client, submitted, code="12ab")

    assert "Enter the 6 digits" in response.content.decode()
    assert not ReauthThrottle.objects.filter(user=manager, failures__gt=0).exists()


def test_wrong_codes_count_with_wrong_passwords_towards_one_lockout(
    manager, manager_client, submitted
):
    post_sign_off(manager_client, submitted, code=code_for(manager), password="wrong-password-1")
    responses = [post_sign_off(manager_client, submitted, code="000000") for _ in range(LIMIT - 1)]
    locked = post_sign_off(manager_client, submitted, code=code_for(manager))

    assert [r.status_code for r in responses] == [200] * (LIMIT - 2) + [429]
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    assert ReauthThrottle.objects.get(user=manager).failures == LIMIT
    assert not is_finalised(submitted)


def test_a_wrong_code_is_logged_as_a_wrong_code_not_a_wrong_password(
    manager, manager_client, submitted, caplog
):
    with caplog.at_level(logging.INFO, logger="exocheck.security"):
        post_sign_off(manager_client, submitted, code="000000")

    lines = [r.getMessage() for r in caplog.records if r.name == "exocheck.security"]
    assert any(m.startswith("Sign-off refused, wrong authenticator code") for m in lines)
    # Still counted towards the one lockout, and the count says what was wrong.
    assert any(
        m.startswith("Wrong authenticator code at sign-off") and f"failures=1/{LIMIT}" in m
        for m in lines
    )
    assert not any("password" in m.lower() for m in lines), lines
    assert ReauthThrottle.objects.get(user=manager).failures == 1


def test_password_and_code_sign_off_in_the_view(manager, manager_client, submitted):
    response = post_sign_off(manager_client, submitted, code=code_for(manager))

    assert response.status_code == 302
    assert is_finalised(submitted)
