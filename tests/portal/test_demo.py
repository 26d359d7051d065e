"""The demo's open supplier request: `make run` prints a link that works, and each run gives
it a fresh one (only the hash is stored, so the old link cannot be shown again)."""

import re

import pytest
from django.test import Client

from portal import demo
from portal.models import SupplierRequest
from products.models import ExosomeProduct
from tests.portal.support import draft

pytestmark = pytest.mark.django_db


def test_the_demo_prints_a_working_link_and_refreshes_it(clinic, supplier, clinician, mailoutbox):
    product = ExosomeProduct.objects.create(
        clinic=clinic, supplier=supplier, name=demo.DEMO_PRODUCT
    )
    draft(product, clinician)
    seeded = {"clinic": clinic, "users": {"clinician": clinician}}

    demo.seed(seeded)
    first = re.search(r"http://\S+(/supplier/\S+/)", seeded["notes"][-1]).group(1)
    demo.seed(seeded)
    second = re.search(r"http://\S+(/supplier/\S+/)", seeded["notes"][-1]).group(1)

    assert SupplierRequest.objects.count() == 1
    assert first != second
    assert Client().get(second).status_code == 200
    assert Client().get(first).status_code == 404
