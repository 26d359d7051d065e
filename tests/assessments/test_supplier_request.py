""" "Ask the supplier": exactly the unanswered questions and the missing or expired documents."""

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse

from assessments.models import EvidenceItem
from assessments.rules import catalogue_for
from assessments.services import record_evidence
from assessments.supplier_request import QUESTIONS, build_supplier_request
from assessments.uploads import check_upload
from products.models import CellStatus, SourceCategory
from tests.wizard_support import pdf_bytes, ref, start, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(clinician_client, clinician, plant_product):
    assessment = start(clinician_client, clinician, plant_product)
    assessment.batch_lot = "LOT-42"
    assessment.testing_answer = "Sterility per USP <71>."
    assessment.save()
    return assessment


def add_document(assessment, user, evidence_type, **details):
    defaults = {
        "lot": "LOT-42",
        "result": "pass",
        "issued_on": date.today() - timedelta(days=30),
        "expires_on": date.today() + timedelta(days=90),
    }
    return record_evidence(
        assessment=assessment,
        by=user,
        evidence_type=evidence_type,
        upload=check_upload(upload("doc.pdf", pdf_bytes())),
        **{**defaults, **details},
    )


def request_for(assessment, user):
    assessment.refresh_from_db()
    return build_supplier_request(assessment, sender=user)


def test_answered_questions_are_not_asked_again(draft, clinician):
    request = request_for(draft, clinician)

    assert request.questions == []


def test_unanswered_source_and_cell_status_are_asked(draft, clinician):
    draft.source_category = None
    draft.cell_status = ref(CellStatus, "unknown")
    draft.testing_answer = ""
    draft.save()

    request = request_for(draft, clinician)

    assert request.questions == [QUESTIONS[1], QUESTIONS[2], QUESTIONS[3]]
    assert "Where are these exosomes derived from?" in request.body
    assert "live-cell, cell-free, or processed post-cell culture" in request.body


def test_missing_required_documents_are_listed_with_their_standard(
    draft, clinician, evidence_types
):
    request = request_for(draft, clinician)

    names = [gap.evidence_type.slug for gap in request.documents]
    assert "certificate-of-analysis" in names
    assert "cpsr" in names
    assert "donor-screening" not in names  # not asked for a plant product
    coa = catalogue_for("UK")["certificate-of-analysis"]
    assert f"{coa.name} ({coa.standard}), required" in request.body
    assert "for lot LOT-42" in request.body


def test_documents_on_file_and_current_are_not_requested(draft, clinician, evidence_types):
    add_document(draft, clinician, evidence_types["certificate-of-analysis"])

    request = request_for(draft, clinician)

    assert "certificate-of-analysis" not in [gap.evidence_type.slug for gap in request.documents]


def test_an_expired_document_is_requested_again_with_its_date(draft, clinician, evidence_types):
    expired = date.today() - timedelta(days=3)
    add_document(
        draft,
        clinician,
        evidence_types["gmp-certificate"],
        issued_on=expired - timedelta(days=365),
        expires_on=expired,
    )

    request = request_for(draft, clinician)

    gap = next(g for g in request.documents if g.evidence_type.slug == "gmp-certificate")
    assert f"expired on {expired:%d %B %Y}" in gap.request_text


def test_a_document_for_another_lot_is_requested_for_this_lot(draft, clinician, evidence_types):
    add_document(draft, clinician, evidence_types["certificate-of-analysis"], lot="LOT-7")

    request = request_for(draft, clinician)

    gap = next(g for g in request.documents if g.evidence_type.slug == "certificate-of-analysis")
    assert "another lot" in gap.request_text and "LOT-42" in gap.request_text


def test_a_failed_result_asks_for_an_investigation(draft, clinician, evidence_types):
    add_document(draft, clinician, evidence_types["certificate-of-analysis"], result="fail")

    request = request_for(draft, clinician)

    assert "investigation report" in request.body


def test_the_request_is_signed_by_the_user_for_the_clinic(draft, clinician, clinic):
    request = request_for(draft, clinician)

    assert clinician.get_full_name() in request.body
    assert clinic.name in request.body
    assert draft.document_id in request.body


def test_the_mailto_link_carries_subject_body_and_address(draft, clinician, supplier):
    supplier.contact_email = "qa@verdant.invalid"
    supplier.save()

    request = request_for(draft, clinician)

    assert request.mailto.startswith("mailto:qa%40verdant.invalid?subject=")
    assert unquote(request.mailto).endswith(request.body)


def test_the_page_shows_the_text_a_copy_button_and_the_mailto_link(clinician_client, draft):
    page = clinician_client.get(reverse("assessments:ask_supplier", args=[draft.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-copy-target="request-body"' in html
    assert 'href="mailto:' in html
    assert "Certificate of analysis" in html


def test_nothing_outstanding_says_so(draft, clinician, evidence_types):
    draft.source_category = ref(SourceCategory, "autologous-prp")
    draft.save()
    add_document(draft, clinician, evidence_types["device-conformity"])

    request = request_for(draft, clinician)

    assert request.is_empty
    assert "We have everything we need" in request.body


def test_supplier_names_are_escaped_on_the_page(clinician_client, draft, supplier):
    supplier.legal_name = "<script>alert(1)</script> Ltd"
    supplier.save()

    html = clinician_client.get(reverse("assessments:ask_supplier", args=[draft.pk])).content

    assert b"<script>alert(1)</script>" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_not_provided_record_is_still_requested(draft, clinician, evidence_types):
    EvidenceItem.objects.create(
        clinic=draft.clinic,
        assessment=draft,
        evidence_type=evidence_types["cpsr"],
        provided=False,
        uploaded_by=clinician,
    )

    request = request_for(draft, clinician)

    assert "cpsr" in [gap.evidence_type.slug for gap in request.documents]


def test_a_bare_upload_is_asked_for_again_as_not_checked(draft, clinician, evidence_types):
    add_document(
        draft,
        clinician,
        evidence_types["certificate-of-analysis"],
        issued_on=None,
        result="not-stated",
    )

    request = request_for(draft, clinician)

    gap = next(g for g in request.documents if g.slug == "certificate-of-analysis")
    assert gap.status == "unverified"
    assert "issue date or result" in gap.request_text


def test_a_refused_document_is_asked_for_saying_so(draft, clinician, evidence_types):
    EvidenceItem.objects.create(
        clinic=draft.clinic,
        assessment=draft,
        evidence_type=evidence_types["cpsr"],
        provided=False,
        uploaded_by=clinician,
    )

    request = request_for(draft, clinician)

    gap = next(g for g in request.documents if g.slug == "cpsr")
    assert gap.status == "not-provided"
    assert "not been able to provide it" in request.body
