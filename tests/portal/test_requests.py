"""Sending a request: from an assessment or from a supplier for several products, for as long
as the clinic chooses, linked from SITE_URL, and never for nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from portal.models import PortalSettings, SupplierRequest
from tests.factories import AssessmentFactory, EvidenceItemFactory, evaluated
from tests.portal.support import draft, request_from_assessment

pytestmark = pytest.mark.django_db


def test_the_assessment_page_offers_the_request(clinician_client, plant_product, clinician):
    assessment = draft(plant_product, clinician)

    body = clinician_client.get(assessment.get_absolute_url()).content.decode()

    assert reverse("portal:new_for_assessment", args=[assessment.pk]) in body
    page = clinician_client.get(reverse("portal:new_for_assessment", args=[assessment.pk]))
    assert "Where are these exosomes derived from?" in page.content.decode()


def test_one_request_asks_about_several_products_of_a_supplier(
    clinician_client,
    plant_product,
    human_product,
    clinician,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    first, second = draft(plant_product, clinician), draft(human_product, clinician)
    url = reverse("portal:new_for_supplier", args=[plant_product.supplier_id])
    assert (
        "Request from supplier"
        in clinician_client.get(plant_product.supplier.get_absolute_url()).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            url,
            {
                "assessments": [first.pk, second.pk],
                "email": "sales@verdant.example",
                "valid_days": "14",
            },
        )

    assert response.status_code == 302
    supplier_request = SupplierRequest.objects.get()
    assert set(supplier_request.assessments.all()) == {first, second}
    body = mailoutbox[-1].body
    assert plant_product.name in body and human_product.name in body


def test_nothing_outstanding_is_refused_and_the_form_kept(
    clinician_client, plant_product, clinician, evidence_types
):
    assessment = AssessmentFactory(product=plant_product, created_by=clinician)
    for slug in (
        "certificate-of-analysis",
        "gmp-certificate",
        "origin-declaration",
        "ev-characterisation",
        "ev-markers",
        "stability",
        "cpsr",
        "scpn-notification",
        "microbial-limits",
        "preservative-efficacy",
    ):
        EvidenceItemFactory(assessment=assessment, slug=slug, lot=assessment.batch_lot)
    evaluated(assessment)

    response = clinician_client.post(
        reverse("portal:new_for_assessment", args=[assessment.pk]),
        {"email": "kept@verdant.example", "valid_days": "14", "reason": "Kept reason"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing is outstanding" in body
    assert "kept@verdant.example" in body and "Kept reason" in body
    assert not SupplierRequest.objects.exists()


def test_a_submitted_assessment_cannot_be_asked_about(clinician_client, plant_product, clinician):
    assessment = evaluated(
        AssessmentFactory(product=plant_product, created_by=clinician, submitted=True)
    )

    response = clinician_client.post(
        reverse("portal:new_for_assessment", args=[assessment.pk]),
        {"email": "a@b.example", "valid_days": "14"},
    )

    assert "no longer a draft" in response.content.decode()
    assert not SupplierRequest.objects.exists()


def test_link_validity_is_the_clinic_s_choice(
    clinic,
    clinic_admin_client,
    clinician_client,
    plant_product,
    clinician,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    response = clinic_admin_client.post(reverse("portal:settings"), {"link_valid_days": "30"})
    assert response.status_code == 302
    assert PortalSettings.objects.get(clinic=clinic).link_valid_days == 30
    assessment = draft(plant_product, clinician)
    page = clinician_client.get(reverse("portal:new_for_assessment", args=[assessment.pk]))
    assert 'value="30"' in page.content.decode()

    supplier_request, _ = request_from_assessment(
        clinician_client,
        assessment,
        mailoutbox,
        django_capture_on_commit_callbacks,
        valid_days="30",
    )

    lifetime = supplier_request.expires_at - supplier_request.created_at
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    too_long = clinic_admin_client.post(reverse("portal:settings"), {"link_valid_days": "61"})
    assert too_long.status_code == 200


def test_the_emailed_link_starts_with_site_url_whatever_the_host_header(
    settings,
    clinician_client,
    plant_product,
    clinician,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://exocheck.example"
    settings.ALLOWED_HOSTS = ["*"]
    assessment = draft(plant_product, clinician)

    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(
            reverse("portal:new_for_assessment", args=[assessment.pk]),
            {"email": "a@b.example", "valid_days": "14"},
            HTTP_HOST="evil.example",
        )

    body = mailoutbox[-1].body
    assert "https://exocheck.example/supplier/" in body and "evil.example" not in body


def test_the_clinic_lists_its_requests_only(
    clinician_client,
    other_clinician_client,
    plant_product,
    clinician,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    assessment = draft(plant_product, clinician)
    supplier_request, _ = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )

    assert (
        supplier_request.reference
        in clinician_client.get(reverse("portal:requests")).content.decode()
    )
    assert (
        supplier_request.reference
        not in other_clinician_client.get(reverse("portal:requests")).content.decode()
    )


def test_the_services_refuse_someone_outside_the_clinic(
    clinic, plant_product, clinician, other_clinician
):
    from clinics.errors import NotAllowed
    from portal.services.requests import save_settings, send_request

    assessment = draft(plant_product, clinician)
    with pytest.raises(NotAllowed):
        send_request(
            clinic=clinic,
            by=other_clinician,
            supplier=plant_product.supplier,
            assessments=[assessment],
            email="a@b.example",
            link_for=str,
        )
    with pytest.raises(NotAllowed):
        save_settings(clinic=clinic, by=clinician, link_valid_days=30)  # admins only
    assert not SupplierRequest.objects.exists()
