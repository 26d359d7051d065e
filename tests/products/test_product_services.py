"""products/services.py: create and update with the actor, the role check, the audit, the
intended routes, and a supplier that is always the product's own clinic's."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinics.errors import NotAllowed
from products.forms import ExosomeProductForm
from products.models import ExosomeProduct, Route, SourceCategory
from products.services import EDITABLE_FIELDS, create_product, update_product

pytestmark = pytest.mark.django_db


def route(slug):
    return Route.objects.get(slug=slug)


def test_create_saves_the_product_its_routes_and_who_added_it(clinic, supplier, clinician):
    product = create_product(
        clinic=clinic,
        by=clinician,
        supplier=supplier,
        name="Aloe Mist",
        source_category=SourceCategory.objects.get(slug="plant"),
        intended_routes=[route("topical-intact-skin")],
    )

    assert product.clinic == clinic and product.supplier == supplier
    assert list(product.intended_routes.values_list("slug", flat=True)) == ["topical-intact-skin"]
    entry = product.history.get()
    assert (entry.history_user, entry.history_change_reason) == (clinician, "Product added")


def test_another_clinics_supplier_is_refused_and_nothing_is_saved(
    clinic, clinician, other_supplier
):
    with pytest.raises(ValidationError) as refused:
        create_product(clinic=clinic, by=clinician, supplier=other_supplier, name="Stolen")

    assert refused.value.message_dict == {"supplier": ["Choose one of your clinic's suppliers."]}
    assert not ExosomeProduct.objects.filter(name="Stolen").exists()


def test_an_update_cannot_move_a_product_to_another_clinics_supplier(
    plant_product, clinician, other_supplier
):
    with pytest.raises(ValidationError):
        update_product(product=plant_product, by=clinician, supplier=other_supplier)

    plant_product.refresh_from_db()
    assert plant_product.supplier.clinic_id == plant_product.clinic_id


def test_changing_only_the_routes_is_saved_and_audited(plant_product, clinician):
    entries = plant_product.history.count()

    update_product(
        product=plant_product, by=clinician, intended_routes=[route("topical-compromised-skin")]
    )

    assert list(plant_product.intended_routes.values_list("slug", flat=True)) == [
        "topical-compromised-skin"
    ]
    assert plant_product.history.count() == entries + 1
    entry = plant_product.history.first()
    assert (entry.history_user, entry.history_change_reason) == (
        clinician,
        "Product updated: intended_routes",
    )


def test_routes_not_given_are_kept(plant_product, clinician):
    routes = set(plant_product.intended_routes.values_list("pk", flat=True))

    update_product(product=plant_product, by=clinician, brand="New brand")

    assert set(plant_product.intended_routes.values_list("pk", flat=True)) == routes


def test_someone_outside_the_clinic_is_refused(clinic, supplier, plant_product, other_clinician):
    with pytest.raises(NotAllowed):
        create_product(clinic=clinic, by=other_clinician, supplier=supplier, name="Sneaky")
    with pytest.raises(NotAllowed):
        update_product(product=plant_product, by=other_clinician, name="Renamed")

    plant_product.refresh_from_db()
    assert plant_product.name != "Renamed"


def test_a_duplicate_name_for_the_supplier_is_refused(plant_product, clinician):
    with pytest.raises(ValidationError, match="already has a product with this name"):
        create_product(
            clinic=plant_product.clinic,
            by=clinician,
            supplier=plant_product.supplier,
            name=plant_product.name,
        )


def test_the_form_offers_exactly_the_fields_the_service_takes():
    assert set(ExosomeProductForm._meta.fields) == {*EDITABLE_FIELDS, "intended_routes"}


def test_a_refusal_from_the_service_is_shown_on_the_form_with_the_input_kept(
    clinician_client, supplier, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError("The supplier was removed while you were typing.")

    monkeypatch.setattr("products.views.create_product", refuse)

    response = clinician_client.post(
        reverse("products:create"),
        {"supplier": supplier.pk, "name": "Aloe Mist", "form": "serum", "marketed_as": "cosmetic"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The supplier was removed while you were typing." in page
    assert 'value="Aloe Mist"' in page
