"""The ORM refuses changes to a finalised record (model guard) and so does PostgreSQL (triggers)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import Collector

from assessments.immutability import allow_erasure
from assessments.models import Assessment, EvidenceItem
from assessments.services.signoff import start_new_version
from tests.assessments.immutability.support import on_postgresql, refused, stored, stored_evidence
from tests.reporting import add_evidence, make_assessment, sign

pytestmark = pytest.mark.django_db


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
