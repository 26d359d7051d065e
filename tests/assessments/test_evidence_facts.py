"""Completing an upload: what a document says (issue date, result…) is recorded from the file
without uploading it again. Until then it counts as not checked (docs/domain.md §4.1)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.checklist import checklist_for
from assessments.models import Assessment
from tests.wizard_support import evidence_data, pdf_bytes, start_for_lot, step_url, upload

pytestmark = pytest.mark.django_db

COA = "certificate-of-analysis"


@pytest.fixture
def bare_upload(clinician_client, clinician, plant_product):
    """A draft whose certificate of analysis was uploaded with no details typed."""
    draft = start_for_lot(clinician_client, clinician, plant_product)
    clinician_client.post(
        step_url(draft, 4),
        {
            "action": "save",
            **evidence_data(
                COA,
                file=upload("coa.pdf", pdf_bytes()),
                result="not-stated",
                lab="",
                issued_on="",
                expires_on="",
            ),
        },
    )
    item = draft.evidence_items.get(evidence_type__slug=COA)
    return draft, item


def facts_url(draft, item):
    return reverse("assessments:evidence_facts", args=[draft.pk, item.pk])


def status_of(draft, slug=COA):
    checklist = checklist_for(Assessment.objects.get(pk=draft.pk))
    return next(row.status.value for row in checklist.documents if row.slug == slug)


def test_the_documents_step_links_each_upload_to_its_details(clinician_client, bare_upload):
    draft, item = bare_upload

    page = clinician_client.get(step_url(draft, 4)).content.decode()

    assert facts_url(draft, item) in page
    assert status_of(draft) == "unverified"  # shown as "not checked"


def test_recording_what_it_says_makes_it_count(clinician_client, bare_upload):
    draft, item = bare_upload
    issued = timezone.localdate() - timedelta(days=30)

    form_page = clinician_client.get(facts_url(draft, item))
    response = clinician_client.post(
        facts_url(draft, item),
        {
            "lab": "Eurofins",
            "lot": "LOT-42",
            "issued_on": issued.isoformat(),
            "expires_on": (issued + timedelta(days=700)).isoformat(),
            "result": "pass",
        },
        follow=True,
    )

    assert form_page.status_code == 200
    assert 'name="result"' in form_page.content.decode()  # a test report has a result
    assert response.redirect_chain[-1][0] == step_url(draft, 4)
    assert "Recorded what the" in response.content.decode()
    item.refresh_from_db()
    assert (item.lab, item.issued_on, item.result) == ("Eurofins", issued, "pass")
    assert status_of(draft) == "on-file"
    assert item.history.first().history_user.username == "clinician"  # audited


def test_a_future_issue_date_is_refused_and_what_was_typed_is_kept(clinician_client, bare_upload):
    draft, item = bare_upload
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = clinician_client.post(
        facts_url(draft, item),
        {"lab": "Typed Lab", "issued_on": tomorrow.isoformat(), "result": "pass"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The issue date is in the future" in page
    assert 'value="Typed Lab"' in page
    item.refresh_from_db()
    assert item.issued_on is None


def test_a_submitted_assessments_documents_are_fixed(clinician_client, bare_upload):
    draft, item = bare_upload
    Assessment.objects.filter(pk=draft.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
    )

    response = clinician_client.post(
        facts_url(draft, item), {"issued_on": "2026-01-01", "result": "pass"}, follow=True
    )

    assert "no longer a draft" in response.content.decode()
    item.refresh_from_db()
    assert item.issued_on is None


def test_another_clinics_document_is_not_found(other_clinician_client, bare_upload):
    draft, item = bare_upload

    assert other_clinician_client.get(facts_url(draft, item)).status_code == 404
    assert other_clinician_client.post(facts_url(draft, item), {}).status_code == 404
