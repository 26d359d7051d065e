"""Uploaded evidence is reachable only through the membership-checked download view
(ASVS 5.3.1, 5.3.2, 5.4.1, 3.2.1, 8.2.2, 14.3.2)."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from assessments.services import record_evidence
from assessments.uploads import check_upload
from tests.wizard_support import pdf_bytes

pytestmark = pytest.mark.django_db

SERVER_NAME = re.compile(r"^evidence/\d+/[0-9a-f]{32}\.pdf$")


def upload(assessment, user, evidence_types, *, name="coa.pdf", content=None):
    checked = check_upload(
        SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")
    )
    return record_evidence(
        assessment=assessment,
        by=user,
        evidence_type=evidence_types["certificate-of-analysis"],
        upload=checked,
    )


@pytest.fixture
def draft(plant_product, clinician):
    return Assessment.objects.create(
        clinic=plant_product.clinic, product=plant_product, created_by=clinician
    )


@pytest.fixture
def other_draft(other_product, other_clinician):
    return Assessment.objects.create(
        clinic=other_product.clinic, product=other_product, created_by=other_clinician
    )


def download_url(item):
    return reverse("assessments:evidence_download", args=[item.assessment_id, item.pk])


def test_member_downloads_the_exact_bytes_as_an_attachment(
    draft, clinician, evidence_types, manager_client
):
    content = pdf_bytes()
    item = upload(draft, clinician, evidence_types, content=content)
    response = manager_client.get(download_url(item))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="coa.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/pdf"


def test_another_clinic_gets_not_found(draft, clinician, evidence_types, other_clinician_client):
    item = upload(draft, clinician, evidence_types)
    assert other_clinician_client.get(download_url(item)).status_code == 404


def test_mixing_own_assessment_id_with_another_clinics_file_is_not_found(
    draft, other_draft, clinician_client, other_clinician, evidence_types
):
    theirs = upload(other_draft, other_clinician, evidence_types)
    url = reverse("assessments:evidence_download", args=[draft.pk, theirs.pk])
    assert clinician_client.get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(draft, clinician, evidence_types):
    item = upload(draft, clinician, evidence_types)
    response = Client().get(download_url(item))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_without_a_clinic_is_refused(draft, clinician, evidence_types, staff_client):
    item = upload(draft, clinician, evidence_types)
    assert staff_client.get(download_url(item)).status_code == 403


def test_client_filename_never_becomes_the_stored_name(draft, clinician, evidence_types):
    item = upload(draft, clinician, evidence_types, name="../../../etc/passwd.pdf")
    assert SERVER_NAME.match(item.file.name), item.file.name
    assert item.file.name.startswith(f"evidence/{draft.clinic_id}/")
    assert item.original_filename == "passwd.pdf"
    stored = settings.MEDIA_ROOT / item.file.name
    assert stored.is_file()
    assert stored.resolve().is_relative_to(settings.MEDIA_ROOT.resolve())


def test_two_uploads_with_the_same_name_get_different_stored_names(
    draft, clinician, evidence_types
):
    first = upload(draft, clinician, evidence_types)
    second = upload(draft, clinician, evidence_types)
    assert first.file.name != second.file.name


def test_unicode_filename_is_offered_safely(draft, clinician, evidence_types, clinician_client):
    item = upload(draft, clinician, evidence_types, name='Zertifikat "für" Ü.pdf')
    disposition = clinician_client.get(download_url(item))["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert "\n" not in disposition and "\r" not in disposition


def test_guessing_the_storage_path_finds_nothing(
    draft, clinician, evidence_types, clinician_client
):
    item = upload(draft, clinician, evidence_types)
    for path in (
        f"{settings.MEDIA_URL}{item.file.name}",
        f"/media/{item.file.name}",
        f"/{item.file.name}",
        f"{settings.STATIC_URL}../media/{item.file.name}",
    ):
        assert clinician_client.get(path).status_code == 404, path


def test_withdrawn_evidence_is_no_longer_served(draft, clinician, evidence_types, clinician_client):
    item = upload(draft, clinician, evidence_types)
    withdraw = reverse("assessments:evidence_withdraw", args=[draft.pk, item.pk])
    assert clinician_client.post(withdraw).status_code == 302
    assert clinician_client.get(download_url(item)).status_code == 404
