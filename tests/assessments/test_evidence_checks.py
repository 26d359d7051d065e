"""The reviewer's per-document "checked" marks: who may set them, in which clinic, only while
the assessment is in review (never once it is signed), audited, and counted on the sign-off
panel ("1 of 2 documents checked")."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from assessments.errors import AssessmentError, AssessmentLocked, NotAllowed, NotSubmitted
from assessments.evidence_checks import EvidenceCheck, attach_checks
from assessments.history import assessment_story
from assessments.immutability import RecordLocked
from assessments.models import Assessment
from assessments.services.evidence_checks import NOTHING_TO_CHECK, clear_check, mark_checked
from assessments.services.retention import erase_for_retention
from tests.factories import log_in
from tests.reporting import add_evidence, make_assessment, make_finalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(clinic, plant_product, clinician, evidence_types):
    """Four documents on file (tests/reporting.py PLANT_EVIDENCE) and one the supplier refused."""
    assessment = make_assessment(clinic=clinic, product=plant_product, user=clinician)
    add_evidence(assessment, clinician, "stability", provided=False)
    return assessment


def document(assessment, slug="certificate-of-analysis"):
    return assessment.evidence_items.get(evidence_type__slug=slug)


def check_url(assessment, item, action="evidence_check"):
    return reverse(f"assessments:{action}", args=[assessment.pk, item.pk])


def test_a_manager_marks_a_document_checked_and_it_is_audited(submitted, manager):
    item = document(submitted)

    mark = mark_checked(evidence=item, by=manager)

    assert (mark.evidence_item, mark.checked_by, mark.clinic_id) == (item, manager, item.clinic_id)
    assert mark.checked_at is not None
    [created] = mark.history.all()
    assert (created.history_type, created.history_user) == ("+", manager)
    # Marking it again keeps the first mark.
    assert mark_checked(evidence=item, by=manager) == mark
    assert EvidenceCheck.objects.count() == 1


def test_taking_the_check_off_is_audited_too(submitted, manager):
    item = document(submitted)
    mark_checked(evidence=item, by=manager)

    clear_check(evidence=item, by=manager)

    assert not EvidenceCheck.objects.exists()
    deleted = EvidenceCheck.history.latest()
    assert (deleted.history_type, deleted.history_user) == ("-", manager)
    story = [line.text for line in assessment_story(submitted)]
    assert story[:2] == [
        "Manager took the check off the Certificate of analysis",
        "Manager marked the Certificate of analysis as checked",
    ]


@pytest.mark.parametrize("who", ["clinician", "clinic_admin", "other_manager"])
def test_only_the_clinics_reviewers_may_mark(submitted, who, request):
    user = request.getfixturevalue(who)

    with pytest.raises(NotAllowed):
        mark_checked(evidence=document(submitted), by=user)
    with pytest.raises(NotAllowed):
        clear_check(evidence=document(submitted), by=user)
    assert not EvidenceCheck.objects.exists()


def test_a_document_the_supplier_refused_has_nothing_to_check(submitted, manager):
    with pytest.raises(AssessmentError, match=NOTHING_TO_CHECK):
        mark_checked(evidence=document(submitted, "stability"), by=manager)


def test_not_while_the_assessment_is_a_draft(clinic, plant_product, clinician, manager):
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )

    with pytest.raises(NotSubmitted):
        mark_checked(evidence=document(draft), by=manager)


def test_a_signed_assessment_keeps_its_marks_as_they_were(
    clinic, plant_product, clinician, manager
):
    assessment = make_assessment(clinic=clinic, product=plant_product, user=clinician)
    checked, unchecked = document(assessment), document(assessment, "gmp-certificate")
    mark = mark_checked(evidence=checked, by=manager)
    finalised = make_finalised_from(assessment, manager)

    with pytest.raises(AssessmentLocked):
        mark_checked(evidence=unchecked, by=manager)
    with pytest.raises(AssessmentLocked):
        clear_check(evidence=checked, by=manager)
    # Below the service too: the model and its QuerySet refuse (each in its own savepoint:
    # a refused delete breaks the transaction it ran in).
    refused = [
        lambda: EvidenceCheck.objects.create(
            clinic=clinic, evidence_item=unchecked, checked_by=manager
        ),
        mark.delete,
        EvidenceCheck.objects.filter(pk=mark.pk).delete,
        lambda: EvidenceCheck.objects.filter(pk=mark.pk).update(checked_by=clinician),
    ]
    for attempt in refused:
        with pytest.raises(RecordLocked), transaction.atomic():
            attempt()
    assert EvidenceCheck.objects.get() == mark
    assert finalised.is_finalised


def test_retention_erasure_removes_a_signed_assessments_marks_with_it(
    clinic, plant_product, clinician, manager, clinic_admin
):
    assessment = make_assessment(clinic=clinic, product=plant_product, user=clinician)
    mark_checked(evidence=document(assessment), by=manager)
    make_finalised_from(assessment, manager)

    erase_for_retention(assessment=assessment, by=clinic_admin, reason="Kept six years.")

    assert not EvidenceCheck.objects.exists()
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def make_finalised_from(assessment, manager):
    """What the sign-off stores, without its render (tests/reporting.py make_finalised)."""
    from django.utils import timezone

    assessment.status = Assessment.Status.FINALISED
    assessment.finalised_at = timezone.now()
    assessment.signed_by = manager
    assessment.signature_meaning = "reviewed"
    assessment.save()
    return assessment


def test_the_count_is_of_documents_on_file(submitted, manager):
    items = list(submitted.evidence_items.all())
    assert str(attach_checks(items)) == "0 of 4 documents checked"

    mark_checked(evidence=document(submitted), by=manager)

    count = attach_checks(items)
    assert (count.checked, count.total, str(count)) == (1, 4, "1 of 4 documents checked")
    assert not count.complete
    assert {item.evidence_type.slug for item in items if item.mark} == {"certificate-of-analysis"}


def test_review_page_shows_each_mark_and_the_count_on_the_sign_off_panel(
    submitted, manager, manager_client
):
    item = document(submitted)
    other = document(submitted, "gmp-certificate")

    response = manager_client.post(check_url(submitted, item))

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('assessments:review', args=[submitted.pk])}#document-{item.pk}"
    )
    html = manager_client.get(reverse("assessments:review", args=[submitted.pk])).content.decode()
    assert html.count("1 of 4 documents checked") == 2  # the evidence list and the sign-off panel
    assert "✓</span> Checked</span>" in html and "by Manager, <time" in html
    assert check_url(submitted, item, "evidence_clear_check") in html
    assert check_url(submitted, other) in html
    # Every document opens from the page.
    assert reverse("assessments:evidence_download", args=[submitted.pk, other.pk]) in html


def test_other_clinics_documents_are_not_found(submitted, other_manager):
    client = log_in(Client(), other_manager)

    for action in ("evidence_check", "evidence_clear_check"):
        response = client.post(check_url(submitted, document(submitted), action))
        assert response.status_code == 404
    assert not EvidenceCheck.objects.exists()


def test_a_clinician_cannot_post_a_mark(submitted, clinician_client):
    response = clinician_client.post(check_url(submitted, document(submitted)))

    assert response.status_code == 403
    assert not EvidenceCheck.objects.exists()


def test_a_refused_change_is_said_on_the_review_page(
    clinic, plant_product, clinician, manager, manager_client
):
    finalised = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager
    )
    item = document(finalised)

    response = manager_client.post(check_url(finalised, item), follow=True)

    assert "signed off" in response.content.decode()
    assert not EvidenceCheck.objects.exists()


def refused_by_the_database(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "finalised" in str(error)
    return False


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL only (migration 0006)"
)
def test_the_database_refuses_raw_sql_on_a_signed_assessments_marks(
    clinic, plant_product, clinician, manager
):
    assessment = make_assessment(clinic=clinic, product=plant_product, user=clinician)
    mark = mark_checked(evidence=document(assessment), by=manager)
    unchecked = document(assessment, "gmp-certificate")
    make_finalised_from(assessment, manager)

    assert refused_by_the_database(
        "UPDATE assessments_evidencecheck SET checked_by_id = %s WHERE id = %s",
        [clinician.pk, mark.pk],
    )
    assert refused_by_the_database("DELETE FROM assessments_evidencecheck WHERE id = %s", [mark.pk])
    assert refused_by_the_database(
        "INSERT INTO assessments_evidencecheck (clinic_id, evidence_item_id, checked_by_id, "
        "checked_at) VALUES (%s, %s, %s, now())",
        [clinic.pk, unchecked.pk, manager.pk],
    )
    assert EvidenceCheck.objects.get() == mark
