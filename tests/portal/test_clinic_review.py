"""After the supplier submits: the clinic sees it apart from its own record, confirms (or
corrects) each document after opening it, takes the answers in, follows up for the rest."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from assessments.checklist import checklist_for
from assessments.models import Assessment, EvidenceItem
from assessments.rules import EvidenceStatus
from notifications.models import Notification
from portal.models import RequestEvent, SupplierDocument, SupplierRequest
from tests.factories import log_in, make_user
from tests.portal.support import (
    COA,
    GMP,
    draft,
    item_of,
    request_from_assessment,
    submit_all,
    token_in,
    upload_data,
    upload_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(
    clinician_client, plant_product, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    """GMP certificate and CoA uploaded with stated facts, answers given, submitted."""
    assessment = draft(plant_product, clinician)
    supplier_request, token = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )
    item = item_of(supplier_request, assessment)
    supplier = Client(REMOTE_ADDR="203.0.113.7")
    supplier.post(upload_url(token, item, GMP), upload_data(item, GMP, lot=""))
    supplier.post(upload_url(token, item, COA), upload_data(item, COA))
    response = submit_all(supplier, token, supplier_request, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    supplier_request.refresh_from_db()
    return supplier_request, assessment


def status(assessment, slug):
    checklist = checklist_for(Assessment.objects.get(pk=assessment.pk))
    return next(row.status for row in checklist.documents if row.slug == slug)


def document(slug) -> SupplierDocument:
    return SupplierDocument.objects.get(evidence_type__slug=slug)


def confirm(client, doc, **facts):
    data = {f"c{doc.pk}-{name}": value for name, value in facts.items()}
    return client.post(reverse("portal:confirm", args=[doc.pk]), data)


def test_the_requester_is_told_and_sees_it_apart_as_supplied_by(
    clinician, clinician_client, submitted, mailoutbox
):
    supplier_request, assessment = submitted
    note = Notification.objects.get(recipient=clinician)
    assert "answered your request" in note.title
    page = clinician_client.get(reverse("portal:request", args=[supplier_request.pk]))
    body = page.content.decode()
    assert "Supplied by Dana Supplier, Verdant Botanics Ltd" in body
    assert "from address 203.0.113.7" in body
    assert "Not checked" in body
    # Bare uploads on the assessment: counted as not checked, never on file.
    for slug in (GMP, COA):
        assert status(assessment, slug) is EvidenceStatus.UNVERIFIED
        item = document(slug).evidence_item
        assert item.issued_on is None and item.lab == "" and item.result == "not-stated"
        assert item.expires_on is None
        assert "Supplied through" in item.notes
    # The assessment's own page links the request and says what waits.
    detail = clinician_client.get(assessment.get_absolute_url()).content.decode()
    assert supplier_request.reference in detail
    assert "waiting for a clinic member to open them" in detail


def test_only_the_member_who_opened_the_file_can_confirm_it(clinic, clinician_client, submitted):
    gmp = document(GMP)
    colleague = log_in(Client(), make_user("colleague", clinic, "clinician"))
    colleague.get(reverse("portal:open_file", args=[gmp.pk]))

    refused = confirm(clinician_client, gmp, issued_on="2026-01-05")

    assert "Open the file and read it" in refused.content.decode()
    assert status(submitted[1], GMP) is EvidenceStatus.UNVERIFIED
    assert confirm(colleague, gmp, issued_on="2026-01-05").status_code == 302
    assert status(submitted[1], GMP) is EvidenceStatus.ON_FILE


def test_corrected_facts_are_what_counts_and_the_verdict_follows(clinician_client, submitted):
    supplier_request, assessment = submitted
    coa = document(COA)
    clinician_client.get(reverse("portal:open_file", args=[coa.pk]))

    # The file says the lot failed, whatever the supplier typed.
    response = confirm(
        clinician_client,
        coa,
        issued_on="2026-01-05",
        lot=assessment.batch_lot,
        lab="Eurofins",
        result="fail",
    )

    assert response.status_code == 302
    item = EvidenceItem.objects.get(pk=coa.evidence_item_id)
    assert item.result == "fail" and item.lab == "Eurofins"
    assert status(assessment, COA) is EvidenceStatus.FAILED
    assert Assessment.objects.get(pk=assessment.pk).verdict == "not-permitted"
    event = supplier_request.events.get(kind=RequestEvent.Kind.CONFIRMED)
    assert "corrected" in event.detail and "result pass → fail" in event.detail
    assert item.history.first().history_user.username == "clinician"


def test_the_supplier_s_answers_are_taken_into_the_assessment_on_request(
    clinician_client, submitted
):
    supplier_request, assessment = submitted
    answer = item_of(supplier_request, assessment).answer
    before = Assessment.objects.get(pk=assessment.pk)
    assert before.source_category is None  # never applied by itself

    response = clinician_client.post(reverse("portal:apply", args=[answer.pk]))

    assert response.status_code == 302
    after = Assessment.objects.get(pk=assessment.pk)
    assert after.source_category.slug == "plant"
    assert after.cell_status.slug == "cell-free"
    assert "Camellia sinensis" in after.source_answer
    assert "Sterility" in after.testing_answer
    assert after.history.first().history_user.username == "clinician"


def test_a_follow_up_asks_only_for_what_is_still_missing(
    clinician_client, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    supplier_request, assessment = submitted
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            reverse("portal:follow_up", args=[supplier_request.pk]),
            {"email": "sales@verdant.example", "valid_days": "7", "reason": "Still missing."},
        )

    assert response.status_code == 302
    follow = SupplierRequest.objects.latest("pk")
    assert follow.follows_up == supplier_request
    asked = {entry["slug"] for entry in follow.items.get().documents}
    assert GMP not in asked and COA not in asked  # sent, waiting for our confirmation
    assert "origin-declaration" in asked
    body = mailoutbox[-1].body
    assert "Declaration of origin" in body and "GMP certificate" not in body
    assert token_in(body)
    kinds = list(supplier_request.events.values_list("kind", flat=True))
    assert RequestEvent.Kind.FOLLOW_UP in kinds


def test_every_supplier_action_is_audited_with_request_id_and_address(
    clinician_client,
    plant_product,
    clinician,
    mailoutbox,
    django_capture_on_commit_callbacks,
    caplog,
):
    assessment = draft(plant_product, clinician)
    supplier_request, token = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )
    item = item_of(supplier_request, assessment)
    supplier = Client(REMOTE_ADDR="198.51.100.4")
    with caplog.at_level(logging.INFO, logger="exocheck.security"):
        supplier.post(upload_url(token, item, GMP), upload_data(item, GMP, lot=""))
        submit_all(supplier, token, supplier_request)

    supplier_events = supplier_request.events.exclude(kind=RequestEvent.Kind.SENT)
    assert {event.ip for event in supplier_events} == {"198.51.100.4"}
    for kind in ("uploaded", "answers", "submitted"):
        assert f"Supplier portal {kind}: request={supplier_request.pk}" in caplog.text
    assert "ip=198.51.100.4" in caplog.text
    history = clinician_client.get(reverse("portal:request", args=[supplier_request.pk]))
    assert "198.51.100.4" in history.content.decode()


def test_documents_arriving_after_the_assessment_left_draft_stay_with_the_request(
    clinician_client, plant_product, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = draft(plant_product, clinician)
    supplier_request, token = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )
    item = item_of(supplier_request, assessment)
    supplier = Client()
    supplier.post(upload_url(token, item, GMP), upload_data(item, GMP, lot=""))
    Assessment.objects.filter(pk=assessment.pk).update(
        status="submitted", submitted_at="2026-01-01T00:00Z"
    )

    assert submit_all(supplier, token, supplier_request).status_code == 302

    assert document(GMP).evidence_item is None
    assert not EvidenceItem.objects.filter(assessment=assessment).exists()
