"""Starting an assessment: from where, pre-filled how, and safe against double submits."""

import pytest
from django.urls import reverse

from assessments.forms.start import new_start_token
from assessments.models import Assessment
from products.models import ExosomeProduct
from suppliers.models import Supplier
from tests.wizard_support import (
    start,
    start_url,
    step_url,
)

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# --- Starting -------------------------------------------------------------------------


def test_dashboard_new_assessment_goes_to_the_start_page(clinician_client):
    response = clinician_client.get(reverse("dashboard"))

    assert start_url() in html(response)


def test_product_and_supplier_pages_offer_a_new_assessment(clinician_client, plant_product):
    product_page = clinician_client.get(plant_product.get_absolute_url())
    supplier_page = clinician_client.get(plant_product.supplier.get_absolute_url())

    assert f"{start_url()}?product={plant_product.pk}" in html(product_page)
    assert f"{start_url()}?supplier={plant_product.supplier.pk}" in html(supplier_page)


def test_start_page_preselects_the_product_it_was_opened_from(clinician_client, plant_product):
    response = clinician_client.get(start_url(), {"product": plant_product.pk})

    assert f'<option value="{plant_product.pk}" selected>' in html(response)


def test_starting_prefills_step_one_from_the_product(clinician_client, clinician, plant_product):
    assessment = start(clinician_client, clinician, plant_product)

    assert assessment.is_draft
    assert assessment.current_step == 1
    assert assessment.created_by == clinician
    assert assessment.jurisdiction == "UK"
    assert assessment.marketed_as == "cosmetic"
    assert assessment.inci == plant_product.inci
    assert assessment.claims == plant_product.claims
    assert assessment.route.slug == "topical-intact-skin"
    assert assessment.source_category.slug == "plant"
    assert assessment.cell_status.slug == "cell-free"
    assert assessment.verdict  # evaluated as soon as it exists


def test_starting_redirects_to_step_one(clinician_client, clinician, plant_product):
    response = clinician_client.post(
        start_url(), {"token": new_start_token(clinician), "product": plant_product.pk}
    )

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(assessment, 1)


def test_a_double_submitted_start_form_creates_one_assessment(
    clinician_client, clinician, plant_product
):
    data = {"token": new_start_token(clinician), "product": plant_product.pk}

    first = clinician_client.post(start_url(), data)
    second = clinician_client.post(start_url(), data)

    assert Assessment.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_a_double_submitted_inline_product_creates_one_of_everything(clinician_client, clinician):
    data = {
        "token": new_start_token(clinician),
        "new_product_name": "Rose Vesicle Mist",
        "new_supplier_name": "Rosa Labs Ltd",
    }

    clinician_client.post(start_url(), data)
    clinician_client.post(start_url(), data)

    assert Assessment.objects.count() == 1
    assert ExosomeProduct.objects.filter(name="Rose Vesicle Mist").count() == 1
    assert Supplier.objects.filter(legal_name="Rosa Labs Ltd").count() == 1


def test_product_and_supplier_can_be_created_inline(clinician_client, clinician, clinic):
    response = clinician_client.post(
        start_url(),
        {
            "token": new_start_token(clinician),
            "new_product_name": "Rose Vesicle Mist",
            "new_supplier_name": "Rosa Labs Ltd",
        },
    )

    assessment = Assessment.objects.get()
    assert response["Location"] == step_url(assessment, 1)
    assert assessment.product.name == "Rose Vesicle Mist"
    assert assessment.product.supplier.legal_name == "Rosa Labs Ltd"
    assert assessment.product.clinic == clinic
    assert assessment.product.supplier.clinic == clinic
    # Only its name was asked: its form is "not stated", never a guess the PDF would print.
    assert assessment.product.form == "unknown"
    assert assessment.names.product.form_label == ""
    page = clinician_client.get(reverse("products:detail", args=[assessment.product.pk]))
    assert "Topical serum" not in page.content.decode()


def test_a_second_draft_of_a_product_links_to_the_first(clinician_client, clinician, plant_product):
    first = start(clinician_client, clinician, plant_product)

    response = clinician_client.post(
        start_url(), {"token": new_start_token(clinician), "product": plant_product.pk}, follow=True
    )

    page = response.content.decode()
    assert Assessment.objects.count() == 2  # allowed (another lot, say), but flagged
    assert "Another draft of this product is already open" in page
    assert f'href="{step_url(first, first.current_step)}"' in page


def test_a_first_draft_has_no_such_warning(clinician_client, clinician, plant_product):
    response = clinician_client.post(
        start_url(), {"token": new_start_token(clinician), "product": plant_product.pk}, follow=True
    )

    assert "Another draft" not in response.content.decode()


def test_inline_product_for_an_existing_supplier(clinician_client, clinician, supplier):
    clinician_client.post(
        start_url(),
        {
            "token": new_start_token(clinician),
            "new_product_name": "Aloe Booster",
            "supplier": supplier.pk,
        },
    )

    assert Assessment.objects.get().product.supplier == supplier


def test_start_without_a_product_says_what_to_do_and_keeps_the_typed_supplier(
    clinician_client, clinician
):
    response = clinician_client.post(
        start_url(), {"token": new_start_token(clinician), "new_supplier_name": "Typed Ltd"}
    )

    assert response.status_code == 200
    assert "Choose a product, or name a new one below." in html(response)
    assert 'value="Typed Ltd"' in html(response)
    assert not Assessment.objects.exists()


def test_start_refuses_an_existing_supplier_name_typed_as_new(
    clinician_client, clinician, supplier
):
    response = clinician_client.post(
        start_url(),
        {
            "token": new_start_token(clinician),
            "new_product_name": "Another",
            "new_supplier_name": supplier.legal_name.upper(),
        },
    )

    assert "already has a supplier with this name" in html(response)
    assert not Assessment.objects.exists()


def test_start_refuses_a_forged_token(clinician_client, plant_product):
    response = clinician_client.post(start_url(), {"token": "forged", "product": plant_product.pk})

    assert "This form has expired" in html(response)
    assert not Assessment.objects.exists()


def test_start_cannot_use_another_clinics_product(clinician_client, clinician, other_product):
    response = clinician_client.post(
        start_url(), {"token": new_start_token(clinician), "product": other_product.pk}
    )

    assert response.status_code == 200
    assert not Assessment.objects.exists()
