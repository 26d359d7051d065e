"""Password reset by email (clinics/password_reset.py): the whole flow through the real
email, the same answer for an unknown email, the rate limit, links that work once and for an
hour only, the password rules, and two-factor authentication still asked after a reset."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinics.models import User
from tests.factories import PASSWORD, code_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-2026"
SITE = "https://exocheck.example"
LINK = re.compile(r"(https?://\S+/accounts/password-reset/\S+/\S+/)")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]


def ask(client, email, ip="203.0.113.7", **extra):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, **extra)


def link_in(mail) -> str:
    [found] = LINK.findall(mail.body)
    return found


def set_new_password(client, link, password=NEW_PASSWORD):
    """Open the emailed link, then post the new password where Django moved it to."""
    path = link.removeprefix(SITE)
    opened = client.get(path)
    assert opened.status_code == 302  # the token leaves the address bar at once
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def logs_in(username, password) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_the_login_page_links_to_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_the_whole_flow_from_request_to_logging_in_with_the_new_password(
    clinician, mailoutbox, caplog
):
    client = Client()
    with caplog.at_level(logging.INFO, logger="exocheck.security"):
        response = ask(client, "CLINICIAN@x.invalid")  # any case

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    [mail] = mailoutbox
    assert mail.to == ["clinician@x.invalid"]
    assert mail.subject == "Reset your ExoCheck password"
    link = link_in(mail)
    assert link.startswith(f"{SITE}/accounts/password-reset/")  # SITE_URL, absolute
    assert "once, for an hour" in mail.body

    done = set_new_password(client, link)

    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert logs_in("clinician", NEW_PASSWORD)
    assert not logs_in("clinician", PASSWORD)
    assert "Password reset requested: email=C***@x.invalid" in caplog.text  # as typed
    assert "Password reset with an emailed link: user='clinician'" in caplog.text


def test_an_unknown_email_gets_the_same_answer_and_no_mail(clinician, mailoutbox):
    known = ask(Client(), "clinician@x.invalid", ip="198.51.100.1")
    unknown = ask(Client(), "nobody@x.invalid", ip="198.51.100.2")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["clinician@x.invalid"]
    page = Client().get(unknown["Location"]).content.decode()
    assert "If an ExoCheck account has that email address" in page


def test_the_link_uses_site_url_never_the_host_header(clinician, mailoutbox):
    ask(Client(), "clinician@x.invalid", HTTP_HOST="evil.example")

    assert link_in(mailoutbox[0]).startswith(SITE)
    assert "evil.example" not in mailoutbox[0].body


def test_without_site_url_the_link_uses_the_checked_host(settings, clinician, mailoutbox):
    settings.SITE_URL = ""

    ask(Client(), "clinician@x.invalid")

    assert link_in(mailoutbox[0]).startswith("http://testserver/accounts/password-reset/")


def test_requests_are_limited_per_email(clinician, mailoutbox, caplog):
    for n in range(5):
        assert ask(Client(), "clinician@x.invalid", ip=f"198.51.100.{n}").status_code == 302

    with caplog.at_level(logging.WARNING, logger="exocheck.security"):
        limited = ask(Client(), "clinician@x.invalid", ip="198.51.100.99")

    assert limited.status_code == 429
    assert "Too many password reset requests" in limited.content.decode()
    assert 'value="clinician@x.invalid"' in limited.content.decode()  # input kept
    assert len(mailoutbox) == 5
    assert "Password reset refused, rate limited: email=c***@x.invalid" in caplog.text


def test_requests_are_limited_per_address_known_or_unknown_alike(clinician, mailoutbox):
    for n in range(5):
        assert ask(Client(), f"someone{n}@x.invalid").status_code == 302

    limited = ask(Client(), "clinician@x.invalid")

    assert limited.status_code == 429
    assert mailoutbox == []
    # Another address may still ask; after the hour the first may too.
    assert ask(Client(), "clinician@x.invalid", ip="198.51.100.50").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert ask(Client(), "someone9@x.invalid").status_code == 302


def test_a_link_works_once(clinician, mailoutbox):
    ask(Client(), "clinician@x.invalid")
    link = link_in(mailoutbox[0])
    set_new_password(Client(), link)

    again = Client().get(link.removeprefix(SITE))

    assert again.status_code == 200
    assert "This reset link does not work" in again.content.decode()
    assert logs_in("clinician", NEW_PASSWORD)


def test_a_link_expires_after_an_hour(clinician, mailoutbox):
    ask(Client(), "clinician@x.invalid")
    link = link_in(mailoutbox[0])

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        response = Client().get(link.removeprefix(SITE), follow=True)

    assert "This reset link does not work" in response.content.decode()
    assert logs_in("clinician", PASSWORD)


def test_the_new_password_must_pass_the_password_rules(clinician, mailoutbox):
    ask(Client(), "clinician@x.invalid")

    response = set_new_password(Client(), link_in(mailoutbox[0]), password="short")

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert logs_in("clinician", PASSWORD)


def test_two_factor_authentication_is_still_asked_after_a_reset(manager, mailoutbox):
    ask(Client(), "manager@x.invalid")
    set_new_password(Client(), link_in(mailoutbox[0]))

    client = Client()
    client.post(reverse("login"), {"username": "manager", "password": NEW_PASSWORD})

    assert client.get("/")["Location"].startswith(reverse("mfa_verify"))
    assert client.post(reverse("mfa_verify"), {"code": code_for(manager)}).status_code == 302
    assert client.get("/").status_code == 200
    assert User.objects.get(username="manager").check_password(NEW_PASSWORD)
