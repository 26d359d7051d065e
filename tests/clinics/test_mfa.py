"""Two-factor authentication (clinics/mfa.py): setting up an authenticator app with recovery
codes, the code step of log-in before any page, wrong codes counted and locked out, and the
rule that practice managers and clinic admins have it before they sign off or manage
members. Signing with a code: tests/assessments/test_signoff_second_factor.py."""

import html
import logging
import re
import urllib.parse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics import mfa
from clinics.models import ReauthThrottle, Role
from clinics.views_mfa import SETUP_SECRET_KEY
from tests.factories import PASSWORD, code_for, enrol_totp, make_user, totp_code

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
CODE_STEP = "/accounts/login/code/"


def password_log_in(username: str, ip: str = "203.0.113.7") -> Client:
    """A client past the password step of the real log-in form, and no further."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def enter_code(client: Client, code: str, next_url: str = ""):
    return client.post(reverse("mfa_verify"), {"code": code, "next": next_url})


def shown_codes(html: str) -> list[str]:
    return re.findall(r"<li class=\"col\">([a-z2-7]{4}-[a-z2-7]{4})</li>", html)


def code_for_secret(hex_key: str) -> str:
    return f"{TOTP(bytes.fromhex(hex_key)).token():06d}"


# --- Setting it up ------------------------------------------------------------------------


def test_set_up_shows_a_qr_code_and_the_secret_and_a_code_turns_it_on(clinician, clinician_client):
    page = clinician_client.get(reverse("mfa_setup"))

    body = page.content.decode()
    assert page.status_code == 200
    # Drawn here (no other service), as an SVG image a browser can draw: with its namespace.
    [src] = re.findall(r'src="(data:image/svg\+xml[^"]*)"', body)
    svg = urllib.parse.unquote(html.unescape(src).partition(",")[2])
    assert svg.startswith("<svg xmlns='http://www.w3.org/2000/svg'"), svg[:80]
    assert 'alt="QR code for your authenticator app"' in body
    hex_key = clinician_client.session[SETUP_SECRET_KEY]
    assert mfa.base32_secret(hex_key) in body  # the key, to type in by hand
    assert 'autocomplete="one-time-code"' in body
    assert not TOTPDevice.objects.filter(user=clinician).exists()  # opening it stores nothing

    response = clinician_client.post(reverse("mfa_setup"), {"code": code_for_secret(hex_key)})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_recovery_codes"))
    device = TOTPDevice.objects.get(user=clinician)
    assert device.confirmed and device.key == hex_key
    # This session counts as verified: no code step straight after setting it up.
    assert clinician_client.get(reverse("dashboard")).status_code == 200


def test_recovery_codes_are_ten_and_shown_once(clinician, clinician_client):
    clinician_client.get(reverse("mfa_setup"))
    hex_key = clinician_client.session[SETUP_SECRET_KEY]
    clinician_client.post(reverse("mfa_setup"), {"code": code_for_secret(hex_key)})

    shown = clinician_client.get(reverse("mfa_recovery_codes")).content.decode()
    again = clinician_client.get(reverse("mfa_recovery_codes"))

    codes = shown_codes(shown)
    assert len(set(codes)) == mfa.RECOVERY_CODE_COUNT == 10
    stored = set(StaticToken.objects.filter(device__user=clinician).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in codes}
    assert again.status_code == 302 and again["Location"] == reverse("mfa_setup")


def test_a_wrong_code_at_set_up_is_a_field_error_and_turns_nothing_on(clinician, clinician_client):
    clinician_client.get(reverse("mfa_setup"))

    response = clinician_client.post(reverse("mfa_setup"), {"code": "12345x"})

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician).exists()


def test_new_recovery_codes_need_the_password_and_replace_the_old_ones(manager, manager_client):
    old = mfa.regenerate_recovery_codes(by=manager)

    wrong = manager_client.post(reverse("mfa_regenerate_codes"), {"password": "not-it-at-all"})
    assert wrong.status_code == 200
    assert "That password is not correct." in wrong.content.decode()
    assert ReauthThrottle.objects.get(user=manager).failures == 1

    right = manager_client.post(reverse("mfa_regenerate_codes"), {"password": PASSWORD})
    assert right.status_code == 302
    new = shown_codes(manager_client.get(right["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert mfa.recovery_codes_left(manager) == 10
    assert ReauthThrottle.objects.get(user=manager).failures == 0


# --- Log-in ---------------------------------------------------------------------------------


def test_after_the_password_no_page_opens_until_a_code_is_entered(manager):
    client = password_log_in("manager")

    for path in ["/", "/assessments/", "/clinic/members/", "/admin/", "/accounts/two-factor/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(CODE_STEP), path
    page = client.get(f"{CODE_STEP}?next=/assessments/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in body and 'for="id_code"' in body
    assert "Log out" in body and "Dashboard" not in body  # no menu before the code

    response = enter_code(client, code_for(manager), next_url="/assessments/")

    assert response.status_code == 302 and response["Location"] == "/assessments/"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "dashboard", "²"])
def test_after_the_code_only_a_path_on_this_site_is_followed(manager, next_url):
    response = enter_code(password_log_in("manager"), code_for(manager), next_url=next_url)

    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_user_without_an_app_logs_in_with_the_password_alone(clinician):
    client = password_log_in("clinician")

    assert client.get("/").status_code == 200
    assert client.get(CODE_STEP)["Location"] == reverse("dashboard")


def test_a_recovery_code_logs_in_once(manager):
    codes = mfa.regenerate_recovery_codes(by=manager)

    first = password_log_in("manager")
    assert enter_code(first, codes[0].upper()).status_code == 302  # case and hyphen ignored
    assert first.get("/").status_code == 200
    assert mfa.recovery_codes_left(manager) == 9

    second = password_log_in("manager")
    refused = enter_code(second, codes[0])
    assert refused.status_code == 200
    assert "That code is not right, or was already used" in refused.content.decode()


def test_a_code_is_accepted_once(manager):
    code = totp_code(mfa.authenticator(manager))
    assert enter_code(password_log_in("manager"), code).status_code == 302

    again = enter_code(password_log_in("manager"), code)

    assert again.status_code == 200
    assert "already used" in again.content.decode()


def test_wrong_codes_are_counted_locked_out_and_logged(manager, caplog):
    client = password_log_in("manager")
    with caplog.at_level(logging.INFO, logger="exocheck.security"):
        wrong = [enter_code(client, "000000") for _ in range(LIMIT)]
        right = enter_code(client, code_for(manager))

    assert [r.status_code for r in wrong] == [200] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    assert "Too many wrong codes" in right.content.decode()
    assert client.get("/")["Location"].startswith(CODE_STEP)  # still not in
    assert ReauthThrottle.objects.get(user=manager).failures == LIMIT
    messages = [r.getMessage() for r in caplog.records if r.name == "exocheck.security"]
    assert any("Wrong two-factor code at log-in: user='manager'" in m for m in messages)
    assert any("purpose=log-in code" in m and "refused, locked out" in m for m in messages)
    # Counted as the throttle counts passwords, but logged as what it was: a code.
    assert not any(m.startswith("Wrong password") for m in messages)


def test_the_password_step_is_still_locked_out_by_axes(manager):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(LIMIT):
        client.post(reverse("login"), {"username": "manager", "password": "wrong-password"})

    response = client.post(reverse("login"), {"username": "manager", "password": PASSWORD})

    assert response.status_code == 429


def test_an_app_added_in_another_session_asks_this_one_for_a_code(clinician, clinician_client):
    assert clinician_client.get("/").status_code == 200

    enrol_totp(clinician)

    assert clinician_client.get("/")["Location"].startswith(CODE_STEP)


# --- Required for practice managers and clinic admins -----------------------------------------


@pytest.fixture
def manager_without_app(clinic):
    user = make_user("newmanager", clinic, Role.PRACTICE_MANAGER)
    client = Client()
    client.force_login(user)
    return user, client


def test_a_manager_without_an_app_is_sent_to_set_it_up_before_signing(
    manager_without_app, clinician, plant_product, evidence_types, caplog
):
    from tests.reporting import make_assessment

    submitted = make_assessment(clinic=plant_product.clinic, product=plant_product, user=clinician)
    _, client = manager_without_app

    review = client.get(reverse("assessments:review", args=[submitted.pk])).content.decode()
    with caplog.at_level(logging.INFO, logger="exocheck.security"):
        response = client.post(
            reverse("assessments:sign_off", args=[submitted.pk]), {"password": PASSWORD}
        )

    assert "Signing needs two-factor authentication" in review
    assert 'name="otp_code"' not in review  # no form to sign until it is set up
    assert response.status_code == 302 and response["Location"] == reverse("mfa_setup")
    page = client.get(response["Location"]).content.decode()
    assert "must turn on two-factor authentication before they sign off assessments" in page
    assert "Your role needs it" in page
    assert "Sent to two-factor set-up before sign_off: user='newmanager'" in caplog.text
    submitted.refresh_from_db()
    assert not submitted.is_finalised


def test_a_clinic_admin_without_an_app_is_sent_to_set_it_up_before_managing_members(clinic):
    admin = make_user("newadmin", clinic, Role.CLINIC_ADMIN)
    client = Client()
    client.force_login(admin)

    response = client.get(reverse("members:list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_setup") + "?next=%2Fclinic%2Fmembers%2F"
    page = client.get(response["Location"]).content.decode()
    assert "before they manage the clinic&#x27;s members" in page
    # Once set up, the members page opens.
    hex_key = client.session[SETUP_SECRET_KEY]
    client.post(reverse("mfa_setup"), {"code": code_for_secret(hex_key)})
    assert client.get(reverse("members:list")).status_code == 200


def test_a_clinician_is_not_required_to_have_an_app(clinician_client):
    assert clinician_client.get(reverse("assessments:list")).status_code == 200
    page = clinician_client.get(reverse("mfa_setup")).content.decode()
    assert "Your role needs it" not in page


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_manager_and_admin_have_apps_with_published_secrets(capsys):
    from clinics.demo import DEMO_TOTP_SECRETS, seed

    demo: dict = {}
    seed(demo)
    seed({})  # idempotent

    for username, secret in DEMO_TOTP_SECRETS.items():
        device = TOTPDevice.objects.get(user__username=username)
        assert device.confirmed and device.key == mfa.hex_from_base32(secret)
        assert any(secret in line for line in demo["notes"])
    assert not TOTPDevice.objects.filter(user__username="clinician").exists()

    call_command("demo_totp", "manager")
    printed = capsys.readouterr()
    assert printed.out.strip() == mfa.current_code(TOTPDevice.objects.get(user__username="manager"))
    assert "valid for" in printed.err


def test_demo_totp_refuses_a_user_whose_app_is_not_the_demo_one(manager):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no demo authenticator app"):
        call_command("demo_totp", "manager")
