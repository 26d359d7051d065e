"""What the signed record holds, and that it is as locked as the rest of a finalised record:
the model guard refuses a change through the ORM, PostgreSQL's trigger a raw one, and the
admin shows it read-only. (assessments/signed_record.py, assessments/immutability.py)"""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import DatabaseError, connection, transaction

from assessments.checklist import checklist_for
from assessments.models import Assessment
from assessments.services.signoff import start_new_version
from assessments.signed_record import missing_rows
from tests.assessments.immutability.support import (
    admin_request,
    admin_url,
    on_postgresql,
    refused,
    stored,
)
from tests.assessments.signed_record_support import (
    SIGNED_BRAND,
    SIGNED_LOT,
    SIGNED_PRODUCT,
    SIGNED_ROUTE_SLUG,
    SIGNED_SUPPLIER,
)
from tests.factories import code_for
from tests.reporting import (
    CELL_WORDS,
    SOURCE_WORDS,
    TESTING_WORDS,
    add_evidence,
    make_assessment,
    sign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(clinic, plant_product, clinician, manager, evidence_types):
    """Signed with, besides the four plant documents, a refused and a failed one."""
    assessment = make_assessment(clinic=clinic, product=plant_product, user=clinician)
    add_evidence(assessment, clinician, "cpsr", provided=False)
    add_evidence(assessment, clinician, "microbial-limits", lab="Micro Lab", result="fail")
    return sign(assessment, manager, otp_code=code_for(manager))


def test_the_snapshot_names_the_product_supplier_lot_and_route(signed):
    record = signed.signed_record

    assert record["document_id"] == signed.document_id
    assert record["product"] == {
        "id": signed.product_id,
        "name": SIGNED_PRODUCT,
        "brand": SIGNED_BRAND,
        "form": signed.product.form,
    }
    supplier = signed.product.supplier
    assert record["supplier"]["id"] == supplier.pk
    assert record["supplier"]["legal_name"] == SIGNED_SUPPLIER
    assert record["batch_lot"] == SIGNED_LOT
    assert record["jurisdiction"] == signed.jurisdiction
    assert record["route"] == {"slug": SIGNED_ROUTE_SLUG, "name": signed.route.name}
    assert record["marketed_as"] == signed.marketed_as


def test_the_snapshot_holds_the_answers_word_for_word(signed):
    answers = signed.signed_record["answers"]

    assert answers["source_category"] == {"slug": "plant", "name": signed.source_category.name}
    assert answers["cell_status"] == {"slug": "cell-free", "name": signed.cell_status.name}
    assert answers["source_answer"] == SOURCE_WORDS
    assert answers["cell_status_answer"] == CELL_WORDS
    assert answers["testing_answer"] == TESTING_WORDS
    assert (answers["inci"], answers["claims"]) == (signed.inci, signed.claims)


def test_the_snapshot_holds_each_documents_metadata_and_status(signed):
    items = list(signed.evidence_items.select_related("evidence_type").order_by("pk"))
    rows = signed.signed_record["evidence"]

    assert len(rows) == len(items) == 6
    for item, row in zip(items, rows, strict=True):
        assert row["type"] == item.evidence_type.slug
        assert row["provided"] is item.provided
        assert row["filename"] == item.original_filename
        assert row["sha256"] == item.sha256
        assert (row["lab"], row["lot"], row["result"]) == (item.lab, item.lot, item.result)
        assert row["issued_on"] == (item.issued_on.isoformat() if item.issued_on else "")
        assert row["expires_on"] == (item.expires_on.isoformat() if item.expires_on else "")
    statuses = {row["type"]: row["status"] for row in rows}
    assert statuses["certificate-of-analysis"] == "on-file"
    assert statuses["cpsr"] == "not-provided"
    assert statuses["microbial-limits"] == "failed"
    assert rows[0]["type_name"] == "Certificate of analysis"


def test_the_snapshot_holds_the_outcome_as_signed(signed):
    record = signed.signed_record

    assert record["ruleset_version"] == signed.ruleset_version != ""
    assert record["verdict"] == signed.verdict == "not-permitted"
    assert record["findings"] == signed.findings
    assert "UK-EVID-FAILED" in {finding["rule"] for finding in record["findings"]}
    assert record["evaluated_at"] == signed.evaluated_at.isoformat()
    evidence = signed.evidence_items.select_related("evidence_type")
    assert record["missing"] == missing_rows(checklist_for(signed, items=evidence))


def test_a_draft_and_a_new_version_have_no_snapshot(signed, clinician):
    draft = start_new_version(assessment=signed, by=clinician)

    assert draft.signed_record == {}
    assert not draft.names.is_signed
    assert Assessment.objects.get(pk=signed.pk).signed_record == signed.signed_record


def test_the_snapshot_of_a_finalised_record_cannot_be_changed_through_the_orm(signed):
    before = stored(signed)
    forged = {**signed.signed_record, "product": {**signed.signed_record["product"], "name": "X"}}

    signed.signed_record = forged
    with refused():
        signed.save()
    with refused():
        Assessment.objects.filter(pk=signed.pk).update(signed_record=forged)
    with refused():
        Assessment.objects.filter(pk=signed.pk).update(signed_record={})

    assert stored(signed) == before


@on_postgresql
def test_the_database_refuses_a_raw_change_to_the_snapshot(signed):
    before = stored(signed)

    for sql in (
        "UPDATE assessments_assessment SET signed_record = '{}'::jsonb WHERE id = %s",
        "UPDATE assessments_assessment SET signed_record = jsonb_set(signed_record, "
        "'{product,name}', '\"Forged\"') WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="finalised"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [signed.pk])

    assert stored(signed) == before


def test_the_admin_shows_the_snapshot_read_only(signed, staff_client, staff_user):
    model_admin = admin_site._registry[Assessment]
    request = admin_request(staff_user)

    assert model_admin.has_change_permission(request, signed) is False
    response = staff_client.get(admin_url(signed))
    assert response.status_code == 200
    assert SIGNED_PRODUCT in response.content.decode()
    assert 'name="signed_record"' not in response.content.decode()  # shown, not an input
