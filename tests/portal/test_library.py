"""The supplier's document library: documents that are not lot-specific are offered for reuse
on the next request until they expire, and the clinic sees where each was used."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import EvidenceItem
from portal.models import LibraryDocument, SupplierDocument
from products.models import ExosomeProduct
from tests.portal.support import (
    COA,
    GMP,
    page_url,
    submit_all,
    upload_data,
    upload_url,
)
from tests.wizard_support import pdf_bytes, upload

pytestmark = pytest.mark.django_db
ORIGIN = "origin-declaration"


def answered(ask, product, uploads, **facts):
    """A request for `product`, with these documents uploaded and submitted."""
    supplier_request, token, item = ask(product)
    supplier = Client()
    for slug in uploads:
        content = upload(f"{slug}.pdf", pdf_bytes(pages=2 if slug == GMP else 1))
        data = upload_data(
            item, slug, content, lot="" if slug != COA else item.assessment.batch_lot, **facts
        )
        assert supplier.post(upload_url(token, item, slug), data).status_code == 302
    assert submit_all(supplier, token, supplier_request).status_code == 302
    return supplier_request


def reuse_url(token, item, library):
    return reverse("portal:supplier_reuse", args=[token, item.pk, library.pk])


def test_a_gmp_certificate_is_reused_on_a_second_product_without_uploading_it_again(
    ask, plant_product, second_product, clinician_client
):
    first = answered(ask, plant_product, [GMP, COA])
    library = LibraryDocument.objects.get()  # the CoA is lot-specific: never in the library
    assert library.evidence_type.slug == GMP and library.product is None

    supplier_request, token, item = ask(second_product)
    supplier = Client()
    page = supplier.get(page_url(token)).content.decode()
    assert "Already on file with Harley Skin Clinic" in page and "Use this document" in page

    assert supplier.post(reuse_url(token, item, library)).status_code == 302
    reused = SupplierDocument.objects.get(item=item)
    assert reused.from_library and reused.file.name == library.file.name
    assert submit_all(supplier, token, supplier_request).status_code == 302

    reused.refresh_from_db()
    evidence = EvidenceItem.objects.get(pk=reused.evidence_item_id)
    assert evidence.assessment == item.assessment and evidence.sha256 == library.sha256
    assert evidence.issued_on is None  # still to be confirmed on this assessment
    assert LibraryDocument.objects.count() == 1
    shown = clinician_client.get(
        reverse("portal:library", args=[item.assessment.product.supplier_id])
    )
    body = shown.content.decode()
    assert first.reference in body and supplier_request.reference in body
    assert plant_product.name in body and second_product.name in body


def test_uploading_the_same_file_again_reuses_the_library_entry(ask, plant_product, second_product):
    answered(ask, plant_product, [GMP])
    supplier_request, token, item = ask(second_product)

    same = upload("gmp-again.pdf", pdf_bytes(pages=2))
    response = Client().post(upload_url(token, item, GMP), upload_data(item, GMP, same, lot=""))

    assert response.status_code == 302
    assert SupplierDocument.objects.get(item=item).from_library
    assert LibraryDocument.objects.count() == 1


def test_an_expired_document_is_no_longer_offered(ask, plant_product, second_product):
    answered(ask, plant_product, [GMP])
    library = LibraryDocument.objects.get()
    LibraryDocument.objects.update(expires_on=date.today() - timedelta(days=1))
    supplier_request, token, item = ask(second_product)
    supplier = Client()

    assert "Use this document" not in supplier.get(page_url(token)).content.decode()
    refused = supplier.post(reuse_url(token, item, library))
    assert "cannot be used here" in refused.content.decode()
    assert not SupplierDocument.objects.filter(item=item).exists()


def test_a_product_s_own_document_is_offered_for_that_product_only(
    ask, plant_product, second_product
):
    answered(ask, plant_product, [ORIGIN])
    library = LibraryDocument.objects.get()
    assert library.product == plant_product

    _, token, _ = ask(second_product)
    assert "Use this document" not in Client().get(page_url(token)).content.decode()
    _, token, item = ask(plant_product)  # the next assessment of the same product
    assert "Use this document" in Client().get(page_url(token)).content.decode()


def test_confirming_a_library_document_records_the_clinic_s_reading_for_reuse(
    ask, plant_product, clinician_client
):
    answered(ask, plant_product, [GMP])
    document = SupplierDocument.objects.get()
    clinician_client.get(reverse("portal:open_file", args=[document.pk]))
    prefix = f"c{document.pk}"
    clinician_client.post(
        reverse("portal:confirm", args=[document.pk]),
        {f"{prefix}-issued_on": "2026-02-01", f"{prefix}-expires_on": "2029-02-01"},
    )

    library = LibraryDocument.objects.get()
    assert str(library.expires_on) == "2029-02-01"
    assert library.confirmed_by.username == "clinician"


def test_another_supplier_s_or_clinic_s_library_is_never_offered(
    ask, plant_product, other_clinic, other_product, clinic
):
    answered(ask, plant_product, [GMP])
    library = LibraryDocument.objects.get()
    from suppliers.models import Supplier

    other_supplier = Supplier.objects.create(clinic=clinic, legal_name="Another Supplier Ltd")
    product = ExosomeProduct.objects.create(
        clinic=clinic, supplier=other_supplier, name="Other Supplier's Serum"
    )
    supplier_request, token, item = ask(product)

    assert "Use this document" not in Client().get(page_url(token)).content.decode()
    assert "cannot be used here" in Client().post(reuse_url(token, item, library)).content.decode()
