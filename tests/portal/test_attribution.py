"""Who provided a document is said truthfully: the supplier through the request's link, not
the clinician who sent the request (under whom the assessments app files the evidence)."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.history import assessment_story, supplied_reason
from portal.models import RequestEvent, SupplierDocument
from tests.portal.support import (
    GMP,
    draft,
    item_of,
    request_from_assessment,
    submit_all,
    upload_data,
    upload_url,
)
from tests.wizard_support import pdf_bytes, upload

pytestmark = pytest.mark.django_db
VIA = "uploaded by Dana Supplier, Verdant Botanics Ltd via request link"


@pytest.fixture
def submitted(
    plant_product, clinician, clinician_client, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = draft(plant_product, clinician)
    supplier_request, token = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )
    item = item_of(supplier_request, assessment)
    supplier = Client(REMOTE_ADDR="203.0.113.9")
    data = upload_data(item, GMP, upload("GMP 2026.pdf", pdf_bytes()), lot="")
    assert supplier.post(upload_url(token, item, GMP), data).status_code == 302
    assert submit_all(supplier, token, supplier_request).status_code == 302
    return supplier_request, assessment


def test_the_request_page_says_the_supplier_uploaded_it_via_the_link(
    submitted, clinician, clinician_client
):
    supplier_request, _ = submitted
    body = clinician_client.get(reverse("portal:request", args=[supplier_request.pk]))
    text = body.content.decode()

    assert f"U{VIA[1:]} {supplier_request.reference}" in text
    assert "(address 203.0.113.9)" in text
    assert f"Uploaded by {clinician}" not in text


def test_the_history_names_the_supplier_for_the_upload_and_its_filing(submitted, clinician):
    supplier_request, _ = submitted
    kinds = {event.kind: event for event in supplier_request.events.all()}
    uploaded = kinds[RequestEvent.Kind.UPLOADED]
    attached = kinds[RequestEvent.Kind.ATTACHED]

    assert uploaded.user is None and uploaded.actor.startswith("The supplier's contact")
    assert attached.user is None and attached.actor == "Dana Supplier, Verdant Botanics Ltd"
    assert VIA in attached.detail
    assert f"filed on the assessment under {clinician}, who sent the request" in attached.detail


def test_the_assessment_shows_who_provided_its_document(submitted, clinician_client):
    supplier_request, assessment = submitted
    page = clinician_client.get(assessment.get_absolute_url()).content.decode()
    assert "Documents the supplier provided" in page
    assert f"{VIA} {supplier_request.reference}" in page

    evidence = SupplierDocument.objects.get().evidence_item
    assert f"not by a clinic member: {VIA} {supplier_request.reference}" in evidence.notes


def test_a_library_document_is_said_to_be_chosen_not_uploaded(submitted):
    document = SupplierDocument.objects.get()
    document.from_library = True
    assert document.provided_by.startswith(
        "chosen from the documents on file by Dana Supplier, Verdant Botanics Ltd via request"
    )


def test_the_assessments_own_history_names_the_supplier_not_the_clinician(submitted, clinician):
    supplier_request, assessment = submitted
    lines = [line.text for line in assessment_story(assessment)]
    supplied = [text for text in lines if f"{VIA} {supplier_request.reference}" in text]
    assert len(supplied) == 1, lines
    assert supplied[0].startswith("The GMP certificate was uploaded by Dana Supplier")
    assert supplied[0].endswith(f"filed under {clinician.get_full_name()}")
    assert not any(text.startswith(f"{clinician.get_full_name()} uploaded") for text in lines)


def test_the_supplied_reason_fits_the_history_column_however_long_the_names():
    # PostgreSQL refuses a change reason over 100 characters (SQLite would not notice).
    long = "uploaded by " + "Dana Supplier, " * 20 + "via request link REQ-001-000001"
    reason = supplied_reason(long)
    assert len(reason) == 100 and reason.endswith("…")
    assert supplied_reason("uploaded by Dana via request link REQ-1").endswith("REQ-1")
