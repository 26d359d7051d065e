"""A finalised record and its evidence are read-only in the admin; status, signature and
report fields change only through the sign-off service."""

import pytest
from django import forms
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, EvidenceItem
from tests.assessments.immutability.support import admin_request, admin_url, stored, stored_evidence

pytestmark = pytest.mark.django_db


# --- The admin ---------------------------------------------------------------------------


def test_admin_never_edits_status_signature_or_report_fields(submitted, staff_user):
    model_admin = admin_site._registry[Assessment]
    form = model_admin.get_form(admin_request(staff_user), submitted)

    for name in (
        "status",
        "signed_by",
        "signed_name",
        "signed_role",
        "signature_meaning",
        "sign_off_statement",
        "finalised_at",
        "submitted_by",
        "submitted_at",
        "report_pdf",
        "report_sha256",
    ):
        assert name not in form.base_fields, name
        assert name in model_admin.get_readonly_fields(admin_request(staff_user), submitted)


def form_data(form) -> dict:
    """What a browser would post for `form` as the admin rendered it."""
    data = {}
    for bound in form:
        widget, value = bound.field.widget, bound.value()
        if isinstance(widget, forms.MultiWidget):
            parts = widget.decompress(value) if not isinstance(value, list) else value
            for index, part in enumerate(parts):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(widget, forms.FileInput):
            continue
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def admin_change_data(page) -> dict:
    """The admin change page's own form and inlines, as posted by pressing Save."""
    data = form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data.update(form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(form_data(form))
    data["_save"] = "Save"
    return data


def test_admin_cannot_finalise_a_submitted_assessment_by_post(submitted, staff_client, manager):
    before = stored(submitted)
    data = admin_change_data(staff_client.get(admin_url(submitted)))
    data.update(
        {
            "status": "finalised",
            "signed_by": str(manager.pk),
            "signed_name": "Forged Name",
            "signed_role": "Practice manager",
            "signature_meaning": "approved",
            "finalised_at_0": "2026-01-01",
            "finalised_at_1": "10:00:00",
            "report_sha256": "0" * 64,
            "report_pdf": SimpleUploadedFile("forged.pdf", b"%PDF-1.4 forged"),
            "batch_lot": "EDITED-IN-ADMIN",  # an ordinary answer: this one may change
        }
    )

    response = staff_client.post(admin_url(submitted), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    after = stored(submitted)
    assert after["batch_lot"] == "EDITED-IN-ADMIN"  # the post itself was accepted
    for name in (
        "status",
        "signed_by_id",
        "signed_name",
        "signed_role",
        "signature_meaning",
        "finalised_at",
        "report_pdf",
        "report_sha256",
    ):
        assert after[name] == before[name], name
    assert after["status"] == Assessment.Status.SUBMITTED


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


def test_admin_never_replaces_an_evidence_file(submitted, staff_user):
    item = submitted.evidence_items.first()
    model_admin = admin_site._registry[EvidenceItem]
    form = model_admin.get_form(admin_request(staff_user), item)

    for name in ("file", "sha256", "assessment", "clinic", "uploaded_by"):
        assert name not in form.base_fields, name


def test_admin_cannot_add_evidence_to_a_finalised_assessment(finalised, staff_user):
    model_admin = admin_site._registry[EvidenceItem]
    form = model_admin.get_form(admin_request(staff_user), None)

    choices = form.base_fields["assessment"].queryset
    assert not choices.filter(pk=finalised.pk).exists()
