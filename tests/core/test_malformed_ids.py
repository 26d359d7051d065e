"""Ids from query strings and forms: Unicode digits and 25-digit numbers are refused quietly,
never a server error (issue "signed records", finding 7)."""

import pytest
from django.urls import reverse

from core.params import parse_id, parse_ids

pytestmark = pytest.mark.django_db

BAD = ["²", "١٢", "9" * 25, "-1", "0", "1e3", " 1", "", None, "\x00"]


@pytest.mark.parametrize("value", BAD)
def test_parse_id_refuses_anything_but_a_plain_positive_id(value):
    assert parse_id(value) is None


def test_parse_ids_keeps_only_the_valid_ones():
    assert parse_ids(["12", "²", "9" * 25, "7"]) == [12, 7]


@pytest.mark.parametrize("value", ["²", "9" * 25])
def test_the_start_page_ignores_a_malformed_product_or_supplier(clinician_client, value):
    for name in ("product", "supplier"):
        response = clinician_client.get(reverse("assessments:start"), {name: value})
        assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "9" * 25])
def test_the_new_product_page_ignores_a_malformed_supplier(clinician_client, value):
    assert clinician_client.get(reverse("products:create"), {"supplier": value}).status_code in (
        200,
        403,
    )


@pytest.mark.parametrize("value", ["²", "9" * 25])
def test_a_zip_export_of_malformed_ids_is_refused_with_a_message(manager_client, value):
    response = manager_client.post(reverse("exports:reports_zip"), {"ids": [value]})
    assert response.status_code == 302
