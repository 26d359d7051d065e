"""The signed record (assessments/signed_record.py): a snapshot of what a finalised
assessment says, so that renaming its product or supplier later changes none of its pages
or files. New sign-offs store it in the save that finalises; this backfills the records
signed before, with the same builder.

The product and supplier are read as they were at sign-off, from their audit history
(django-simple-history), falling back to the row as it is now; reference rows (route,
source, cell status) keep no history, so their names are today's. The documents are as
signed: evidence of a finalised assessment cannot change.
"""

from django.db import migrations, models

# Migration 0004's trigger: it refuses any UPDATE of a finalised row, this backfill too.
IMMUTABILITY_TRIGGER = "exocheck_finalised_assessment_is_immutable"
BATCH = 200


def _as_of(history, pk, when, live):
    """The row `pk` as it stood at `when` according to its history, else `live`."""
    row = (
        history.objects.filter(id=pk, history_date__lte=when)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return row if row is not None else live


def _set_trigger(schema_editor, state: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE assessments_assessment {state} TRIGGER {IMMUTABILITY_TRIGGER}"
        )


def backfill(apps, schema_editor):
    from assessments.models import Assessment as LiveAssessment
    from assessments.signed_record import build_signed_record

    Assessment = apps.get_model("assessments", "Assessment")
    EvidenceItem = apps.get_model("assessments", "EvidenceItem")
    ProductHistory = apps.get_model("products", "HistoricalExosomeProduct")
    SupplierHistory = apps.get_model("suppliers", "HistoricalSupplier")
    finalised = (
        Assessment.objects.filter(status="finalised")
        .select_related("product__supplier", "route", "source_category", "cell_status")
        .prefetch_related(
            models.Prefetch(
                "evidence_items",
                queryset=EvidenceItem.objects.select_related("evidence_type").order_by("pk"),
            )
        )
        .order_by("pk")
    )
    pks = list(finalised.values_list("pk", flat=True))
    if not pks:
        return
    # The snapshot is part of the signed record, and the trigger refuses every UPDATE of a
    # finalised row. This one-off write adds what the record already said and changes
    # nothing it said; the trigger is lifted for it alone and restored in the same
    # transaction (PostgreSQL DDL is transactional: a failure rolls back both). On SQLite
    # there is no trigger, and these historical models have no model guard.
    _set_trigger(schema_editor, "DISABLE")
    for start in range(0, len(pks), BATCH):
        for row in finalised.filter(pk__in=pks[start : start + BATCH]):
            when = row.finalised_at
            product = _as_of(ProductHistory, row.product_id, when, row.product)
            supplier = _as_of(SupplierHistory, product.supplier_id, when, row.product.supplier)
            record = build_signed_record(
                row,
                evidence=row.evidence_items.all(),
                product=product,
                supplier=supplier,
                document_id=LiveAssessment.document_id.fget(row),
            )
            Assessment.objects.filter(pk=row.pk).update(signed_record=record)
    _set_trigger(schema_editor, "ENABLE")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_finalised_records_triggers"),
        ("products", "0005_bounded_product_text"),
        ("suppliers", "0002_supplier_country_not_assumed"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="signed_record",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                help_text="Product, supplier, lot, route, answers, evidence, verdict and "
                "findings as signed. Empty until sign-off.",
            ),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="signed_record",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                help_text="Product, supplier, lot, route, answers, evidence, verdict and "
                "findings as signed. Empty until sign-off.",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
