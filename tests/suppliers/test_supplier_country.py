"""A supplier's country: asked from the ISO 3166 list, never assumed, shown where suppliers are."""

import re
from html import unescape

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from assessments.forms.start import new_start_token
from suppliers.countries import country_names
from suppliers.forms import SupplierForm
from suppliers.models import Supplier

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's words, tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html(response)).split())


def supplier_form(**overrides) -> dict:
    return {"legal_name": "Aloe Labs Ltd", "country": "France", **overrides}


# --- The form asks for it -------------------------------------------------------------------


def test_a_new_supplier_needs_a_country(clinician_client):
    response = clinician_client.post(reverse("suppliers:create"), {"legal_name": "Aloe Labs Ltd"})

    assert response.status_code == 200
    assert "Choose the country the supplier is registered in." in html(response)
    assert 'value="Aloe Labs Ltd"' in html(response)  # what was typed is kept
    assert not Supplier.objects.exists()


def test_the_country_chosen_is_stored_and_shown_on_the_page_and_the_list(clinician_client):
    response = clinician_client.post(reverse("suppliers:create"), supplier_form(), follow=True)

    supplier = Supplier.objects.get()
    assert supplier.country == "France"
    assert "Country France" in text(response)
    listing = text(clinician_client.get(reverse("suppliers:list")))
    assert "Aloe Labs Ltd" in listing and "France" in listing


def test_a_country_outside_the_list_is_refused(clinician_client):
    response = clinician_client.post(reverse("suppliers:create"), supplier_form(country="Atlantis"))

    assert response.status_code == 200
    assert "Select a valid choice" in html(response)
    assert not Supplier.objects.exists()


def test_the_form_offers_the_iso_3166_countries_and_no_preselected_one(clinician_client):
    body = html(clinician_client.get(reverse("suppliers:create")))
    select = re.search(r'<select name="country".*?</select>', body, re.S).group(0)
    options = [unescape(value) for value in re.findall(r'<option value="([^"]*)"', select)]

    # "Choose a country" is the only option selected: no country is chosen for the user.
    assert options[0] == ""
    assert re.findall(r'<option value="([^"]*)" selected', select) == [""]
    assert len(options) - 1 == len(country_names()) == 249  # ISO 3166-1 has 249 countries
    for name in ("United Kingdom", "South Korea", "Norway", "United States of America"):
        assert name in options
    assert options[1:] == list(country_names())


def test_nauru_is_offered_by_its_english_name(clinician_client):
    """django-countries 9 names Nauru by its Nauruan name, "Naoero", in English too."""
    assert "Nauru" in country_names() and "Naoero" not in country_names()
    page = html(clinician_client.get(reverse("suppliers:create")))
    assert '<option value="Nauru">Nauru</option>' in page and "Naoero" not in page

    clinician_client.post(reverse("suppliers:create"), supplier_form(country="Nauru"))
    assert Supplier.objects.get().country == "Nauru"


# --- Existing suppliers keep their value --------------------------------------------------------


def test_a_model_supplier_has_no_default_country(clinic):
    assert Supplier(clinic=clinic, legal_name="X Ltd").country == ""


def test_editing_keeps_a_country_recorded_before_the_list(clinician_client, clinic):
    supplier = Supplier.objects.create(clinic=clinic, legal_name="Old Ltd", country="UK")
    form = SupplierForm(instance=supplier, clinic=clinic)
    assert ("UK", "UK (as recorded before)") in form.fields["country"].choices

    response = clinician_client.post(
        reverse("suppliers:edit", args=[supplier.pk]),
        supplier_form(legal_name="Old Ltd", country="UK", trading_name="Old"),
    )

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.country, supplier.trading_name) == ("UK", "Old")


def test_a_country_recorded_before_is_offered_only_to_its_own_supplier(clinician_client, clinic):
    Supplier.objects.create(clinic=clinic, legal_name="Old Ltd", country="UK")

    response = clinician_client.post(reverse("suppliers:create"), supplier_form(country="UK"))

    assert "Select a valid choice" in html(response)


# Migrating runs schema changes: outside the transaction a test is normally wrapped in.
@pytest.mark.django_db(transaction=True)
def test_the_migration_leaves_stored_countries_alone(clinic):
    executor = MigrationExecutor(connection)
    before = ("suppliers", "0001_initial")
    after = ("suppliers", "0002_supplier_country_not_assumed")
    try:
        executor.migrate([before])
        old_state = executor.loader.project_state([before]).apps
        OldSupplier = old_state.get_model("suppliers", "Supplier")
        OldSupplier.objects.create(clinic_id=clinic.pk, legal_name="Kept Ltd", country="Norway")
        OldSupplier.objects.create(clinic_id=clinic.pk, legal_name="Default Ltd")

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([after])
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )

    stored = dict(Supplier.objects.values_list("legal_name", "country"))
    assert stored == {"Kept Ltd": "Norway", "Default Ltd": "United Kingdom"}


# --- A supplier named on the assessment start page ----------------------------------------------


def test_a_supplier_created_on_the_start_page_has_no_country_and_says_so(
    clinician_client, clinician
):
    clinician_client.post(
        reverse("assessments:start"),
        {
            "token": new_start_token(clinician),
            "new_product_name": "Rose Vesicle Mist",
            "new_supplier_name": "Rosa Labs Ltd",
        },
    )
    supplier = Supplier.objects.get(legal_name="Rosa Labs Ltd")

    assert supplier.country == ""
    page = clinician_client.get(supplier.get_absolute_url())
    assert "Country not recorded — add it" in text(page)
    assert f'href="{reverse("suppliers:edit", args=[supplier.pk])}#id_country"' in html(page)
    listing = text(clinician_client.get(reverse("suppliers:list")))
    assert "Rosa Labs Ltd" in listing and "Not recorded" in listing


def test_a_recorded_country_is_shown_on_the_product_page(clinician_client, plant_product):
    plant_product.supplier.country = "Norway"
    plant_product.supplier.save()

    assert "Norway" in text(clinician_client.get(plant_product.get_absolute_url()))
