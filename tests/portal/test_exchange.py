"""The whole exchange through the pages: the clinician asks, the supplier answers and uploads
through the emailed link with no account, the clinician opens and confirms, and the findings
follow."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.checklist import checklist_for
from assessments.models import Assessment, EvidenceItem
from assessments.rules import EvidenceStatus
from portal.models import RequestEvent, SupplierDocument
from portal.tokens import hash_token
from tests.portal.support import (
    COA,
    GMP,
    answers_data,
    draft,
    item_of,
    page_url,
    request_from_assessment,
    submit_all,
    upload_data,
    upload_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(plant_product, clinician, evidence_types):
    plant_product.supplier.contact_email = "sales@verdant.example"
    plant_product.supplier.contact_name = "Dana Supplier"
    plant_product.supplier.save()
    return draft(plant_product, clinician)


def status_of(assessment, slug):
    checklist = checklist_for(Assessment.objects.get(pk=assessment.pk))
    return next(row.status for row in checklist.documents if row.slug == slug)


def test_the_email_says_who_asks_why_and_exactly_what_is_missing(
    clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
):
    supplier_request, token = request_from_assessment(
        clinician_client,
        assessment,
        mailoutbox,
        django_capture_on_commit_callbacks,
        reason="Our insurer asks for it before we start a new product.",
    )

    mail = mailoutbox[-1]
    assert mail.to == ["sales@verdant.example"]
    assert "Harley Skin Clinic" in mail.subject
    assert "Dear Dana Supplier" in mail.body
    assert "Clinician at Harley Skin Clinic" in mail.body
    assert "Why we ask: Our insurer asks for it" in mail.body
    assert "Where are these exosomes derived from?" in mail.body
    checklist = checklist_for(assessment)
    for row in checklist.gaps:
        assert row.name in mail.body
    # The link is random (256 bits) and only its hash is stored.
    assert len(token) >= 43
    assert supplier_request.token_hash == hash_token(token)
    assert token not in str(SupplierRequest_values(supplier_request))
    assert supplier_request.supplier == assessment.product.supplier
    assert list(supplier_request.assessments.all()) == [assessment]
    days = (supplier_request.expires_at - supplier_request.created_at).days
    assert days in (13, 14)


def SupplierRequest_values(supplier_request):  # noqa: N802 - reads like the model
    from portal.models import SupplierRequest

    return list(SupplierRequest.objects.filter(pk=supplier_request.pk).values())


def test_supplier_answers_uploads_and_submits_then_the_clinician_confirms(
    clinician, clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
):
    supplier_request, token = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )
    supplier = Client()  # no account, no session
    page = supplier.get(page_url(token))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Harley Skin Clinic" in body and assessment.product.name in body
    assert "Are they live-cell, cell-free, or processed post-cell culture?" in body
    assert page["Referrer-Policy"] == "no-referrer"
    assert page["Cache-Control"] == "no-store"

    item = item_of(supplier_request, assessment)
    response = supplier.post(upload_url(token, item, GMP), upload_data(item, GMP, lot=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    response = supplier.post(page_url(token) + "answers/", answers_data(item))
    assert response.status_code == 302
    # Saved, and shown again through the same link.
    again = supplier.get(page_url(token)).content.decode()
    assert "Camellia sinensis leaf cell culture" in again
    assert "gmp-certificate.pdf" in again

    response = submit_all(supplier, token, supplier_request, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    supplier_request.refresh_from_db()
    assert supplier_request.declared_name == "Dana Supplier"
    assert supplier_request.declared_company == "Verdant Botanics Ltd"
    assert supplier_request.declared_ip == "127.0.0.1"
    assert "I confirm these answers are accurate" in supplier_request.declaration

    # A bare upload on the assessment: not checked, whatever the supplier stated.
    document = SupplierDocument.objects.get(item=item)
    evidence = document.evidence_item
    assert evidence.issued_on is None and evidence.lab == ""
    assert status_of(assessment, GMP) is EvidenceStatus.UNVERIFIED
    detail = clinician_client.get(reverse("portal:request", args=[supplier_request.pk]))
    assert "Supplied by Dana Supplier, Verdant Botanics Ltd" in detail.content.decode()

    confirm_url = reverse("portal:confirm", args=[document.pk])
    facts = {f"c{document.pk}-issued_on": "2026-01-05", f"c{document.pk}-lab": "BSI"}
    refused = clinician_client.post(confirm_url, facts)
    assert "Open the file and read it" in refused.content.decode()
    opened = clinician_client.get(reverse("portal:open_file", args=[document.pk]))
    assert opened["Location"] == reverse(
        "assessments:evidence_download", args=[assessment.pk, evidence.pk]
    )
    response = clinician_client.post(confirm_url, facts)
    assert response.status_code == 302

    evidence = EvidenceItem.objects.get(pk=evidence.pk)
    assert str(evidence.issued_on) == "2026-01-05" and evidence.lab == "BSI"
    assert status_of(assessment, GMP) is EvidenceStatus.ON_FILE
    kinds = set(supplier_request.events.values_list("kind", flat=True))
    assert {
        RequestEvent.Kind.SENT,
        RequestEvent.Kind.OPENED,
        RequestEvent.Kind.UPLOADED,
        RequestEvent.Kind.ANSWERS_SAVED,
        RequestEvent.Kind.SUBMITTED,
        RequestEvent.Kind.FILE_OPENED,
        RequestEvent.Kind.CONFIRMED,
    } <= kinds
    assert COA  # the CoA was asked for too (lot-specific: never in the library)


def test_submitting_needs_every_question_answered_and_the_declaration(
    clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
):
    supplier_request, token = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )
    item = item_of(supplier_request, assessment)
    supplier = Client()
    url = page_url(token) + "answers/"
    empty = answers_data(item, action="submit", source_choice="", source_text="")

    no_declaration = supplier.post(url, empty)
    assert "Tick the declaration to submit." in no_declaration.content.decode()
    unanswered = supplier.post(
        url, {**empty, "confirm": "on", "name": "D", "role": "Q", "company": "V"}
    )

    body = unanswered.content.decode()
    assert "Answer every question first" in body and assessment.product.name in body
    assert 'value="D"' in body  # the declaration is kept
    supplier_request.refresh_from_db()
    assert supplier_request.submitted_at is None
    # The other answers were saved meanwhile: nothing typed is lost.
    assert "Cell-free, isolated by tangential flow filtration." in body
