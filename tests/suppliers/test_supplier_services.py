"""suppliers/services.py: create and update with the actor, the role check and the audit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinics.errors import NotAllowed
from suppliers.forms import SupplierForm
from suppliers.models import Supplier
from suppliers.services import EDITABLE_FIELDS, create_supplier, update_supplier

pytestmark = pytest.mark.django_db


def test_create_records_the_clinic_the_actor_and_why(clinic, clinician):
    supplier = create_supplier(
        clinic=clinic, by=clinician, legal_name="Aloe Labs Ltd", country="France"
    )

    assert (supplier.clinic, supplier.legal_name, supplier.country) == (
        clinic,
        "Aloe Labs Ltd",
        "France",
    )
    entry = supplier.history.get()
    assert entry.history_user == clinician
    assert entry.history_change_reason == "Supplier added"


def test_update_changes_only_the_fields_given_and_says_which(supplier, clinician):
    before = supplier.legal_name

    updated = update_supplier(supplier=supplier, by=clinician, trading_name="Verdant", notes="QA")

    updated.refresh_from_db()
    assert (updated.legal_name, updated.trading_name, updated.notes) == (before, "Verdant", "QA")
    entry = updated.history.first()
    assert entry.history_user == clinician
    assert entry.history_change_reason == "Supplier updated: trading_name, notes"


def test_an_update_that_changes_nothing_writes_no_history(supplier, clinician):
    entries = supplier.history.count()

    update_supplier(supplier=supplier, by=clinician, legal_name=supplier.legal_name)

    assert supplier.history.count() == entries


def test_someone_outside_the_clinic_is_refused(clinic, supplier, other_clinician):
    with pytest.raises(NotAllowed):
        create_supplier(clinic=clinic, by=other_clinician, legal_name="Sneaky Ltd")
    with pytest.raises(NotAllowed):
        update_supplier(supplier=supplier, by=other_clinician, notes="changed")

    assert not Supplier.objects.filter(legal_name="Sneaky Ltd").exists()
    supplier.refresh_from_db()
    assert supplier.notes != "changed"


def test_full_clean_refuses_bad_values_and_a_duplicate_name(clinic, supplier, clinician):
    with pytest.raises(ValidationError) as bad_email:
        create_supplier(clinic=clinic, by=clinician, legal_name="X Ltd", contact_email="nope")
    with pytest.raises(ValidationError, match="already has a supplier with this legal name"):
        create_supplier(clinic=clinic, by=clinician, legal_name=supplier.legal_name.upper())

    assert "contact_email" in bad_email.value.message_dict
    assert Supplier.objects.filter(clinic=clinic).count() == 1


def test_the_clinic_and_unknown_fields_are_not_the_callers_to_set(
    supplier, clinician, other_clinic
):
    with pytest.raises(TypeError, match="clinic"):
        update_supplier(supplier=supplier, by=clinician, clinic=other_clinic)
    with pytest.raises(TypeError, match="colour"):
        create_supplier(clinic=supplier.clinic, by=clinician, legal_name="Y Ltd", colour="red")


def test_the_form_offers_exactly_the_fields_the_service_takes():
    assert tuple(SupplierForm._meta.fields) == EDITABLE_FIELDS


def test_a_refusal_from_the_service_is_shown_on_the_form_with_the_input_kept(
    clinician_client, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"legal_name": "Someone saved this name a moment ago."})

    monkeypatch.setattr("suppliers.views.create_supplier", refuse)

    response = clinician_client.post(
        reverse("suppliers:create"), {"legal_name": "Aloe Labs Ltd", "country": "France"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone saved this name a moment ago." in page
    assert 'value="Aloe Labs Ltd"' in page


def test_a_long_change_reason_fits_the_history_column(supplier, clinician):
    update_supplier(
        supplier=supplier,
        by=clinician,
        legal_name="Renamed Botanics Ltd",
        trading_name="Renamed",
        company_number="123",
        country="France",
        website="https://renamed.example",
        contact_name="Ana",
        contact_email="ana@renamed.example",
        contact_phone="+33 1 23",
        notes="All new",
    )

    reason = supplier.history.first().history_change_reason
    assert reason.startswith("Supplier updated: legal_name, trading_name")
    assert len(reason) <= 100  # PostgreSQL refuses a longer one
