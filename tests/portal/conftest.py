"""Fixtures the library tests share: a supplier request for a product, a second product."""

import pytest

from products.models import CellStatus, ExosomeProduct, SourceCategory
from tests.portal.support import draft, item_of, request_from_assessment


@pytest.fixture
def ask(clinician_client, clinician, mailoutbox, django_capture_on_commit_callbacks):
    """ask(product) -> (supplier request, its token, the request's item) for a new draft."""

    def ask(product):
        assessment = draft(product, clinician)
        supplier_request, token = request_from_assessment(
            clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
        )
        return supplier_request, token, item_of(supplier_request, assessment)

    return ask


@pytest.fixture
def second_product(clinic, supplier):
    return ExosomeProduct.objects.create(
        clinic=clinic,
        supplier=supplier,
        name="Rose Vesicle Mist",
        source_category=SourceCategory.objects.get(slug="plant"),
        cell_status=CellStatus.objects.get(slug="cell-free"),
    )
