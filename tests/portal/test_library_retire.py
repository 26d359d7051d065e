"""A practice manager retires a document on file: it is no longer offered for reuse, the
records it was used on (a signed one included) keep it, the reason is audited, and another
clinic can neither see nor retire it."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, EvidenceItem
from clinics.errors import NotAllowed
from portal.models import LibraryDocument, SupplierDocument
from portal.services.library import retire_library_document
from tests.factories import log_in
from tests.portal.support import (
    GMP,
    page_url,
    submit_all,
    upload_data,
    upload_url,
)
from tests.wizard_support import pdf_bytes, upload

pytestmark = pytest.mark.django_db
REASON = "Superseded by the 2027 certificate."


@pytest.fixture
def on_file(ask, plant_product):
    """A GMP certificate the supplier sent for the first product: (library document, the
    assessment it is on)."""
    supplier_request, token, item = ask(plant_product)
    supplier = Client()
    data = upload_data(item, GMP, upload("gmp.pdf", pdf_bytes(pages=2)), lot="")
    assert supplier.post(upload_url(token, item, GMP), data).status_code == 302
    assert submit_all(supplier, token, supplier_request).status_code == 302
    return LibraryDocument.objects.get(), item.assessment


def retire_url(document) -> str:
    return reverse("portal:retire_library", args=[document.pk])


def test_a_manager_retires_a_document_after_a_confirmation_with_a_reason(
    on_file, manager_client, manager
):
    document, assessment = on_file
    page = manager_client.get(retire_url(document)).content.decode()
    assert "Retire this document" in page and "Why it is retired" in page
    assert assessment.product.name in page  # where it was used

    refused = manager_client.post(retire_url(document), {"reason": "  "})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    document.refresh_from_db()
    assert not document.is_retired

    done = manager_client.post(retire_url(document), {"reason": REASON}, follow=True)
    body = done.content.decode()
    assert "is retired: it is no longer offered to the supplier" in body
    assert f"by {manager}" in body and REASON in body
    document.refresh_from_db()
    assert document.is_retired and document.withdrawn_by == manager
    latest = document.history.latest()
    assert latest.history_user == manager
    assert latest.history_change_reason == f"Retired: {REASON}"


def test_a_retired_document_is_no_longer_offered_or_reusable(on_file, manager, ask, second_product):
    document, _ = on_file
    retire_library_document(document=document, by=manager, reason=REASON)

    _, token, item = ask(second_product)
    supplier = Client()
    assert "Use this document" not in supplier.get(page_url(token)).content.decode()
    reuse = reverse("portal:supplier_reuse", args=[token, item.pk, document.pk])
    assert "cannot be used here" in supplier.post(reuse).content.decode()
    # The same file uploaded again is stored afresh, not matched to the retired one.
    data = upload_data(item, GMP, upload("gmp.pdf", pdf_bytes(pages=2)), lot="")
    assert supplier.post(upload_url(token, item, GMP), data).status_code == 302
    assert not SupplierDocument.objects.get(item=item).from_library


def test_a_signed_record_that_used_it_is_left_exactly_as_signed(on_file, manager):
    document, assessment = on_file
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.FINALISED,
        submitted_at=timezone.now(),
        finalised_at=timezone.now(),
        signed_by=manager,
    )
    use = SupplierDocument.objects.get(library=document)
    evidence = EvidenceItem.objects.get(pk=use.evidence_item_id)
    before = (evidence.file.name, evidence.sha256, evidence.history.count())

    retire_library_document(document=document, by=manager, reason=REASON)

    evidence.refresh_from_db()
    assert (evidence.file.name, evidence.sha256, evidence.history.count()) == before
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.FINALISED
    use.refresh_from_db()
    assert use.library_id == document.pk  # the request still shows what it used


def test_retiring_twice_keeps_the_first_retirement(on_file, manager):
    document, _ = on_file
    first = retire_library_document(document=document, by=manager, reason=REASON)
    again = retire_library_document(document=document, by=manager, reason="Another reason.")

    assert again.withdrawn_at == first.withdrawn_at and again.withdrawn_reason == REASON
    assert document.history.count() == 2  # added, retired


def test_clinic_b_can_neither_see_nor_retire_clinic_a_s_document(
    on_file, other_manager, other_supplier
):
    document, _ = on_file
    other = log_in(Client(), other_manager)

    assert other.get(retire_url(document)).status_code == 404
    assert other.post(retire_url(document), {"reason": REASON}).status_code == 404
    with pytest.raises(NotAllowed):
        retire_library_document(document=document, by=other_manager, reason=REASON)
    # Clinic B's own library page for its own supplier does not list it either.
    mine = other.get(reverse("portal:library", args=[other_supplier.pk])).content.decode()
    assert document.original_filename not in mine
    document.refresh_from_db()
    assert not document.is_retired


def test_a_clinician_cannot_retire_a_document(on_file, clinician, clinician_client):
    document, _ = on_file
    library = clinician_client.get(reverse("portal:library", args=[document.supplier_id]))
    assert retire_url(document) not in library.content.decode()
    assert clinician_client.post(retire_url(document), {"reason": REASON}).status_code == 403
    with pytest.raises(NotAllowed):
        retire_library_document(document=document, by=clinician, reason=REASON)
