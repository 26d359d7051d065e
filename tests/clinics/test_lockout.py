"""Brute-force protection on log-in (django-axes; ASVS 6.3.1)."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from config.security import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
LOCKED_MESSAGE = "Too many failed log-in attempts"


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    reset()
    yield
    reset()


def log_in(client, username="clinician", password=PASSWORD, ip="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, times, username="clinician", ip="203.0.113.7"):
    return [log_in(client, username, "wrong-password", ip) for _ in range(times)]


def test_limit_is_small_enough_to_matter():
    assert 3 <= LIMIT <= 10


def test_repeated_failures_lock_the_account_even_with_the_right_password(clinician):
    client = Client()
    responses = fail(client, LIMIT)
    assert all(r.status_code == 200 for r in responses[:-1])
    assert responses[-1].status_code == 429
    locked = log_in(client)
    assert locked.status_code == 429
    assert LOCKED_MESSAGE in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_failed_attempts_are_recorded(clinician):
    fail(Client(), LIMIT)
    attempt = AccessAttempt.objects.get(username="clinician")
    assert attempt.failures_since_start == LIMIT
    assert attempt.ip_address == "203.0.113.7"
    assert AccessFailureLog.objects.filter(username="clinician").count() == LIMIT
    # The password tried is never stored.
    assert "wrong-password" not in attempt.post_data


def test_lockout_is_logged(clinician, caplog):
    with caplog.at_level(logging.WARNING):
        fail(Client(), LIMIT)
    lockouts = [r for r in caplog.records if r.name == "exocheck.security"]
    assert lockouts, caplog.text
    assert "locked out" in lockouts[-1].getMessage()
    assert "'clinician'" in lockouts[-1].getMessage()
    assert "203.0.113.7" in lockouts[-1].getMessage()


def test_fewer_failures_than_the_limit_still_allow_log_in_and_are_then_forgotten(clinician):
    client = Client()
    fail(client, LIMIT - 1)
    response = log_in(client)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="clinician").exists()


def test_unknown_usernames_are_locked_the_same_way(db):
    responses = fail(Client(), LIMIT, username="nobody")
    assert responses[-1].status_code == 429
    assert LOCKED_MESSAGE in responses[-1].content.decode()


def test_lockout_is_for_that_username_and_address_only(clinician, manager):
    fail(Client(), LIMIT, username="clinician")
    assert log_in(Client(), username="manager").status_code == 302
    assert log_in(Client(), username="clinician", ip="198.51.100.9").status_code == 302


def test_lockout_ends_after_the_cool_off(clinician):
    fail(Client(), LIMIT)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert log_in(Client()).status_code == 302


def test_client_address_behind_one_proxy_is_the_last_forwarded_hop(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    # 6.6.6.6 was written by the client and is ignored.
    assert client_ip(request) == "203.0.113.7"


def test_client_address_without_a_proxy_ignores_forwarded_headers(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "203.0.113.7"
