"""A finalised record and its evidence are read-only in the admin; status, signature and
report fields change only through the sign-off service."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, EvidenceItem
from tests.assessments.immutability.support import admin_request, admin_url, stored, stored_evidence

pytestmark = pytest.mark.django_db


# --- The admin ---------------------------------------------------------------------------


def test_admin_shows_assessments_and_evidence_at_every_status_but_never_changes_them(
    draft, submitted, staff_user
):
    """The workflow, the clinic's tenancy and the audit trail live in the services: the
    admin is a look at the records, whatever their status."""
    request = admin_request(staff_user)
    for model in (Assessment, EvidenceItem):
        model_admin = admin_site._registry[model]
        assert model_admin.has_add_permission(request) is False
        for assessment in (draft, submitted):
            obj = assessment if model is Assessment else assessment.evidence_items.first()
            assert model_admin.has_view_permission(request, obj) is True
            assert model_admin.has_change_permission(request, obj) is False
            assert model_admin.has_delete_permission(request, obj) is False


def test_admin_cannot_change_or_finalise_a_submitted_assessment_by_post(
    submitted, staff_client, manager
):
    before, evidence_before = stored(submitted), stored_evidence(submitted)
    page = staff_client.get(admin_url(submitted))
    forged = {
        "status": "finalised",
        "signed_by": str(manager.pk),
        "signed_name": "Forged Name",
        "signed_role": "Practice manager",
        "signature_meaning": "approved",
        "finalised_at_0": "2026-01-01",
        "finalised_at_1": "10:00:00",
        "report_sha256": "0" * 64,
        "report_pdf": SimpleUploadedFile("forged.pdf", b"%PDF-1.4 forged"),
        "batch_lot": "EDITED-IN-ADMIN",
        "_save": "Save",
    }

    response = staff_client.post(admin_url(submitted), forged)

    assert page.status_code == 200
    assert 'name="batch_lot"' not in page.content.decode()  # shown, not a form field
    assert response.status_code == 403
    assert stored(submitted) == before
    assert stored(submitted)["status"] == Assessment.Status.SUBMITTED
    assert stored_evidence(submitted) == evidence_before


def test_admin_cannot_move_a_draft_to_another_clinic_or_add_one(
    draft, staff_client, other_clinic, plant_product
):
    before = stored(draft)
    change = staff_client.post(admin_url(draft), {"clinic": other_clinic.pk, "_save": "Save"})
    add = staff_client.post(
        reverse("admin:assessments_assessment_add"),
        {"clinic": other_clinic.pk, "product": plant_product.pk, "_save": "Save"},
    )

    assert (change.status_code, add.status_code) == (403, 403)
    assert stored(draft) == before
    assert not Assessment.objects.filter(clinic=other_clinic).exists()


def test_admin_shows_a_finalised_assessment_read_only_and_refuses_a_post(finalised, staff_client):
    before, evidence_before = stored(finalised), stored_evidence(finalised)

    page = staff_client.get(admin_url(finalised))
    response = staff_client.post(
        admin_url(finalised), {"batch_lot": "CHANGED", "inci": "Changed in the admin"}
    )

    assert page.status_code == 200
    assert 'name="batch_lot"' not in page.content.decode()
    assert response.status_code == 403
    assert stored(finalised) == before
    assert stored_evidence(finalised) == evidence_before


def test_admin_cannot_delete_a_finalised_assessment(finalised, staff_client):
    assert staff_client.get(admin_url(finalised, "delete")).status_code == 403
    assert staff_client.post(admin_url(finalised, "delete"), {"post": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=finalised.pk).exists()
    assert finalised.evidence_items.count() == 4


def test_admin_has_no_bulk_delete_for_assessments_or_evidence(finalised, staff_client, staff_user):
    for model in (Assessment, EvidenceItem):
        assert "delete_selected" not in admin_site._registry[model].get_actions(
            admin_request(staff_user)
        )
    item = finalised.evidence_items.first()
    for obj in (finalised, item):
        opts = obj._meta
        staff_client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
    assert Assessment.objects.filter(pk=finalised.pk).exists()
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_admin_evidence_of_a_finalised_assessment_is_read_only(finalised, staff_client, staff_user):
    item = finalised.evidence_items.first()
    before = stored_evidence(finalised)
    request = admin_request(staff_user)
    inline = admin_site._registry[Assessment].get_inline_instances(request, finalised)

    change = staff_client.post(admin_url(item), {"lab": "Forged Lab", "result": "fail"})
    delete = staff_client.post(admin_url(item, "delete"), {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    assert stored_evidence(finalised) == before
    for permission in ("has_add_permission", "has_change_permission", "has_delete_permission"):
        assert all(getattr(i, permission)(request, finalised) is False for i in inline), permission


def test_admin_cannot_add_evidence_to_any_assessment(submitted, staff_client, other_clinic):
    """Evidence arrives only through the checked upload, with its file, in its assessment's
    clinic: never from the admin (once, a file-less item of another clinic was added here)."""
    before = stored_evidence(submitted)
    response = staff_client.post(
        reverse("admin:assessments_evidenceitem_add"),
        {
            "assessment": submitted.pk,
            "clinic": other_clinic.pk,
            "evidence_type": submitted.evidence_items.first().evidence_type_id,
            "provided": "on",
            "lab": "Fake Lab",
            "result": "pass",
            "_save": "Save",
        },
    )

    assert response.status_code == 403
    assert stored_evidence(submitted) == before
