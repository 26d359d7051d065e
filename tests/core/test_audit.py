"""The audit trail: who changed what and when, shown on each record's page, never editable."""

import pytest
from django.db import transaction
from django.urls import reverse

from assessments.models import Assessment, EvidenceItem
from clinics.history_guard import HistoryIsReadOnly
from core.history import history_for
from products.models import CellStatus, SourceCategory
from suppliers.models import Supplier

pytestmark = pytest.mark.django_db

SUPPLIER_FORM = {
    "legal_name": "Verdant Botanics Ltd",
    "trading_name": "",
    "company_number": "01234567",
    "country": "United Kingdom",
    "website": "",
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
    "notes": "",
}


def test_supplier_changes_are_recorded_with_who_and_shown_field_by_field(
    clinician_client, clinician, manager_client, manager
):
    clinician_client.post(reverse("suppliers:create"), SUPPLIER_FORM)
    supplier = Supplier.objects.get()
    manager_client.post(
        reverse("suppliers:edit", args=[supplier.pk]),
        {**SUPPLIER_FORM, "legal_name": "Verdant Botanics Limited"},
    )
    created, changed = reversed(list(supplier.history.all()))
    assert created.history_user == clinician and created.history_type == "+"
    assert changed.history_user == manager and changed.history_type == "~"

    body = clinician_client.get(supplier.get_absolute_url()).content.decode()
    assert "History" in body
    assert "Changed" in body and "by Manager" in body
    assert "Created" in body and "by Clinician" in body
    assert "Legal name" in body
    assert "Verdant Botanics Ltd" in body and "Verdant Botanics Limited" in body


def test_history_is_newest_first_and_shows_old_and_new_values(clinic, clinician):
    supplier = Supplier.objects.create(
        clinic=clinic, legal_name="Aloe Ltd", country="United Kingdom"
    )
    supplier._history_user = clinician
    supplier.country = "France"
    supplier.save()
    entries = history_for(supplier)
    assert [entry.action for entry in entries] == ["Changed", "Created"]
    [change] = entries[0].changes
    assert (change.field, change.old, change.new) == ("Country", "United Kingdom", "France")
    assert entries[0].who == "Clinician"


def test_history_times_are_uk_time(supplier):
    [entry] = history_for(supplier)
    assert str(entry.when.tzinfo) == "Europe/London"
    assert (
        entry.when.utcoffset()
        == supplier.history.get().history_date.astimezone(entry.when.tzinfo).utcoffset()
    )


def test_product_history_names_related_records_not_ids(plant_product, clinician, clinician_client):
    plant_product._history_user = clinician
    plant_product.source_category = SourceCategory.objects.get(slug="human-msc-adipose")
    plant_product.marketed_as = "medicine"
    plant_product.save()
    [change_entry, _created] = history_for(plant_product)
    changes = {change.field: (change.old, change.new) for change in change_entry.changes}
    assert changes["Source category"][0].startswith("Plant")
    assert "adipose" in changes["Source category"][1].lower()
    assert changes["How it is marketed"] == ("Cosmetic", "Medicine")

    body = clinician_client.get(plant_product.get_absolute_url()).content.decode()
    assert "Source category" in body and "by Clinician" in body


def test_assessment_and_evidence_changes_are_audited(plant_product, clinician, evidence_types):
    assessment = Assessment(
        clinic=plant_product.clinic, product=plant_product, created_by=clinician
    )
    assessment._history_user = clinician
    assessment.save()
    assessment.batch_lot = "LOT-42"
    assessment._history_user = clinician
    assessment.save()
    item = EvidenceItem(
        clinic=assessment.clinic,
        assessment=assessment,
        evidence_type=evidence_types["certificate-of-analysis"],
        uploaded_by=clinician,
    )
    item._history_user = clinician
    item.save()
    item.result = EvidenceItem.Result.PASS
    item._history_user = clinician
    item.save()

    [changed, _] = history_for(assessment)
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("Batch / lot", "—", "LOT-42")]
    [evidence_change, _] = history_for(item)
    assert [(c.old, c.new) for c in evidence_change.changes] == [("Not stated", "Pass")]
    assert evidence_change.who == "Clinician"


def test_assessment_trail_shows_its_history_and_its_evidence_history(
    clinician_client, plant_product, clinician, evidence_types
):
    assessment = Assessment.objects.create(
        clinic=plant_product.clinic, product=plant_product, created_by=clinician
    )
    item = EvidenceItem(
        clinic=assessment.clinic,
        assessment=assessment,
        evidence_type=evidence_types["certificate-of-analysis"],
        provided=False,
        uploaded_by=clinician,
    )
    item._history_user = clinician
    item.save()
    response = clinician_client.get(reverse("assessments:trail", args=[assessment.pk]))
    entries = response.context["history_records"]
    assert [(e.action, e.subject) for e in entries] == [
        ("Created", str(evidence_types["certificate-of-analysis"])),
        ("Created", ""),
    ]
    assert "by Clinician" in response.content.decode()


def test_reference_data_changed_in_admin_is_recorded_with_the_staff_user(staff_client, staff_user):
    status = CellStatus.objects.get(slug="cell-free")
    response = staff_client.post(
        f"/admin/products/cellstatus/{status.pk}/change/",
        {
            "name": "Cell-free (EV fraction)",
            "description": status.description,
            "active": "on",
            "display_order": status.display_order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = status.history.first()
    assert latest.history_user == staff_user
    assert latest.name == "Cell-free (EV fraction)"


def test_history_rows_cannot_be_edited(supplier):
    record = supplier.history.get()
    record.legal_name = "Rewritten history Ltd"
    with pytest.raises(HistoryIsReadOnly):
        record.save()
    assert supplier.history.get().legal_name == "Verdant Botanics Ltd"


def test_history_rows_cannot_be_deleted(supplier):
    with pytest.raises(HistoryIsReadOnly), transaction.atomic():
        supplier.history.get().delete()
    with pytest.raises(HistoryIsReadOnly), transaction.atomic():
        supplier.history.all().delete()
    assert supplier.history.count() == 1


def test_admin_history_view_is_read_only(staff_client, supplier):
    record = supplier.history.get()
    url = f"/admin/suppliers/supplier/{supplier.pk}/history/{record.history_id}/"
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "Revert" not in page.content.decode()
    response = staff_client.post(url, {**SUPPLIER_FORM, "legal_name": "Reverted Ltd"})
    assert response.status_code == 403
    supplier.refresh_from_db()
    assert supplier.legal_name == "Verdant Botanics Ltd"


def test_history_values_are_escaped(clinician_client, clinic, clinician):
    supplier = Supplier(clinic=clinic, legal_name="Plain Ltd")
    supplier._history_user = clinician
    supplier.save()
    supplier.notes = "<script>alert(1)</script>"
    supplier.save()
    body = clinician_client.get(supplier.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_long_history_is_bounded_in_queries(
    clinician_client, supplier, clinician, django_assert_max_num_queries
):
    for number in range(60):
        supplier._history_user = clinician
        supplier.notes = f"note {number}"
        supplier.save()
    # +1: the navbar's counts, one query (notifications/context_processors.py).
    with django_assert_max_num_queries(21):
        response = clinician_client.get(supplier.get_absolute_url())
    assert len(response.context["history_records"]) == 50
