"""Signed records cannot be altered or deleted: not in the admin, not through the models
(instances, QuerySets, cascades), and on PostgreSQL not even by raw SQL. Retention erasure
is the one audited way to remove one.
"""

import logging
import os
from contextlib import contextmanager

import pytest
from django import forms
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import Collector
from django.test import RequestFactory
from django.urls import reverse

from assessments.errors import NotAllowed
from assessments.immutability import RecordLocked, allow_erasure, erasure_allowed
from assessments.models import Assessment, EvidenceItem
from assessments.services import withdraw_evidence
from assessments.services.retention import ErasureRefused, erase_for_retention
from assessments.services.signoff import start_new_version
from tests.reporting import add_evidence, make_assessment, make_finalised, sign

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the triggers are PostgreSQL only; on SQLite the model guard is the protection",
)


@pytest.fixture
def finalised(clinic, plant_product, clinician, manager, evidence_types):
    return make_finalised(clinic=clinic, product=plant_product, user=clinician, manager=manager)


@pytest.fixture
def submitted(clinic, plant_product, clinician, evidence_types):
    return make_assessment(clinic=clinic, product=plant_product, user=clinician)


@contextmanager
def refused():
    """RecordLocked, in a savepoint: a refused write inside save() or delete() marks the
    transaction it ran in for rollback, as any database error would."""
    with pytest.raises(RecordLocked), transaction.atomic():
        yield


def stored(assessment) -> dict:
    return Assessment.objects.filter(pk=assessment.pk).values().get()


def stored_evidence(assessment) -> list[dict]:
    return list(EvidenceItem.objects.filter(assessment=assessment).order_by("pk").values())


def admin_url(obj, view="change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def admin_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


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


# --- The model guard ---------------------------------------------------------------------


def test_saving_a_finalised_assessment_is_refused(finalised):
    before = stored(finalised)
    history = finalised.history.count()
    finalised.signed_name = "Someone Else"
    finalised.inci = "Changed after signing"

    with refused():
        finalised.save()
    with refused():
        finalised.save(update_fields=["signed_name"])

    assert stored(finalised) == before
    assert finalised.history.count() == history


def test_a_stale_copy_cannot_overwrite_a_record_finalised_meanwhile(submitted, manager):
    stale = Assessment.objects.get(pk=submitted.pk)  # read while still submitted
    sign(submitted, manager)
    signed = stored(submitted)

    stale.batch_lot = "OVERWRITTEN"
    with refused():
        stale.save()
    with refused():
        stale.delete()

    assert stored(submitted) == signed


def test_the_sign_off_save_and_a_new_version_still_work(submitted, manager, clinician):
    signed = sign(submitted, manager)
    draft = start_new_version(assessment=signed, by=clinician)

    # The new draft and its copied evidence are ordinary drafts: editable.
    draft.batch_lot = "NEW-LOT"
    draft.save()
    item = draft.evidence_items.first()
    item.lab = "Corrected Lab"
    item.save()
    assert Assessment.objects.get(pk=draft.pk).batch_lot == "NEW-LOT"
    assert Assessment.objects.get(pk=signed.pk).status == Assessment.Status.FINALISED


def test_deleting_a_finalised_assessment_is_refused_every_way(finalised):
    with refused():
        finalised.delete()
    with refused():
        Assessment.objects.filter(pk=finalised.pk).delete()
    # What a cascade runs (a clinic's deletion would reach its assessments this way).
    collector = Collector(using="default")
    collector.collect([finalised])
    with refused():
        collector.delete()

    assert Assessment.objects.filter(pk=finalised.pk).exists()
    assert finalised.evidence_items.count() == 4


def test_bulk_updates_of_finalised_assessments_are_refused(finalised, submitted):
    before = stored(finalised)

    with refused():
        Assessment.objects.filter(pk=finalised.pk).update(signed_name="Forged")
    with refused():
        Assessment.objects.update(batch_lot="EVERYTHING")
    finalised.batch_lot = "BULK"
    with refused():
        Assessment.objects.bulk_update([finalised], ["batch_lot"])

    assert stored(finalised) == before
    # Rows that are not finalised still update in bulk.
    assert Assessment.objects.filter(pk=submitted.pk).update(batch_lot="FINE") == 1


def test_evidence_of_a_finalised_assessment_cannot_be_changed_or_deleted(finalised):
    before = stored_evidence(finalised)
    item = finalised.evidence_items.first()
    item.lab = "Forged Lab"

    with refused():
        item.save()
    with refused():
        item.delete()
    with refused():
        EvidenceItem.objects.filter(pk=item.pk).update(result="fail")
    with refused():
        finalised.evidence_items.all().delete()
    with refused():
        EvidenceItem.objects.filter(pk=item.pk).delete()

    assert stored_evidence(finalised) == before


def test_no_evidence_is_added_to_or_moved_into_a_finalised_assessment(
    finalised, clinic, plant_product, clinician
):
    with refused():
        add_evidence(finalised, clinician, "cpsr", lab="Late Lab")
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )
    item = draft.evidence_items.first()
    item.assessment = finalised
    with refused():
        item.save()
    with refused():
        EvidenceItem.objects.filter(pk=item.pk).update(assessment=finalised)

    assert finalised.evidence_items.count() == 4
    assert EvidenceItem.objects.get(pk=item.pk).assessment_id == draft.pk


# --- The database (PostgreSQL) -------------------------------------------------------------


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def refused_by_the_database(sql: str, params=()) -> bool:
    try:
        with transaction.atomic():
            raw(sql, params)
    except DatabaseError as error:
        return "finalised" in str(error)
    return False


@on_postgresql
def test_database_refuses_raw_sql_changes_to_a_finalised_assessment(finalised):
    before = stored(finalised)

    assert refused_by_the_database(
        "UPDATE assessments_assessment SET signed_name = 'Forged' WHERE id = %s", [finalised.pk]
    )
    assert refused_by_the_database(
        "UPDATE assessments_assessment SET status = 'draft' WHERE id = %s", [finalised.pk]
    )
    assert refused_by_the_database(
        "DELETE FROM assessments_assessment WHERE id = %s", [finalised.pk]
    )

    assert stored(finalised) == before


@on_postgresql
def test_database_refuses_raw_sql_changes_to_evidence_of_a_finalised_assessment(
    finalised, clinician
):
    before = stored_evidence(finalised)
    item = finalised.evidence_items.first()

    assert refused_by_the_database(
        "UPDATE assessments_evidenceitem SET lab = 'Forged', file = 'evidence/x.pdf' WHERE id = %s",
        [item.pk],
    )
    assert refused_by_the_database(
        "DELETE FROM assessments_evidenceitem WHERE assessment_id = %s", [finalised.pk]
    )
    assert refused_by_the_database(
        "INSERT INTO assessments_evidenceitem (clinic_id, assessment_id, evidence_type_id, "
        "provided, file, original_filename, content_type, size_bytes, sha256, lab, lot, "
        "result, notes, uploaded_by_id, created_at) SELECT clinic_id, assessment_id, "
        "evidence_type_id, provided, file, original_filename, content_type, size_bytes, "
        "sha256, lab, lot, result, notes, uploaded_by_id, created_at "
        "FROM assessments_evidenceitem WHERE id = %s",
        [item.pk],
    )

    assert stored_evidence(finalised) == before


@on_postgresql
def test_database_allows_signing_and_changes_to_records_not_finalised(submitted):
    item = submitted.evidence_items.first()

    assert raw("UPDATE assessments_evidenceitem SET lab = 'Fine' WHERE id = %s", [item.pk]) == 1
    # The sign-off's own UPDATE: the stored row is submitted, the new one finalised.
    assert (
        raw(
            "UPDATE assessments_assessment SET status = 'finalised', finalised_at = now() "
            "WHERE id = %s",
            [submitted.pk],
        )
        == 1
    )
    assert refused_by_the_database(
        "UPDATE assessments_assessment SET batch_lot = 'Later' WHERE id = %s", [submitted.pk]
    )


@on_postgresql
def test_the_erasure_setting_lets_deletes_through_only_inside_its_block(finalised):
    item = finalised.evidence_items.first()
    with transaction.atomic():
        with allow_erasure():
            # Erasure deletes; it never edits.
            assert refused_by_the_database(
                "UPDATE assessments_assessment SET signed_name = 'x' WHERE id = %s",
                [finalised.pk],
            )
            assert raw("DELETE FROM assessments_evidenceitem WHERE id = %s", [item.pk]) == 1
        # Same transaction, after the block: guarded again.
        assert refused_by_the_database(
            "DELETE FROM assessments_evidenceitem WHERE assessment_id = %s", [finalised.pk]
        )
        transaction.set_rollback(True)  # leave the record as it was
    assert finalised.evidence_items.count() == 4


# --- Retention erasure -------------------------------------------------------------------


def test_erasure_needs_a_reason(finalised, clinic_admin):
    for reason in ("", "   ", None):
        with pytest.raises(ErasureRefused, match="reason"):
            erase_for_retention(assessment=finalised, by=clinic_admin, reason=reason)
    assert Assessment.objects.filter(pk=finalised.pk).exists()


def test_erasure_is_for_clinic_admins_and_staff_superusers_only(
    finalised, clinician, manager, other_clinic, caplog
):
    from clinics.models import Role
    from tests.conftest import make_user

    other_admin = make_user("otheradmin", other_clinic, Role.CLINIC_ADMIN)
    with caplog.at_level(logging.WARNING, logger="exocheck.security"):
        for user in (clinician, manager, other_admin):
            with pytest.raises(NotAllowed):
                erase_for_retention(assessment=finalised, by=user, reason="Retention ended")

    assert Assessment.objects.filter(pk=finalised.pk).exists()
    refusals = [r for r in caplog.records if "erasure refused" in r.getMessage()]
    assert len(refusals) == 3


def test_clinic_admin_erases_a_finalised_record_with_an_audit_trail(
    finalised, clinic_admin, caplog, django_capture_on_commit_callbacks
):
    pk, document_id = finalised.pk, finalised.document_id
    item_pks = list(finalised.evidence_items.values_list("pk", flat=True))
    paths = [i.file.path for i in finalised.evidence_items.all()] + [finalised.report_pdf.path]
    reason = "Retention period of 6 years ended (clinic policy R-3)"

    with (
        caplog.at_level(logging.WARNING, logger="exocheck.security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        erasure = erase_for_retention(assessment=finalised, by=clinic_admin, reason=reason)

    assert not Assessment.objects.filter(pk=pk).exists()
    assert not EvidenceItem.objects.filter(pk__in=item_pks).exists()
    assert (erasure.document_id, erasure.evidence_items) == (document_id, 4)
    # The history records the deletions, with who and why.
    deleted = Assessment.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == clinic_admin
    assert deleted.history_change_reason.startswith("Erased for retention: Retention period")
    assert EvidenceItem.history.filter(id__in=item_pks, history_type="-").count() == 4
    # The security log says what was erased, by whom and why.
    messages = [r.getMessage() for r in caplog.records if r.name == "exocheck.security"]
    assert any(
        "erased for retention" in m and document_id in m and "clinicadmin" in m and reason in m
        for m in messages
    ), messages
    # Its files are gone once the erasure committed.
    assert not any(os.path.exists(path) for path in paths)


def test_staff_superuser_may_erase(finalised, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        erase_for_retention(assessment=finalised, by=staff_user, reason="Retention ended")
    assert not Assessment.objects.filter(pk=finalised.pk).exists()


def test_erasure_keeps_files_a_newer_version_shares_and_goes_newest_first(
    finalised, clinician, clinic_admin, django_capture_on_commit_callbacks
):
    newer = start_new_version(assessment=finalised, by=clinician)
    shared = [i.file.path for i in newer.evidence_items.all()]

    with pytest.raises(ErasureRefused, match="newest version first"):
        erase_for_retention(assessment=finalised, by=clinic_admin, reason="Retention ended")

    with django_capture_on_commit_callbacks(execute=True):
        erase_for_retention(assessment=newer, by=clinic_admin, reason="Retention ended")
    assert all(os.path.exists(path) for path in shared)  # still the finalised one's
    assert finalised.evidence_items.count() == 4

    with django_capture_on_commit_callbacks(execute=True):
        erase_for_retention(assessment=finalised, by=clinic_admin, reason="Retention ended")
    assert not any(os.path.exists(path) for path in shared)


def test_erasure_removes_documents_withdrawn_while_it_was_a_draft(
    clinic, plant_product, clinician, clinic_admin, django_capture_on_commit_callbacks
):
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )
    withdrawn = add_evidence(draft, clinician, "cpsr", lab="Wrong upload")
    path = withdrawn.file.path
    withdraw_evidence(assessment=draft, by=clinician, item=withdrawn)
    assert os.path.exists(path)  # kept for the audit trail

    with django_capture_on_commit_callbacks(execute=True):
        erase_for_retention(assessment=draft, by=clinic_admin, reason="Retention ended")

    assert not os.path.exists(path)


def test_the_guard_is_lifted_only_inside_the_erasure(finalised):
    assert erasure_allowed() is False
    with refused(), allow_erasure():
        assert erasure_allowed() is True
        finalised.signed_name = "Erasure never edits"
        finalised.save()
    assert erasure_allowed() is False
    with refused():
        finalised.delete()
    assert stored(finalised)["signed_name"] == "Max Manager"
