"""Migration 0005 gives every assessment finalised before it the signed record sign-off
stores now: the same builder, the product and supplier as they were at sign-off (from their
audit history), and on PostgreSQL the immutability trigger back on afterwards."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from assessments.models import Assessment
from tests.assessments.immutability.support import on_postgresql
from tests.assessments.signed_record_support import (
    RENAMED_PRODUCT,
    RENAMED_SUPPLIER,
    SIGNED_PRODUCT,
    SIGNED_SUPPLIER,
)
from tests.reporting import make_finalised

BEFORE = ("assessments", "0004_finalised_records_triggers")


def migrate_back_and_forth() -> None:
    """Unapply 0005 (its column goes) and apply it again (the backfill runs)."""
    try:
        MigrationExecutor(connection).migrate([BEFORE])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def rename(product) -> None:
    product.supplier.legal_name = RENAMED_SUPPLIER
    product.supplier.save()
    product.name = RENAMED_PRODUCT
    product.save()


# Migrating runs schema changes outside a test's own transaction; reference data is restored.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restored_reference_data")
def test_the_backfill_writes_what_sign_off_wrote_with_the_names_as_signed(
    clinic, plant_product, clinician, manager, evidence_types
):
    finalised = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager
    )
    as_signed = Assessment.objects.get(pk=finalised.pk).signed_record
    rename(plant_product)

    migrate_back_and_forth()

    backfilled = Assessment.objects.get(pk=finalised.pk).signed_record
    assert backfilled == as_signed
    assert backfilled["product"]["name"] == SIGNED_PRODUCT
    assert backfilled["supplier"]["legal_name"] == SIGNED_SUPPLIER


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restored_reference_data")
def test_the_trigger_guards_finalised_rows_again_after_the_backfill(
    clinic, plant_product, clinician, manager, evidence_types
):
    finalised = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager
    )

    migrate_back_and_forth()

    with (
        pytest.raises(DatabaseError, match="finalised"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE assessments_assessment SET signed_record = '{}'::jsonb WHERE id = %s",
            [finalised.pk],
        )
    assert Assessment.objects.get(pk=finalised.pk).signed_record["product"]["name"] == (
        SIGNED_PRODUCT
    )
