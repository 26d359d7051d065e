"""CSRF on every state change, and no state change by GET (ASVS 3.5.1, 3.5.3)."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, EvidenceItem
from clinics.models import Membership
from suppliers.models import Supplier
from tests.factories import log_in

pytestmark = pytest.mark.django_db


def strict_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        log_in(client, user)
    return client


def test_supplier_form_post_without_token_is_refused(clinician):
    response = strict_client(clinician).post(
        reverse("suppliers:create"), {"legal_name": "No Token Ltd"}
    )
    assert response.status_code == 403
    assert not Supplier.objects.filter(legal_name="No Token Ltd").exists()


def test_member_removal_without_token_is_refused(clinic_admin, clinician):
    membership = clinician.memberships.get()
    response = strict_client(clinic_admin).post(reverse("members:remove", args=[membership.pk]))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_login_and_logout_without_token_are_refused(clinician):
    assert strict_client().post(reverse("login"), {"username": "x"}).status_code == 403
    client = strict_client(clinician)
    assert client.post(reverse("logout")).status_code == 403
    assert client.get("/").status_code == 200  # still logged in


def test_form_with_its_token_goes_through(clinician):
    client = strict_client(clinician)
    page = client.get(reverse("suppliers:create"))
    token = page.context["csrf_token"]
    response = client.post(
        reverse("suppliers:create"),
        {"legal_name": "With Token Ltd", "country": "United Kingdom", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Supplier.objects.filter(legal_name="With Token Ltd").exists()


@pytest.fixture
def targets(clinician, plant_product, evidence_types):
    draft = Assessment.objects.create(
        clinic=plant_product.clinic, product=plant_product, created_by=clinician
    )
    item = EvidenceItem.objects.create(
        clinic=draft.clinic,
        assessment=draft,
        evidence_type=evidence_types["certificate-of-analysis"],
        provided=False,
        uploaded_by=clinician,
    )
    return {"membership": clinician.memberships.get().pk, "assessment": draft.pk, "item": item.pk}


# URLs that change state and accept POST only. Add new ones here.
POST_ONLY = [
    ("logout", lambda t: []),
    ("members:remove", lambda t: [t["membership"]]),
    ("members:revoke_invitation", lambda t: [1]),
    ("assessments:preview", lambda t: [t["assessment"], 1]),
    ("assessments:evidence_withdraw", lambda t: [t["assessment"], t["item"]]),
    ("assessments:return", lambda t: [t["assessment"]]),
    ("assessments:sign_off", lambda t: [t["assessment"]]),
    ("assessments:evidence_check", lambda t: [t["assessment"], t["item"]]),
    ("assessments:evidence_clear_check", lambda t: [t["assessment"], t["item"]]),
    ("assessments:new_version", lambda t: [t["assessment"]]),
    ("exports:reports_zip", lambda t: []),
]


@pytest.mark.parametrize("name, args", POST_ONLY, ids=[name for name, _ in POST_ONLY])
def test_state_changing_urls_refuse_get(manager_client, targets, name, args):
    # A practice manager may POST to each of these, so a refusal here is about the method.
    response = manager_client.get(reverse(name, args=args(targets)))
    assert response.status_code == 405


def test_a_clinician_posting_straight_to_sign_off_is_refused(clinician_client, targets):
    url = reverse("assessments:sign_off", args=[targets["assessment"]])
    assert clinician_client.post(url, {"password": "x", "meaning": "approved"}).status_code == 403
