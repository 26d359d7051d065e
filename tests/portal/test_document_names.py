"""A document is named as the clinic's jurisdiction names it on every portal page (the one
catalogue, assessments/rules): a UK clinic's supplier sends an "SCPN notification", never the
neutral name the reference table keeps for the admin."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import LibraryDocument, SupplierDocument
from tests.portal.support import page_url, submit_all, upload_data, upload_url
from tests.wizard_support import pdf_bytes, upload

pytestmark = pytest.mark.django_db
SCPN = "scpn-notification"
UK_NAME = "SCPN notification"
NEUTRAL_NAME = "Cosmetic product notification"


@pytest.fixture
def confirmed_scpn(ask, plant_product, clinician_client):
    """A UK clinic's request: the supplier uploads the SCPN notification and submits, a
    clinician opens the file and confirms what it says. (request, token, item)"""
    supplier_request, token, item = ask(plant_product)
    supplier = Client()
    data = upload_data(item, SCPN, upload("scpn.pdf", pdf_bytes()), lot="")
    assert supplier.post(upload_url(token, item, SCPN), data).status_code == 302
    assert submit_all(supplier, token, supplier_request).status_code == 302
    document = SupplierDocument.objects.get()
    clinician_client.get(reverse("portal:open_file", args=[document.pk]))
    confirmed = clinician_client.post(
        reverse("portal:confirm", args=[document.pk]),
        {f"c{document.pk}-issued_on": "2026-02-01"},
    )
    assert confirmed.status_code == 302
    return supplier_request, token, item


def shown(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_uk_clinic_never_sees_the_neutral_name_on_the_portal_pages(
    confirmed_scpn, clinician_client, manager_client, plant_product
):
    supplier_request, _, item = confirmed_scpn
    library = LibraryDocument.objects.get()
    pages = {
        "library": clinician_client.get(
            reverse("portal:library", args=[plant_product.supplier_id])
        ),
        "retire": manager_client.get(reverse("portal:retire_library", args=[library.pk])),
        "request": clinician_client.get(reverse("portal:request", args=[supplier_request.pk])),
        "assessment": clinician_client.get(item.assessment.get_absolute_url()),
    }
    for where, response in pages.items():
        text = shown(response)
        assert UK_NAME in text, where
        assert NEUTRAL_NAME not in text, where


def test_the_request_history_names_the_document_in_the_clinic_s_words(confirmed_scpn):
    supplier_request, _, _ = confirmed_scpn
    details = [event.detail for event in supplier_request.events.all() if event.detail]
    naming = [detail for detail in details if "notification" in detail]
    # Uploaded, put on the assessment, file opened, facts confirmed.
    assert len(naming) == 4, details
    assert all(detail.startswith(UK_NAME) for detail in naming), naming


def test_retiring_says_the_clinic_s_name_for_the_document(confirmed_scpn, manager_client):
    library = LibraryDocument.objects.get()
    retired = manager_client.post(
        reverse("portal:retire_library", args=[library.pk]),
        {"reason": "Superseded."},
        follow=True,
    )
    assert f"{UK_NAME} (scpn.pdf) is retired" in shown(retired)
    assert NEUTRAL_NAME not in shown(retired)


def test_reusing_and_removing_a_document_on_file_use_the_clinic_s_name(
    confirmed_scpn, ask, plant_product
):
    library = LibraryDocument.objects.get()
    supplier_request, token, item = ask(plant_product)  # the product's next assessment
    supplier = Client()
    reuse = reverse("portal:supplier_reuse", args=[token, item.pk, library.pk])
    reused = shown(supplier.post(reuse, follow=True))
    assert f"{UK_NAME} added from your documents on file." in reused
    document = SupplierDocument.objects.get(item=item)
    supplier.post(reverse("portal:supplier_remove", args=[token, document.pk]))

    details = [event.detail for event in supplier_request.events.all() if event.detail]
    assert any(detail.startswith(f"{UK_NAME} for ") for detail in details), details
    assert f"{UK_NAME}: scpn.pdf" in details
    assert not any(NEUTRAL_NAME in detail for detail in details)
    assert NEUTRAL_NAME not in shown(supplier.get(page_url(token)))
