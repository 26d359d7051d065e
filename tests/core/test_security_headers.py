"""Security headers and cookie flags on real responses (ASVS 3.3, 3.4, 13.4, 16.5).

In-process tests run with the test settings (no HTTPS); the production-only controls (HSTS,
Secure cookies, __Host- names, HTTPS redirect) are checked in a subprocess with the
production environment, exactly as a deployment would load the settings.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import path, reverse

from tests.deploy_support import production_env, run_python
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def pages(clinician_client, supplier, clinic_admin_client):
    yield Client().get(reverse("login"))
    yield clinician_client.get("/")
    yield clinician_client.get(supplier.get_absolute_url())
    yield clinician_client.get(reverse("suppliers:create"))
    yield clinic_admin_client.get(reverse("members:list"))
    yield clinician_client.get("/no-such-page/")


@pytest.fixture
def responses(clinician_client, supplier, clinic_admin_client):
    return list(pages(clinician_client, supplier, clinic_admin_client))


def test_content_security_policy_is_strict_on_every_page(responses):
    for response in responses:
        csp = parse_csp(response["Content-Security-Policy"])
        every_source = " ".join(" ".join(values) for values in csp.values())
        assert "'unsafe-inline'" not in every_source
        assert "'unsafe-eval'" not in every_source
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["form-action"] == ["'self'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def test_pages_have_no_inline_script_or_style_the_policy_would_block(responses):
    for response in responses:
        body = response.content.decode()
        assert not INLINE_SCRIPT.search(body), response.request["PATH_INFO"]
        assert not INLINE_HANDLER.search(body), response.request["PATH_INFO"]
        assert not STYLE_ATTRIBUTE.search(body), response.request["PATH_INFO"]
        assert "<style" not in body.lower()


def test_framing_sniffing_referrer_and_opener_headers(responses):
    for response in responses:
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_httponly_and_samesite_lax(clinician):
    client = Client()
    login_page = client.get(reverse("login"))
    csrf = login_page.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    response = client.post(reverse("login"), {"username": "clinician", "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert int(session["max-age"]) <= 3600


def boom(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [path("boom/", boom)]
handler500 = "core.errors.server_error"


@pytest.mark.urls(__name__)
def test_a_crash_shows_a_plain_error_page_without_details():
    response = Client(raise_request_exception=False).get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "secret-internal-detail" not in body and "Traceback" not in body


PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
host = {"HTTP_HOST": "exocheck.example"}
# No collectstatic here: plain static URLs instead of the manifest; headers are unaffected.
unhashed = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": unhashed}):
    plain = Client(**host).get("/accounts/login/")
    secure = Client(**host).get("/accounts/login/", secure=True)
    proxied = Client(**host).get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
csrf = secure.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "proxied_status": proxied.status_code,
    "hsts": secure.get("Strict-Transport-Security", ""),
    "csrf_cookie": {"name": settings.CSRF_COOKIE_NAME, "secure": csrf["secure"],
                    "samesite": csrf["samesite"], "path": csrf["path"], "domain": csrf["domain"]},
    "session_cookie": {"name": settings.SESSION_COOKIE_NAME,
                       "secure": settings.SESSION_COOKIE_SECURE,
                       "httponly": settings.SESSION_COOKIE_HTTPONLY,
                       "samesite": settings.SESSION_COOKIE_SAMESITE,
                       "domain": settings.SESSION_COOKIE_DOMAIN,
                       "age": settings.SESSION_COOKIE_AGE,
                       "sliding_expiry": "clinics.middleware.SessionIdleRefreshMiddleware"
                                         in settings.MIDDLEWARE},
    "debug": settings.DEBUG,
}))
"""


@pytest.fixture(scope="module")
def production():
    result = run_python(PRODUCTION_PROBE, **production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://")
    # Behind the reverse proxy, which terminates TLS and says so in X-Forwarded-Proto.
    assert production["proxied_status"] == 200


def test_production_sends_hsts_for_a_year_with_subdomains(production):
    directives = [part.strip() for part in production["hsts"].split(";")]
    max_age = int(next(d for d in directives if d.startswith("max-age=")).split("=")[1])
    assert max_age >= 31536000
    assert "includeSubDomains" in directives


def test_production_cookies_are_secure_host_prefixed_and_not_shared(production):
    csrf, session = production["csrf_cookie"], production["session_cookie"]
    assert csrf["name"].startswith("__Host-") and session["name"].startswith("__Host-")
    assert csrf["secure"] is True and session["secure"] is True
    assert csrf["samesite"] == "Lax" and session["samesite"] == "Lax"
    # __Host- cookies must be Path=/ with no Domain, or browsers drop them.
    assert csrf["path"] == "/" and not csrf["domain"] and not session["domain"]
    assert session["httponly"] is True
    assert production["debug"] is False


def test_production_sessions_expire_after_inactivity(production):
    session = production["session_cookie"]
    assert session["age"] <= 3600
    # Refreshed by activity (at most once a minute), so the hour counts from the last
    # activity, not the log-in; tests/clinics/test_sessions.py proves the behaviour.
    assert session["sliding_expiry"] is True
