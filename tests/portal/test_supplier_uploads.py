"""The supplier's uploads pass the same checks as the clinic's (assessments/uploads.py), plus
a cap per request; every refusal says why, keeps what was typed and stores nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portal.models import SupplierDocument, SupplierRequest
from tests.portal.support import (
    COA,
    GMP,
    draft,
    item_of,
    page_url,
    request_from_assessment,
    submit_all,
    upload_data,
    upload_url,
)
from tests.wizard_support import (
    image_bytes,
    pdf_bytes,
    png_claiming,
    upload,
    with_attachment,
    with_encryption,
    with_javascript,
    with_launch,
    with_open_action,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(
    clinician_client, plant_product, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = draft(plant_product, clinician)
    supplier_request, token = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )
    return supplier_request, token, item_of(supplier_request, assessment)


def post(sent, file, slug=GMP, **facts):
    supplier_request, token, item = sent
    return Client().post(upload_url(token, item, slug), upload_data(item, slug, file, **facts))


REFUSALS = [
    ("html renamed", upload("gmp.pdf", b"<html><script>x()</script></html>"), "Only PDF, PNG"),
    ("png named pdf", upload("gmp.pdf", image_bytes("PNG"), "image/png"), "ends in “.pdf”"),
    ("empty", upload("gmp.pdf", b""), "empty"),
    ("javascript", upload("gmp.pdf", pdf_bytes(tamper=with_javascript)), "JavaScript"),
    ("open action", upload("gmp.pdf", pdf_bytes(tamper=with_open_action)), "when it is opened"),
    ("launch", upload("gmp.pdf", pdf_bytes(tamper=with_launch)), "launch another program"),
    ("embedded file", upload("gmp.pdf", pdf_bytes(tamper=with_attachment)), "embedded files"),
    ("encrypted", upload("gmp.pdf", pdf_bytes(tamper=with_encryption)), "encrypted"),
    ("unreadable pdf", upload("gmp.pdf", b"%PDF-1.7\n garbage"), "cannot be read"),
    ("pixel bomb", upload("gmp.png", png_claiming(20000, 20000), "image/png"), "too large"),
]


@pytest.mark.parametrize("case, file, reason", REFUSALS, ids=[case for case, *_ in REFUSALS])
def test_each_refused_upload_says_why_keeps_the_facts_and_stores_nothing(sent, case, file, reason):
    response = post(sent, file, lab="Typed Lab Name Ltd")

    assert response.status_code == 200
    body = response.content.decode()
    assert reason in body, body[:500]
    assert 'value="Typed Lab Name Ltd"' in body
    assert not SupplierDocument.objects.exists()


def test_a_file_over_the_size_limit_is_refused(sent, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    response = post(sent, upload("gmp.pdf", pdf_bytes(pages=8)))

    assert "the largest file accepted is" in response.content.decode()
    assert not SupplierDocument.objects.exists()


def test_a_request_holds_at_most_so_many_files(sent, settings):
    settings.PORTAL_MAX_FILES_PER_REQUEST = 2
    for _ in range(2):
        assert post(sent, upload("gmp.pdf", pdf_bytes(pages=_ + 1))).status_code == 302

    response = post(sent, upload("gmp.pdf", pdf_bytes(pages=3)))

    assert "already holds 2 files" in response.content.decode()
    assert SupplierDocument.objects.count() == 2


def test_a_request_holds_at_most_so_many_bytes(sent, settings):
    first = pdf_bytes()
    settings.PORTAL_MAX_BYTES_PER_REQUEST = len(first) + 10
    assert post(sent, upload("gmp.pdf", first)).status_code == 302

    response = post(sent, upload("gmp.pdf", pdf_bytes(pages=2)))

    assert "past" in response.content.decode()
    assert SupplierDocument.objects.count() == 1


def test_an_expiry_before_the_issue_date_is_refused(sent):
    response = post(
        sent, upload("gmp.pdf", pdf_bytes()), issued_on="2026-05-01", expires_on="2026-04-01"
    )

    assert "cannot be before the issue date" in response.content.decode()
    assert not SupplierDocument.objects.exists()


def test_an_issue_date_in_the_future_is_refused(sent):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = post(sent, upload("gmp.pdf", pdf_bytes()), issued_on=tomorrow.isoformat())

    assert "The issue date is in the future" in response.content.decode()
    assert not SupplierDocument.objects.exists()


def test_a_document_that_is_not_asked_for_is_refused(sent, evidence_types):
    supplier_request, token, item = sent
    asked = {document["slug"] for document in item.documents}
    not_asked = next(slug for slug in evidence_types if slug not in asked)

    response = Client().post(
        upload_url(token, item, not_asked), upload_data(item, not_asked, lot="")
    )

    assert "not asked for" in response.content.decode()
    assert not SupplierDocument.objects.exists()


def test_nothing_is_accepted_after_submission(sent, django_capture_on_commit_callbacks):
    supplier_request, token, item = sent
    supplier = Client()
    assert submit_all(supplier, token, supplier_request).status_code == 302

    response = supplier.post(upload_url(token, item, COA), upload_data(item, COA))

    assert response.status_code == 302
    assert not SupplierDocument.objects.exists()
    page = supplier.get(page_url(token)).content.decode()
    assert "Thank you. Submitted by Dana Supplier" in page
    assert "submitted already" in page


def test_a_request_that_expires_between_page_and_post_stores_nothing(sent):
    supplier_request, token, item = sent
    SupplierRequest.objects.filter(pk=supplier_request.pk).update(expires_at=timezone.now())

    response = post(sent, upload("gmp.pdf", pdf_bytes()))

    assert response.status_code == 410
    assert not SupplierDocument.objects.exists()


def test_an_accepted_upload_keeps_the_supplier_s_facts_apart_with_its_sha256(sent):
    content = pdf_bytes()
    response = post(sent, upload("GMP 2026.pdf", content), lab="BSI", lot="")

    assert response.status_code == 302
    document = SupplierDocument.objects.get()
    assert document.original_filename == "GMP 2026.pdf"
    assert document.lab == "BSI" and document.issued_on == timezone.localdate()
    assert document.evidence_item is None  # nothing on the assessment before submission
    import hashlib

    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.file.name.startswith(f"portal/{document.clinic_id}/")
