"""Absolute links in PDF reports and invitation emails come from settings.SITE_URL, never
from the request's Host header.

Before, the sign-off and preview views passed request.build_absolute_uri("/"), so a request
with a forged Host (any name ALLOWED_HOSTS lets through, or all of them behind a permissive
proxy) printed that host into the signed, stored report as a link to "How ExoCheck decides".
"""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from assessments.reports import context as report_context_module
from assessments.services import signoff
from clinics.models import User
from tests.deploy_support import run_manage
from tests.factories import PASSWORD, code_for
from tests.reporting import make_assessment, pdf_text

pytestmark = pytest.mark.django_db

SITE = "https://exocheck.example"
EVIL = "evil.example"
HOW_IT_DECIDES = f"{SITE}/how-exocheck-decides/"


@pytest.fixture(autouse=True)
def _evil_host_is_allowed(settings):
    # As if ALLOWED_HOSTS let the forged name through (a wildcard, or a proxy that passes
    # any Host on): the link must not depend on ALLOWED_HOSTS being tight.
    settings.ALLOWED_HOSTS = [EVIL, "testserver"]
    settings.SITE_URL = SITE


@pytest.fixture
def submitted(clinic, plant_product, clinician, evidence_types):
    return make_assessment(clinic=clinic, product=plant_product, user=clinician)


@pytest.fixture
def contexts(monkeypatch):
    """Every report context the sign-off service renders, as it was rendered."""
    seen = []
    real = signoff.report_context

    def recording(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(signoff, "report_context", recording)
    return seen


def link_uris(pdf: bytes) -> set[str]:
    """The targets of the PDF's links (a link wrapped over two lines is two annotations)."""
    uris = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def sign_off_with_host(client, assessment, host=EVIL):
    data = {
        "signed_name": "Max Manager",
        "signed_role": "Practice manager",
        "meaning": "reviewed",
        "statement": "",
        "password": PASSWORD,
        "otp_code": code_for(User.objects.get(username="manager")),
    }
    return client.post(reverse("assessments:sign_off", args=[assessment.pk]), data, HTTP_HOST=host)


def test_signed_report_links_to_site_url_whatever_the_host_header(
    manager_client, submitted, contexts
):
    response = sign_off_with_host(manager_client, submitted)
    assert response.status_code == 302

    (context,) = contexts
    assert context["how_it_decides_url"] == HOW_IT_DECIDES
    submitted.refresh_from_db()
    pdf = submitted.report_pdf.read()
    assert EVIL.encode() not in pdf
    assert EVIL not in pdf_text(pdf)
    assert all(uri.startswith(f"{SITE}/") for uri in link_uris(pdf))


def test_without_site_url_the_report_prints_the_path_and_no_host(
    settings, manager_client, submitted, contexts
):
    settings.SITE_URL = ""
    assert sign_off_with_host(manager_client, submitted).status_code == 302

    (context,) = contexts
    assert context["how_it_decides_url"] == "/how-exocheck-decides/"
    assert not context["how_it_decides_absolute"]
    submitted.refresh_from_db()
    pdf = submitted.report_pdf.read()
    assert EVIL.encode() not in pdf
    assert EVIL not in pdf_text(pdf)
    assert link_uris(pdf) == set()


def test_draft_preview_links_to_site_url_whatever_the_host_header(manager_client, submitted):
    response = manager_client.get(
        reverse("assessments:report_preview", args=[submitted.pk]), HTTP_HOST=EVIL
    )
    assert response.status_code == 200
    assert EVIL.encode() not in response.content
    assert EVIL not in pdf_text(response.content)
    assert all(uri.startswith(f"{SITE}/") for uri in link_uris(response.content))


def test_the_report_context_falls_back_to_site_url():
    assert report_context_module.how_it_decides_url("") == HOW_IT_DECIDES


def test_invitation_email_links_to_site_url_whatever_the_host_header(clinic_admin_client):
    response = clinic_admin_client.post(
        reverse("members:invite"),
        {"email": "newcomer@example.org", "role": "clinician"},
        HTTP_HOST=EVIL,
    )
    assert response.status_code == 302
    body = mail.outbox[-1].body
    assert EVIL not in body
    assert f"{SITE}/clinic/invitations/" in body


def test_site_url_without_a_scheme_is_refused_at_start_up():
    result = run_manage(
        "check", EXOCHECK_TESTING="false", DEBUG="true", SITE_URL="exocheck.example"
    )
    assert result.returncode == 1
    assert "SITE_URL must start with https://" in result.stderr
    assert "Traceback" not in result.stderr
