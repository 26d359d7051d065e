"""Two clinics: each sees only its own data; the other's URLs are 404s."""

import pytest
from django.urls import reverse

from assessments.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_assessment(other_clinic, other_clinician, other_product):
    return Assessment.objects.create(
        clinic=other_clinic, product=other_product, created_by=other_clinician
    )


@pytest.mark.parametrize(
    "url_name, fixture",
    [
        ("suppliers:detail", "other_supplier"),
        ("suppliers:edit", "other_supplier"),
        ("products:detail", "other_product"),
        ("products:edit", "other_product"),
        ("assessments:detail", "other_assessment"),
    ],
)
def test_other_clinics_objects_are_not_found(clinician_client, request, url_name, fixture):
    obj = request.getfixturevalue(fixture)
    response = clinician_client.get(reverse(url_name, args=[obj.pk]))
    assert response.status_code == 404
    assert "belongs to another clinic" in response.content.decode()


def test_lists_and_dashboard_never_show_another_clinics_rows(
    clinician_client, supplier, plant_product, other_supplier, other_product, other_assessment
):
    for url in [
        "/",
        reverse("suppliers:list"),
        reverse("products:list"),
        reverse("assessments:list"),
    ]:
        body = clinician_client.get(url).content.decode()
        assert "Sentinel" not in body, url
    assert "Verdant Botanics" in clinician_client.get(reverse("suppliers:list")).content.decode()


def test_search_does_not_cross_clinics(clinician_client, other_supplier, other_product):
    body = clinician_client.get(reverse("suppliers:list"), {"q": "Sentinel"}).content.decode()
    assert "Sentinel Other Supplier" not in body
    assert "No supplier matches" in body


def test_product_form_offers_only_own_suppliers(clinician_client, supplier, other_supplier):
    body = clinician_client.get(reverse("products:create")).content.decode()
    assert "Verdant Botanics" in body
    assert "Sentinel" not in body


def test_posting_another_clinics_supplier_id_is_refused(clinician_client, other_supplier):
    response = clinician_client.post(
        reverse("products:create"),
        {
            "supplier": other_supplier.pk,
            "name": "Sneaky",
            "form": "serum",
            "marketed_as": "unknown",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_posting_a_clinic_field_is_ignored(clinician_client, clinic, other_clinic):
    clinician_client.post(
        reverse("suppliers:create"),
        {"legal_name": "Mass Assign Ltd", "country": "France", "clinic": other_clinic.pk},
    )
    from suppliers.models import Supplier

    assert Supplier.objects.get(legal_name="Mass Assign Ltd").clinic == clinic
