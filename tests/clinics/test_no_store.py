"""Pages for signed-in users are sent with Cache-Control: no-store (ASVS 14.3.2).

Before, only report and evidence downloads said no-store: every other page of clinic
records could be kept in a shared workstation's browser cache and shown again with Back
after log-out.
"""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from config.urls import urlpatterns as project_urlpatterns
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def own_cache_policy(request):
    response = HttpResponse("cacheable on purpose")
    response["Cache-Control"] = "private, max-age=60"
    return response


urlpatterns = [path("own-cache-policy/", own_cache_policy), *project_urlpatterns]


def test_signed_in_pages_are_not_stored(
    clinician_client, clinic_admin_client, supplier, plant_product
):
    responses = [
        clinician_client.get("/"),
        clinician_client.get(reverse("suppliers:list")),
        clinician_client.get(supplier.get_absolute_url()),
        clinician_client.get(plant_product.get_absolute_url()),
        clinician_client.get(reverse("password_change")),
        clinic_admin_client.get(reverse("members:list")),
        clinician_client.get("/no-such-page/"),  # error pages too
        clinician_client.get(reverse("members:list")),  # 403
    ]
    for response in responses:
        assert response["Cache-Control"] == "no-store", response.request["PATH_INFO"]


def test_a_redirect_after_a_post_is_not_stored(clinician_client):
    response = clinician_client.post(reverse("suppliers:create"), {"legal_name": "Acme Ltd"})
    assert response.status_code in {200, 302}
    assert response["Cache-Control"] == "no-store"


def test_the_response_to_log_in_is_not_stored(clinician):
    response = Client().post(reverse("login"), {"username": "clinician", "password": PASSWORD})
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_pages_for_anonymous_visitors_are_left_alone(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Cache-Control" not in response


@pytest.mark.urls(__name__)
def test_a_view_that_sets_its_own_cache_control_keeps_it(clinician_client):
    response = clinician_client.get("/own-cache-policy/")
    assert response["Cache-Control"] == "private, max-age=60"


def test_static_files_stay_cacheable(settings, clinician):
    # WhiteNoise serves from the finders here (no collectstatic in tests); it reads these
    # settings when the client's handler is built.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(clinician)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
