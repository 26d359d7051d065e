import pytest
from django.test import Client
from django.urls import reverse

from clinics.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

APP_URLS = [
    "/",
    "/suppliers/",
    "/suppliers/new/",
    "/products/",
    "/products/new/",
    "/assessments/",
    "/accounts/password/change/",
]


@pytest.mark.parametrize("url", APP_URLS)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_uses_the_apps_own_style_and_local_assets(client):
    body = client.get(reverse("login")).content.decode()
    assert "Log in to ExoCheck" in body
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body
    assert "cdn" not in body.lower()
    assert 'for="id_username"' in body and 'for="id_password"' in body


def test_demo_style_login_lands_on_dashboard(clinician):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "clinician", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Harley Skin Clinic" in response.content.decode()


def test_wrong_password_and_unknown_user_get_the_same_message(clinician):
    client = Client()
    wrong = client.post(reverse("login"), {"username": "clinician", "password": "nope"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "nope"})
    message = "That username and password do not match an active account."
    assert message in wrong.content.decode() and message in unknown.content.decode()


def test_logout_is_a_post_and_ends_the_session(clinician_client):
    response = clinician_client.post(reverse("logout"))
    assert response.status_code == 302
    assert clinician_client.get("/").status_code == 302


def test_logging_out_says_so_on_the_log_in_page(clinician_client):
    response = clinician_client.post(reverse("logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have signed out." in response.content.decode()
    # Said once: the next page no longer shows it.
    assert "You have signed out." not in clinician_client.get(reverse("login")).content.decode()


def test_user_without_clinic_gets_403(db):
    user = User.objects.create_user(username="loner", password=PASSWORD)
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_dashboard_shows_empty_states(clinician_client):
    body = clinician_client.get("/").content.decode()
    assert "No suppliers yet." in body
    assert "No products yet." in body
    assert "No drafts." in body


def test_password_change_page_renders(clinician_client):
    response = clinician_client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "Change password" in response.content.decode()


def test_unknown_url_gets_the_apps_404_page(clinician_client):
    response = clinician_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


ADMIN_MODELS = [
    "clinics/clinic",
    "clinics/membership",
    "clinics/user",
    "clinics/invitation",
    "suppliers/supplier",
    "products/sourcecategory",
    "products/cellstatus",
    "products/route",
    "products/evidencetype",
    "products/exosomeproduct",
    "assessments/assessment",
    "assessments/evidenceitem",
]


REFERENCE_MODELS = {
    "products/sourcecategory",
    "products/cellstatus",
    "products/route",
    "products/evidencetype",
}

# Shown read-only: only the services add them (assessments/admin.py).
VIEW_ONLY_MODELS = {"assessments/assessment", "assessments/evidenceitem"}


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_changelist_and_add_pages_load(staff_client, model, plant_product):
    assert staff_client.get(f"/admin/{model}/").status_code == 200
    # The reference vocabulary is the rules' own: staff reword rows, never add them.
    expected_add = 403 if model in REFERENCE_MODELS | VIEW_ONLY_MODELS else 200
    assert staff_client.get(f"/admin/{model}/add/").status_code == expected_add


@pytest.mark.parametrize("model", sorted(REFERENCE_MODELS))
def test_reference_rows_cannot_be_deleted_in_the_admin(staff_client, model):
    app_label, model_name = model.split("/")
    from django.apps import apps

    row = apps.get_model(app_label, model_name).objects.first()
    response = staff_client.get(f"/admin/{model}/{row.pk}/delete/")
    assert response.status_code == 403


def test_admin_reference_slug_is_read_only_once_created(staff_client):
    from products.models import SourceCategory

    plant = SourceCategory.objects.get(slug="plant")
    body = staff_client.get(f"/admin/products/sourcecategory/{plant.pk}/change/").content.decode()
    assert 'name="slug"' not in body


def test_clinic_users_cannot_open_admin(clinician_client):
    response = clinician_client.get("/admin/")
    assert response.status_code == 302
