"""The declaration the supplier signs: what is recorded is word for word what was ticked, and
the clinic is told who signed it in their own spelling."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from portal.models import RequestEvent, SupplierDocument
from tests.portal.support import GMP, page_url, submit_all, upload_data, upload_url

pytestmark = pytest.mark.django_db
CONFIRM_LABEL = re.compile(r'<label[^>]*for="id_confirm"[^>]*>(.*?)</label>', re.S)


def ticked_text(page: str) -> str:
    """The declaration as the supplier reads it beside the checkbox."""
    found = CONFIRM_LABEL.search(page)
    assert found, page[:3000]
    without_tags = re.sub(r"<[^>]+>", "", found.group(1))
    return " ".join(html.unescape(without_tags).split()).rstrip("*").strip()


def test_the_declaration_recorded_is_the_one_ticked_word_for_word(
    ask, plant_product, clinician_client
):
    supplier_request, token, _ = ask(plant_product)
    supplier = Client()
    ticked = ticked_text(supplier.get(page_url(token)).content.decode())
    assert ticked.startswith("I confirm these answers are accurate")

    assert submit_all(supplier, token, supplier_request).status_code == 302

    supplier_request.refresh_from_db()
    assert supplier_request.declaration == ticked
    submitted = supplier_request.events.get(kind=RequestEvent.Kind.SUBMITTED)
    assert submitted.detail.endswith(f": {ticked}")
    page = clinician_client.get(reverse("portal:request", args=[supplier_request.pk]))
    assert f"“{ticked}”" in html.unescape(page.content.decode())


def test_the_answered_notice_keeps_the_case_of_names_and_month(
    ask, plant_product, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    supplier_request, token, _ = ask(plant_product)
    submit_all(
        Client(),
        token,
        supplier_request,
        django_capture_on_commit_callbacks,
        name="Dana McSupplier",
        company="Verdant BioLabs GmbH",
    )

    note = Notification.objects.get(recipient=clinician)
    expected = re.compile(r"^Supplied by Dana McSupplier, Verdant BioLabs GmbH, \d+ [A-Z][a-z]{2} ")
    assert expected.match(note.body), note.body
    email = mailoutbox[-1]
    assert "answered your request" in email.subject
    assert "Supplied by Dana McSupplier, Verdant BioLabs GmbH, " in email.body


def test_who_provided_a_document_keeps_a_declared_name_as_typed(ask, plant_product):
    supplier_request, token, item = ask(plant_product)
    supplier = Client()
    data = upload_data(item, GMP, lot="")
    assert supplier.post(upload_url(token, item, GMP), data).status_code == 302
    document = SupplierDocument.objects.get()
    assert document.provided_via.startswith("uploaded by the supplier's contact (")

    submit_all(supplier, token, supplier_request, name="The Quality Team")

    document = SupplierDocument.objects.get()
    assert document.provided_via.startswith(
        "uploaded by The Quality Team, Verdant Botanics Ltd via request link"
    )
