"""Evidence downloads check the stored SHA-256 first: a file changed or lost on disk is
refused with the integrity page and a security log event, never served."""

import hashlib
import logging

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import Assessment, EvidenceItem
from assessments.services import record_evidence
from assessments.uploads import check_upload
from assessments.views import evidence as evidence_views
from products.models import EvidenceType
from tests.wizard_support import pdf_bytes, upload

pytestmark = pytest.mark.django_db

TAMPERED = b"%PDF-1.4 tampered: this is not the document that was uploaded"


@pytest.fixture
def draft(plant_product, clinician):
    return Assessment.objects.create(
        clinic=plant_product.clinic, product=plant_product, created_by=clinician
    )


@pytest.fixture
def item(draft, clinician, evidence_types):
    return record_evidence(
        assessment=draft,
        by=clinician,
        evidence_type=evidence_types["certificate-of-analysis"],
        upload=check_upload(upload("coa.pdf", pdf_bytes())),
    )


def download_url(item):
    return reverse("assessments:evidence_download", args=[item.assessment_id, item.pk])


def security_events(caplog, item):
    return [
        record
        for record in caplog.records
        if record.name == "exocheck.security" and f"evidence={item.pk} " in record.getMessage()
    ]


def test_a_tampered_evidence_file_is_refused_logged_and_never_served(item, manager_client, caplog):
    with open(item.file.path, "wb") as stored:
        stored.write(TAMPERED)

    with caplog.at_level(logging.ERROR, logger="exocheck.security"):
        response = manager_client.get(download_url(item))

    assert response.status_code == 500
    page = response.content.decode()
    assert "failed its integrity check" in page
    assert "coa.pdf" in page
    assert b"tampered" not in response.content
    assert "Content-Disposition" not in response
    [event] = security_events(caplog, item)
    assert event.levelno == logging.ERROR
    message = event.getMessage()
    assert item.sha256 in message and hashlib.sha256(TAMPERED).hexdigest() in message
    assert "user='manager'" in message


def test_a_missing_evidence_file_gets_the_integrity_page(item, clinician_client, caplog):
    item.file.storage.delete(item.file.name)

    with caplog.at_level(logging.ERROR, logger="exocheck.security"):
        response = clinician_client.get(download_url(item))

    assert response.status_code == 500
    assert "failed its integrity check" in response.content.decode()
    assert security_events(caplog, item)


def test_a_file_without_a_recorded_hash_is_not_served(item, clinician_client, caplog):
    EvidenceItem.objects.filter(pk=item.pk).update(sha256="")

    with caplog.at_level(logging.ERROR, logger="exocheck.security"):
        response = clinician_client.get(download_url(item))

    assert response.status_code == 500
    assert b"%PDF" not in response.content
    assert "no SHA-256" in security_events(caplog, item)[0].getMessage()


def test_an_intact_file_larger_than_the_memory_spool_is_served_exactly(
    draft, clinician, clinician_client, monkeypatch
):
    # Hashed and copied in chunks; a copy larger than the in-memory limit goes to disk.
    monkeypatch.setattr(evidence_views, "SPOOL_IN_MEMORY", 100_000)
    content = b"%PDF-1.4\n" + bytes(range(256)) * 2_000  # about 500 kB
    item = EvidenceItem(
        clinic=draft.clinic,
        assessment=draft,
        evidence_type=EvidenceType.objects.get(slug="certificate-of-analysis"),
        original_filename="big.pdf",
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=clinician,
    )
    item.file.save("big.pdf", ContentFile(content), save=False)
    item.save()

    response = clinician_client.get(download_url(item))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Length"] == str(len(content))


def test_the_bytes_served_are_the_bytes_that_were_checked(item, clinician_client, monkeypatch):
    """The response streams the verified copy: replacing the file once the check has read
    it changes nothing that is sent."""
    original = item.file.read()
    item.file.close()
    verified_copy = evidence_views._verified_copy

    def check_then_tamper(checked_item):
        copy = verified_copy(checked_item)
        with open(checked_item.file.path, "wb") as stored:
            stored.write(TAMPERED)
        return copy

    monkeypatch.setattr(evidence_views, "_verified_copy", check_then_tamper)

    response = clinician_client.get(download_url(item))

    assert b"".join(response.streaming_content) == original
