"""The documents step saves one POST in one service call: every document, one transaction,
one evaluation of the rules; a refused document loses nothing typed and nothing else."""

import pytest
from django.utils import timezone

from assessments.errors import AssessmentNotEditable
from assessments.models import Assessment, EvidenceItem
from assessments.services import DocumentUpload, save_documents_step
from assessments.uploads import check_upload
from products.models import Route
from tests.wizard_support import evidence_data, pdf_bytes, ref, start, step_url, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def injected_draft(clinician_client, clinician, plant_product):
    """A plant product used by injection: the checklist asks for a dozen documents."""
    assessment = start(clinician_client, clinician, plant_product)
    assessment.batch_lot = "LOT-42"
    assessment.route = ref(Route, "topical-compromised-skin")
    assessment.save()
    return assessment


def all_documents(assessment):
    from assessments.checklist import checklist_for

    return [row.slug for row in checklist_for(assessment).documents]


def test_twelve_documents_in_one_post_are_all_kept_with_one_evaluation(
    clinician_client, injected_draft
):
    slugs = all_documents(injected_draft)
    assert len(slugs) >= 12
    data = {"action": "save", "testing_answer": "Sterility USP <71> on every lot."}
    for number, slug in enumerate(slugs):
        data.update(
            evidence_data(slug, file=upload(f"{slug}.pdf", pdf_bytes()), lab=f"Lab {number}")
        )
    versions_before = injected_draft.history.count()

    response = clinician_client.post(step_url(injected_draft, 4), data)

    assert response.status_code == 302
    stored = {item.evidence_type.slug: item for item in EvidenceItem.objects.all()}
    assert set(stored) == set(slugs)
    assert {item.lab for item in stored.values()} == {f"Lab {n}" for n in range(len(slugs))}
    injected_draft.refresh_from_db()
    assert injected_draft.testing_answer == "Sterility USP <71> on every lot."
    # One save of the assessment for the whole POST: the rules ran once.
    assert injected_draft.history.count() == versions_before + 1
    assert injected_draft.verdict == "conditional"  # every document on file and checked


def test_one_refused_document_keeps_what_was_typed_and_saves_the_rest(
    clinician_client, injected_draft
):
    data = {"action": "save", "testing_answer": "Typed answer"}
    data.update(evidence_data("gmp-certificate", file=upload("gmp.pdf", pdf_bytes())))
    data.update(
        evidence_data(
            "cpsr",
            file=upload("cpsr.pdf", pdf_bytes()),
            lab="Typed lab",
            issued_on="2026-06-01",
            expires_on="2026-01-01",
        )
    )

    response = clinician_client.post(step_url(injected_draft, 4), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The expiry date cannot be before the issue date." in page
    assert 'value="Typed lab"' in page
    assert [i.evidence_type.slug for i in EvidenceItem.objects.all()] == ["gmp-certificate"]
    injected_draft.refresh_from_db()
    assert injected_draft.testing_answer == "Typed answer"


def test_a_bare_upload_is_kept_but_counts_as_not_checked(clinician_client, injected_draft):
    data = {"action": "save", "testing_answer": ""}
    data["ev-gmp-certificate-file"] = upload("gmp.pdf", pdf_bytes())

    clinician_client.post(step_url(injected_draft, 4), data)

    injected_draft.refresh_from_db()
    rules = [f["rule"] for f in injected_draft.findings]
    assert "UK-EVID-UNVERIFIED" in rules
    page = clinician_client.get(step_url(injected_draft, 4)).content.decode()
    assert "Not checked" in page


def test_a_failed_save_leaves_no_file_and_no_row(clinician, injected_draft, settings):
    Assessment.objects.filter(pk=injected_draft.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    document = DocumentUpload(
        evidence_type=ref_type("gmp-certificate"),
        upload=check_upload(upload("gmp.pdf", pdf_bytes())),
    )

    with pytest.raises(AssessmentNotEditable):
        save_documents_step(
            assessment=injected_draft,
            by=clinician,
            testing_answer="x",
            uploads=[document],
            resume_at=4,
        )

    assert not EvidenceItem.objects.exists()
    evidence_folder = settings.MEDIA_ROOT / "evidence"
    assert not evidence_folder.exists() or not any(evidence_folder.rglob("*.pdf"))


def ref_type(slug):
    from products.models import EvidenceType

    return EvidenceType.objects.get(slug=slug)
