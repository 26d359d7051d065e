"""Sessions: a new one at log-in, ended by inactivity, log-out, deactivation and password change
(ASVS 7.2.4, 7.3.1, 7.4.1-7.4.3)."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

IDLE_LIMIT = timedelta(seconds=settings.SESSION_COOKIE_AGE)


@contextmanager
def clock(offset: timedelta):
    """Pretend `offset` has passed, for the session machinery and everything else."""
    later = timezone.now() + offset
    with mock.patch("django.utils.timezone.now", return_value=later):
        yield


def logged_in_client(username="clinician", password=PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def cookie_of(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def client_with_cookie(value) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = value
    return client


def assert_sent_to_login(client, path="/suppliers/"):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_log_in_starts_a_new_session(clinician):
    client = Client()
    session = client.session
    session["before_login"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    client.post(reverse("login"), {"username": "clinician", "password": PASSWORD})
    assert cookie_of(client) != session.session_key
    assert not Session.objects.filter(session_key=session.session_key).exists()


def test_idle_limit_is_at_most_an_hour():
    assert IDLE_LIMIT.total_seconds() <= 3600


def test_inactivity_ends_the_session_and_the_draft_is_kept(clinician, plant_product):
    client = logged_in_client()
    draft = Assessment.objects.create(
        clinic=plant_product.clinic, product=plant_product, created_by=clinician
    )
    with clock(IDLE_LIMIT + timedelta(seconds=1)):
        assert_sent_to_login(client, draft.get_absolute_url())
    again = logged_in_client()
    assert again.get(draft.get_absolute_url()).status_code == 200


def test_activity_keeps_the_session_alive(clinician):
    client = logged_in_client()
    with clock(IDLE_LIMIT * 0.75):
        assert client.get("/suppliers/").status_code == 200
    with clock(IDLE_LIMIT * 1.5):
        # 45 minutes after the last request, not after log-in.
        assert client.get("/suppliers/").status_code == 200


def test_log_out_ends_the_session_server_side(clinician):
    client = logged_in_client()
    old_cookie = cookie_of(client)
    client.post(reverse("logout"))
    assert_sent_to_login(client_with_cookie(old_cookie))


def test_deactivating_a_user_ends_their_sessions(clinician):
    client = logged_in_client()
    clinician.is_active = False
    clinician.save()
    assert_sent_to_login(client)


def test_password_change_ends_other_sessions_but_keeps_this_one(clinician):
    here, elsewhere = logged_in_client(), logged_in_client()
    new_password = "a-brand-new-passphrase-2026"
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert here.get("/suppliers/").status_code == 200
    assert_sent_to_login(elsewhere)
