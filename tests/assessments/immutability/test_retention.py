"""Retention erasure: the one audited way a finalised record is removed."""

import logging
import os

import pytest

from assessments.errors import NotAllowed
from assessments.immutability import allow_erasure, erasure_allowed
from assessments.models import Assessment, EvidenceItem
from assessments.services import withdraw_evidence
from assessments.services.retention import ErasureRefused, erase_for_retention
from assessments.services.signoff import start_new_version
from tests.assessments.immutability.support import refused, stored
from tests.reporting import add_evidence, make_assessment

pytestmark = pytest.mark.django_db


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
    from tests.factories import make_user

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
