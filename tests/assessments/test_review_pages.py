"""Returning an assessment with a comment, the review queue, and what the review, detail and
wizard pages show a manager and a clinician around sign-off."""

import pytest
from django.urls import reverse

from assessments.errors import (
    AssessmentLocked,
)
from assessments.models import Assessment
from assessments.services.signoff import return_to_clinician
from tests.reporting import make_assessment, sign

pytestmark = pytest.mark.django_db


def test_manager_returns_an_assessment_with_a_comment(manager_client, submitted):
    response = manager_client.post(
        reverse("assessments:return", args=[submitted.pk]),
        {"comment": "Please upload the CPSR for this product."},
        follow=True,
    )

    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.DRAFT
    assert submitted.review_comment == "Please upload the CPSR for this product."
    assert submitted.submitted_at is None
    assert "returned to the clinician" in response.content.decode()


def test_returning_needs_a_comment(manager_client, submitted):
    response = manager_client.post(
        reverse("assessments:return", args=[submitted.pk]), {"comment": "   "}
    )

    assert "comment" in response.context["return_form"].errors
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


def test_a_finalised_assessment_cannot_be_returned(submitted, manager):
    sign(submitted, manager)

    with pytest.raises(AssessmentLocked):
        return_to_clinician(assessment=submitted, by=manager, comment="Too late")


def test_review_queue_lists_only_this_clinics_submitted_assessments(
    manager_client,
    submitted,
    other_submitted,
    clinic,
    plant_product,
    clinician,
    django_assert_max_num_queries,
):
    make_assessment(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        status=Assessment.Status.DRAFT,
        batch_lot="DRAFT-LOT",
    )

    # +1: the navbar's counts, one query (notifications/context_processors.py).
    with django_assert_max_num_queries(13):
        response = manager_client.get(reverse("assessments:review_queue"))

    page = response.content.decode()
    assert response.status_code == 200
    assert submitted.batch_lot in page
    assert "DRAFT-LOT" not in page
    assert "Sentinel Other Product" not in page


def test_review_page_offers_sign_off_with_the_managers_name_prefilled(manager_client, submitted):
    response = manager_client.get(reverse("assessments:review", args=[submitted.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="current-password"' in page
    assert 'value="Manager"' in page  # the persona's first name
    assert "Practice manager" in page


def test_review_nav_item_is_shown_to_managers_only(manager_client, clinician_client):
    review_url = reverse("assessments:review_queue")

    assert review_url in manager_client.get(reverse("dashboard")).content.decode()
    assert review_url not in clinician_client.get(reverse("dashboard")).content.decode()


def test_detail_page_panel_offers_the_manager_review_and_a_draft_preview(
    manager_client, clinician_client, submitted
):
    review_url = reverse("assessments:review", args=[submitted.pk])
    preview_url = reverse("assessments:report_preview", args=[submitted.pk])

    as_manager = manager_client.get(submitted.get_absolute_url()).content.decode()
    as_clinician = clinician_client.get(submitted.get_absolute_url()).content.decode()

    assert review_url in as_manager and preview_url in as_manager
    assert review_url not in as_clinician and preview_url in as_clinician


def test_detail_page_panel_of_a_signed_assessment_offers_the_pdf_and_a_new_version(
    manager_client, submitted, manager
):
    sign(submitted, manager)

    page = manager_client.get(submitted.get_absolute_url()).content.decode()

    assert reverse("assessments:report_download", args=[submitted.pk]) in page
    assert reverse("assessments:new_version", args=[submitted.pk]) in page
    assert "Signed by Max Manager (Practice manager)" in page


def test_a_returned_draft_shows_the_managers_comment(clinician_client, submitted, manager):
    return_to_clinician(assessment=submitted, by=manager, comment="Upload the CPSR please")

    page = clinician_client.get(submitted.get_absolute_url()).content.decode()

    assert "Returned by the practice manager" in page
    assert "Upload the CPSR please" in page
    # ...and on every step of the wizard, where the changes are made.
    for step in range(1, 6):
        url = reverse("assessments:step", args=[submitted.pk, step])
        step_page = clinician_client.get(url).content.decode()
        assert "Returned by the practice manager" in step_page, step
        assert "Upload the CPSR please" in step_page, step
