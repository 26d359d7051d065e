"""A signed assessment is a record: it rejects edits, and a correction is a new version that
links to it and leaves it unchanged."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse

from assessments.errors import AssessmentLocked, NewVersionExists, NotFinalised
from assessments.evaluation import refresh_findings
from assessments.models import Assessment
from assessments.services import AssessmentNotEditable, mark_not_provided, submit_assessment
from assessments.services.signoff import return_to_clinician, start_new_version
from tests.reporting import make_assessment, pdf_text, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalised(clinic, plant_product, clinician, manager, evidence_types):
    return sign(make_assessment(clinic=clinic, product=plant_product, user=clinician), manager)


def test_finalised_assessment_rejects_edits_through_every_service(
    finalised, clinician, manager, evidence_types
):
    frozen = (finalised.verdict, list(finalised.findings), finalised.report_sha256)

    with pytest.raises(AssessmentNotEditable):
        mark_not_provided(assessment=finalised, by=clinician, evidence_type=evidence_types["cpsr"])
    with pytest.raises(AssessmentNotEditable):
        submit_assessment(assessment=finalised, by=clinician)
    with pytest.raises(AssessmentLocked):
        return_to_clinician(assessment=finalised, by=manager, comment="Change it")
    assert refresh_findings(finalised) is None

    finalised.refresh_from_db()
    assert (finalised.verdict, finalised.findings, finalised.report_sha256) == frozen
    assert finalised.evidence_items.count() == 4
    assert finalised.status == Assessment.Status.FINALISED


def test_admin_cannot_change_a_finalised_assessment(finalised, staff_user):
    request = RequestFactory().get("/")
    request.user = staff_user
    model_admin = admin_site._registry[Assessment]

    assert model_admin.has_change_permission(request, finalised) is False


def test_new_version_copies_answers_and_evidence_and_links_back(finalised, clinician):
    draft = start_new_version(assessment=finalised, by=clinician)

    assert draft.status == Assessment.Status.DRAFT
    assert draft.version == 2
    assert draft.previous_version == finalised
    assert draft.created_by == clinician
    for field in (
        "product_id",
        "batch_lot",
        "route_id",
        "source_category_id",
        "source_answer",
        "cell_status_id",
        "cell_status_answer",
        "testing_answer",
        "marketed_as",
    ):
        assert getattr(draft, field) == getattr(finalised, field), field
    assert not draft.signed_by and not draft.report_pdf and draft.finalised_at is None
    old_files = sorted(
        (i.evidence_type.slug, i.file.name, i.sha256) for i in finalised.evidence_items.all()
    )
    new_files = sorted(
        (i.evidence_type.slug, i.file.name, i.sha256) for i in draft.evidence_items.all()
    )
    assert new_files == old_files  # the same stored files, not copies
    assert draft.verdict == finalised.verdict and draft.ruleset_version


def test_the_signed_version_is_kept_unchanged(finalised, clinician):
    before = Assessment.objects.get(pk=finalised.pk)

    start_new_version(assessment=finalised, by=clinician)

    after = Assessment.objects.get(pk=finalised.pk)
    assert after.status == Assessment.Status.FINALISED
    assert (after.report_sha256, after.findings, after.updated_at) == (
        before.report_sha256,
        before.findings,
        before.updated_at,
    )
    assert after.evidence_items.count() == 4


def test_each_finalised_assessment_is_superseded_once(finalised, clinician, manager):
    first = start_new_version(assessment=finalised, by=clinician)

    with pytest.raises(NewVersionExists) as raised:
        start_new_version(assessment=finalised, by=manager)

    assert raised.value.newer == first


def test_only_a_finalised_assessment_gets_a_new_version(
    clinic, plant_product, clinician, evidence_types
):
    submitted = make_assessment(clinic=clinic, product=plant_product, user=clinician)

    with pytest.raises(NotFinalised):
        start_new_version(assessment=submitted, by=clinician)


def test_new_version_button_starts_a_draft_and_opens_it(clinician_client, finalised):
    response = clinician_client.post(reverse("assessments:new_version", args=[finalised.pk]))

    draft = Assessment.objects.get(previous_version=finalised)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_second_new_version_request_goes_to_the_existing_one(manager_client, finalised, clinician):
    existing = start_new_version(assessment=finalised, by=clinician)

    response = manager_client.post(reverse("assessments:new_version", args=[finalised.pk]))

    assert response["Location"] == existing.get_absolute_url()
    assert Assessment.objects.filter(previous_version=finalised).count() == 1


def test_the_superseded_version_links_to_the_current_one(clinician_client, finalised, clinician):
    draft = start_new_version(assessment=finalised, by=clinician)

    old_page = clinician_client.get(finalised.get_absolute_url()).content.decode()
    new_page = clinician_client.get(draft.get_absolute_url()).content.decode()

    assert "Superseded by" in old_page and draft.get_absolute_url() in old_page
    assert "Superseded by" not in new_page
    # ...and the new one links back to the version it supersedes, named as its PDF names it.
    new_detail = clinician_client.get(reverse("assessments:detail", args=[draft.pk]))
    body = new_detail.content.decode()
    assert f'Supersedes <a href="{finalised.get_absolute_url()}">{finalised.document_id}</a>' in (
        body
    )


def test_the_new_versions_report_names_the_version_it_supersedes(finalised, clinician, manager):
    draft = start_new_version(assessment=finalised, by=clinician)
    draft.status = Assessment.Status.SUBMITTED
    draft.submitted_at = finalised.submitted_at
    draft.save()

    second = sign(draft, manager)

    text = pdf_text(second.report_pdf.read())
    assert f"{second.document_id}" in text
    assert f"Supersedes {finalised.document_id}" in text
