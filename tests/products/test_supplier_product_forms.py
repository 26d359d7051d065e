import pytest
from django.urls import reverse

from products.models import ExosomeProduct, Route, SourceCategory
from suppliers.models import Supplier

pytestmark = pytest.mark.django_db


def test_clinician_adds_a_supplier(clinician_client, clinic):
    response = clinician_client.post(
        reverse("suppliers:create"),
        {
            "legal_name": "Aloe Labs Ltd",
            "country": "United Kingdom",
            "contact_email": "qa@aloe.example",
        },
        follow=True,
    )
    supplier = Supplier.objects.get(legal_name="Aloe Labs Ltd")
    assert supplier.clinic == clinic
    assert "Supplier “Aloe Labs Ltd” added." in response.content.decode()
    assert supplier.history.first().history_user.username == "clinician"


def test_invalid_supplier_form_keeps_what_was_typed(clinician_client):
    response = clinician_client.post(
        reverse("suppliers:create"),
        {
            "legal_name": "Aloe Labs Ltd",
            "contact_email": "not-an-email",
            "notes": "Met at the trade fair",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in body
    assert 'value="Aloe Labs Ltd"' in body
    assert "Met at the trade fair" in body
    assert not Supplier.objects.filter(legal_name="Aloe Labs Ltd").exists()


def test_duplicate_supplier_name_is_refused_with_a_message(clinician_client, supplier):
    response = clinician_client.post(
        reverse("suppliers:create"), {"legal_name": "verdant BOTANICS ltd"}
    )
    assert response.status_code == 200
    assert "Your clinic already has a supplier with this legal name." in response.content.decode()
    assert Supplier.objects.count() == 1


def test_same_supplier_name_is_fine_in_another_clinic(other_clinician_client, supplier):
    response = other_clinician_client.post(
        reverse("suppliers:create"), {"legal_name": "Verdant Botanics Ltd", "country": "Norway"}
    )
    assert response.status_code == 302


def test_edit_supplier(clinician_client, supplier):
    response = clinician_client.post(
        reverse("suppliers:edit", args=[supplier.pk]),
        {"legal_name": "Verdant Botanics Ltd", "trading_name": "Verdant", "country": "France"},
    )
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.trading_name == "Verdant"


def test_supplier_list_paginates_and_searches(clinician_client, clinic):
    Supplier.objects.bulk_create(
        [Supplier(clinic=clinic, legal_name=f"Supplier {n:02d} Ltd") for n in range(25)]
    )
    first = clinician_client.get(reverse("suppliers:list")).content.decode()
    assert "Page 1 of 2" in first
    second = clinician_client.get(reverse("suppliers:list"), {"page": 2}).content.decode()
    assert "Supplier 24 Ltd" in second
    found = clinician_client.get(reverse("suppliers:list"), {"q": "Supplier 07"}).content.decode()
    assert "Supplier 07 Ltd" in found and "Supplier 08 Ltd" not in found


def _product_data(supplier, **overrides):
    data = {
        "supplier": supplier.pk,
        "name": "Aloe Exosome Mist",
        "brand": "Aloe Labs",
        "form": "serum",
        "marketed_as": "cosmetic",
        "intended_routes": [Route.objects.get(slug="topical-intact-skin").pk],
        "source_category": SourceCategory.objects.get(slug="plant").pk,
        "inci": "Aqua, Aloe Barbadensis Leaf Extract",
        "claims": "Soothes",
    }
    data.update(overrides)
    return data


def test_clinician_adds_a_product(clinician_client, supplier):
    response = clinician_client.post(
        reverse("products:create"), _product_data(supplier), follow=True
    )
    product = ExosomeProduct.objects.get(name="Aloe Exosome Mist")
    assert product.clinic == supplier.clinic
    assert list(product.intended_routes.values_list("slug", flat=True)) == ["topical-intact-skin"]
    body = response.content.decode()
    assert "Aloe Barbadensis Leaf Extract" in body
    assert "added" in body


def test_invalid_product_form_keeps_input(clinician_client, supplier):
    response = clinician_client.post(
        reverse("products:create"), _product_data(supplier, name="", inci="Aqua, Centella")
    )
    body = response.content.decode()
    assert "This field is required." in body
    assert "Aqua, Centella" in body


def test_duplicate_product_name_for_a_supplier_is_refused(
    clinician_client, supplier, plant_product
):
    response = clinician_client.post(
        reverse("products:create"), _product_data(supplier, name="green tea exosome serum")
    )
    assert "This supplier already has a product with this name." in response.content.decode()


def test_product_create_preselects_supplier_from_query(clinician_client, supplier):
    body = clinician_client.get(
        reverse("products:create"), {"supplier": supplier.pk}
    ).content.decode()
    assert f'<option value="{supplier.pk}" selected>' in body


def test_product_detail_lists_inci_and_claims(clinician_client, plant_product):
    body = clinician_client.get(plant_product.get_absolute_url()).content.decode()
    assert "Camellia Sinensis Leaf Extract" in body
    assert "Brightens skin" in body
