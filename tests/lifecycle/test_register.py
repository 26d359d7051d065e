"""The approved-products register: page, filters, downloads agreeing with the page,
constant query count, dashboard counts (lifecycle/register.py, lifecycle/views.py)."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lifecycle.models import LifecycleSettings
from lifecycle.register import (
    EVERY_PRODUCT,
    HEADERS,
    products_query,
    register_rows,
    row_cells,
)
from lifecycle.status import Status
from tests.factories import AssessmentFactory, ProductFactory
from tests.lifecycle.support import caution, products, signed_assessment

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        yield


@pytest.fixture
def mix(clinic):
    """One product of each status."""
    approved, conditional, refused, expired, pending, never = products(clinic, 6)
    approved.name, conditional.name, refused.name = "A approved", "B conditional", "C refused"
    expired.name, pending.name, never.name = "D expired", "E pending", "F never"
    for product in (approved, conditional, refused, expired, pending, never):
        product.save()
    signed_assessment(approved, finalised=date(2026, 6, 1), expiries=(date(2026, 12, 20),))
    signed_assessment(
        conditional,
        finalised=date(2026, 10, 1),
        verdict="conditional",
        findings=[caution("Patch test before use")],
    )
    signed_assessment(refused, finalised=date(2026, 10, 1), verdict="not-permitted")
    signed_assessment(expired, finalised=date(2025, 11, 1))
    AssessmentFactory(product=pending, submitted=True)
    return {
        Status.APPROVED: approved,
        Status.CONDITIONAL: conditional,
        Status.NOT_APPROVED: refused,
        Status.EXPIRED: expired,
        Status.PENDING: pending,
        Status.NEVER_ASSESSED: never,
    }


def test_each_product_gets_its_status(clinic, mix):
    rows = {row.product.pk: row for row in register_rows(clinic, {}, today=TODAY)}
    for status, product in mix.items():
        assert rows[product.pk].status == status, product.name
    approved = rows[mix[Status.APPROVED].pk]
    assert approved.outcome.valid_until == date(2026, 12, 20)  # the document, not 1 Jun 2027
    assert approved.outcome.lot == "LOT-2026-0042"
    conditional = rows[mix[Status.CONDITIONAL].pk]
    assert conditional.outcome.cautions == ("Patch test before use",)
    assert conditional.outcome.valid_until == date(2027, 10, 1)


def test_the_clinics_interval_sets_the_reassessment_date(clinic, mix):
    LifecycleSettings.objects.create(clinic=clinic, reassessment_interval_months=1)
    rows = {row.product.pk: row for row in register_rows(clinic, {}, today=TODAY)}
    assert rows[mix[Status.CONDITIONAL].pk].status == Status.EXPIRED


def test_a_product_its_signer_rejected_is_not_approved_and_has_no_valid_until(
    clinic, manager_client
):
    """The verdict was acceptable, but the practice manager signed "rejected": the clinic
    decided not to use it, so the register, its export and the dashboard never count it as
    approved (nor remind anyone of an approval expiring)."""
    (product,) = products(clinic, 1)
    signed_assessment(product, finalised=date.today(), meaning="rejected")

    (row,) = register_rows(clinic, {}, today=date.today())
    page = manager_client.get(reverse("lifecycle:register")).content.decode()
    exported = manager_client.get(reverse("lifecycle:register_csv")).content.decode()

    assert (row.status, row.outcome.valid_until) == (Status.NOT_APPROVED, None)
    # The product's page says what the signature meant, beside the favourable verdict.
    product_page = manager_client.get(reverse("products:detail", args=[product.pk]))
    assert "signed: <strong>Rejected</strong>" in product_page.content.decode()
    summary_url = reverse("assessments:product_summary", args=[product.pk])
    assert "<strong>Rejected</strong>" in manager_client.get(summary_url).content.decode()
    assert "Not approved" in page
    assert "Not approved" in exported and "Approved" not in exported.replace("Not approved", "")


def test_latest_signed_assessment_counts(clinic):
    (product,) = products(clinic, 1)
    signed_assessment(product, finalised=date(2026, 3, 1), verdict="not-permitted")
    signed_assessment(product, finalised=date(2026, 9, 1))
    (row,) = register_rows(clinic, {}, today=TODAY)
    assert row.status == Status.APPROVED


def test_other_clinics_products_never_show(clinic, other_clinic, manager_client):
    products(clinic, 1)
    (theirs,) = products(other_clinic, 1)
    theirs.name = "Sentinel Theirs"
    theirs.save()
    response = manager_client.get(reverse("lifecycle:register"))
    assert response.status_code == 200
    assert "Sentinel Theirs" not in response.content.decode()


@pytest.mark.parametrize("status", list(Status))
def test_status_filter(clinic, mix, manager_client, status):
    response = manager_client.get(reverse("lifecycle:register"), {"status": status.value})
    names = [row.product.name for row, _ in response.context["cells"]]
    assert names == [mix[status].name]


def test_expiring_within_filter(clinic, mix, manager_client):
    response = manager_client.get(reverse("lifecycle:register"), {"expiring_within": 30})
    assert [row.product.name for row, _ in response.context["cells"]] == ["A approved"]


def test_supplier_filter_and_search(clinic, mix, supplier, manager_client):
    (own,) = products(clinic, 1, supplier=supplier)
    url = reverse("lifecycle:register")
    response = manager_client.get(url, {"supplier": supplier.pk})
    assert [row.product.pk for row, _ in response.context["cells"]] == [own.pk]
    response = manager_client.get(url, {"q": "conditional"})
    assert [row.product.name for row, _ in response.context["cells"]] == ["B conditional"]


def test_empty_state_and_help(clinician_client):
    page = clinician_client.get(reverse("lifecycle:register")).content.decode()
    assert "No products yet" in page
    for status in Status:
        assert status.help in page


def test_pagination(clinic, manager_client):
    products(clinic, 30)
    response = manager_client.get(reverse("lifecycle:register"), {"page": 2})
    assert len(response.context["cells"]) == 5


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _dates(row) -> list:
    """XLSX gives dates back as datetimes at midnight."""
    return [v.date() if isinstance(v, datetime) else v for v in row]


def _page_values(row) -> list[str]:
    return ["" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in row]


def test_csv_and_xlsx_have_the_pages_rows(clinic, mix, manager_client):
    query = {"status": "", "q": ""}
    page = manager_client.get(reverse("lifecycle:register"), query)
    expected = [_page_values(values) for _, values in page.context["cells"]]
    assert len(expected) == 6
    rows = _csv(manager_client.get(reverse("lifecycle:register_csv"), query))
    assert rows[0] == HEADERS
    assert rows[1:] == expected
    response = manager_client.get(reverse("lifecycle:register_xlsx"), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADERS
    assert [_page_values(_dates(row)) for row in values[1:]] == expected
    html = page.content.decode()
    for row in expected:
        for value in row:
            assert value in html


def test_csv_cells_never_start_a_formula(clinic, manager_client):
    (product,) = products(clinic, 1)
    product.name = "=HYPERLINK(1)"
    product.save()
    rows = _csv(manager_client.get(reverse("lifecycle:register_csv")))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_row_cells_is_the_one_row_function(clinic, mix):
    rows = register_rows(clinic, {}, today=TODAY)
    assert [len(row_cells(row)) for row in rows] == [len(HEADERS)] * 6


def test_the_supplier_is_named_as_on_every_other_page(clinic, mix, manager_client):
    supplier = mix[Status.APPROVED].supplier
    supplier.legal_name, supplier.trading_name = "Verdant Botanics Ltd", "Verdant"
    supplier.save()
    rows = register_rows(clinic, {}, today=TODAY)
    column = HEADERS.index("Supplier")
    named = {row_cells(row)[column] for row in rows if row.product.pk == mix[Status.APPROVED].pk}
    assert named == {str(supplier)} == {"Verdant (Verdant Botanics Ltd)"}
    page = manager_client.get(reverse("lifecycle:register")).text
    assert "Verdant (Verdant Botanics Ltd)" in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("lifecycle:register")).status_code == 200
    return len(captured)


def test_query_count_is_constant(clinic, manager_client):
    for product in products(clinic, 10):
        signed_assessment(product, finalised=date(2026, 6, 1))
    _queries(manager_client)  # the first request of a session writes the session
    few = _queries(manager_client)
    for product in products(clinic, 50):
        signed_assessment(product, finalised=date(2026, 6, 1), verdict="conditional")
        AssessmentFactory(product=product)
    assert _queries(manager_client) == few


def test_pages_hold_25_products_filtered_before_paging(clinic, manager_client):
    # 28 approved products among 40: the filter runs over every product, then the page.
    approved = []
    for n, product in enumerate(products(clinic, 40)):
        product.name = f"P{n:02d}"
        product.save()
        if n % 10 < 7:
            signed_assessment(product, finalised=date(2026, 10, 1))
            approved.append(product.name)
    url = reverse("lifecycle:register")

    first = manager_client.get(url, {"status": "approved"})
    second = manager_client.get(url, {"status": "approved", "page": 2})
    junk = manager_client.get(url, {"status": "approved", "page": "x"})

    names = [row.product.name for page in (first, second) for row, _ in page.context["cells"]]
    assert names == approved and len(first.context["cells"]) == 25
    assert first.context["page"].paginator.count == 28
    assert "?status=approved&amp;page=2" in first.content.decode()
    assert [row.product.name for row, _ in junk.context["cells"]] == approved[:25]
    # Only the rows shown are completed from their signed record (lot, conditions).
    assert all(row.assessment is not None for row, _ in second.context["cells"])


def test_dashboard_shows_the_counts(clinic, mix, manager_client):
    page = manager_client.get(reverse("dashboard")).content.decode()
    assert "1 expiring within 30 days" in page
    assert "1 expired" in page


def test_a_product_moved_to_another_supplier_keeps_its_row(clinic, mix):
    product = ProductFactory(clinic=clinic)
    signed_assessment(product, finalised=TODAY - timedelta(days=1))
    assert len(register_rows(clinic, {}, today=TODAY)) == 7


def test_query_count_is_the_same_for_10_and_200_products(clinic, manager_client):
    """Done when: "constant from 10 to 10,000 products". 200 stands in for 10,000: the page
    reads products, suppliers and assessments with select_related/prefetch_related (a fixed
    number of queries whatever the count) and the status and recheck are pure functions, so
    a count equal at 10 and 200 is equal at any size; 10,000 rows would only slow the suite.
    Each product has a signed assessment, an open re-assessment and a supplier of its own,
    the worst case for N+1 queries."""
    for product in products(clinic, 10):
        signed_assessment(product, finalised=date(2026, 6, 1), expiries=(date(2026, 12, 1),))
        AssessmentFactory(product=product)
    _queries(manager_client)  # the first request of a session writes the session
    at_10 = _queries(manager_client)
    for product in products(clinic, 190):
        signed_assessment(product, finalised=date(2026, 6, 1), verdict="conditional")
        AssessmentFactory(product=product)
    assert len(register_rows(clinic, {}, today=TODAY)) == 200
    assert _queries(manager_client) == at_10


def test_the_compiled_products_query_gives_what_the_orm_gives(clinic, other_clinic, mix):
    """The unfiltered query is compiled once (core/prepared.py) and run with each clinic's
    id: the same rows as the ORM, with dates, times and booleans converted, clinic by clinic."""
    signed_assessment(products(other_clinic, 1)[0], finalised=date(2026, 9, 1))

    for place in (clinic, other_clinic):
        compiled = EVERY_PRODUCT.rows(clinic_id=place.pk)
        assert compiled == [tuple(row) for row in products_query(clinic_id=place.pk)]
    rows = EVERY_PRODUCT.rows(clinic_id=clinic.pk)
    assert len(rows) == 6
    assert {type(row[7]) for row in rows} == {datetime, type(None)}  # finalised_at
    assert {type(row[8]) for row in rows} == {date, type(None)}  # documents_expire_on
    assert {bool(row[9]) for row in rows} == {True, False}  # has_open
