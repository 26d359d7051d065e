"""A signed record does not drift: after sign-off, renaming the product, its brand or its
supplier, changing the product's routes or rewording a route changes no page, export or file
name of the finalised assessment; each still says what the stored PDF says. A draft still
shows the live names. (assessments/signed_record.py)"""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment
from products.models import Route
from suppliers.models import Supplier
from tests.assessments.signed_record_support import (
    RENAMED_PRODUCT,
    RENAMED_SUPPLIER,
    RENAMED_TRADING,
    SIGNED_BRAND,
    SIGNED_LOT,
    SIGNED_PRODUCT,
    SIGNED_ROUTE_SLUG,
    SIGNED_SUPPLIER,
    rename_everything,
    renamed_values,
    signed_assessment,
)
from tests.reporting import make_assessment, pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_route_name(evidence_types):
    return Route.objects.get(slug=SIGNED_ROUTE_SLUG).name


@pytest.fixture
def signed(clinic, plant_product, clinician, manager, evidence_types):
    return signed_assessment(
        clinic=clinic, product=plant_product, clinician=clinician, manager=manager
    )


@pytest.fixture
def renamed(signed, plant_product, signed_route_name):
    """The signed assessment, after everything it points at was renamed."""
    rename_everything(plant_product)
    return Assessment.objects.get(pk=signed.pk)


def signed_values(route_name: str) -> tuple[str, ...]:
    return (SIGNED_PRODUCT, SIGNED_BRAND, SIGNED_SUPPLIER, SIGNED_LOT, route_name)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def without_audit_trail(html: str) -> str:
    """The page above its audit trail, which names each change's related rows as they are
    called today (core/history.py): a trail of edits, not the record's content."""
    return html.split('aria-labelledby="history-heading"')[0]


def test_the_stored_pdf_says_what_the_snapshot_says(renamed, signed_route_name):
    text = squash(pdf_text(renamed.report_pdf.read()))
    names = renamed.names

    assert names.is_signed
    assert (names.product.name, names.product.brand, names.supplier.legal_name) == (
        SIGNED_PRODUCT,
        SIGNED_BRAND,
        SIGNED_SUPPLIER,
    )
    assert (names.batch_lot, str(names.route)) == (SIGNED_LOT, signed_route_name)
    for value in signed_values(signed_route_name):
        assert squash(value) in text, value
    for value in renamed_values():
        assert squash(value) not in text, value


def test_pages_show_a_finalised_assessment_under_its_signed_names(
    renamed, signed_route_name, clinician_client, manager_client
):
    signed_label = f"{SIGNED_PRODUCT} ({SIGNED_BRAND})"
    pages = {
        "detail": without_audit_trail(
            page(clinician_client, reverse("assessments:detail", args=[renamed.pk]))
        ),
        "list": page(clinician_client, reverse("assessments:list")),
        "review": page(manager_client, reverse("assessments:review", args=[renamed.pk])),
        # The table, not the filter form's list of today's suppliers.
        "register": page(manager_client, reverse("exports:register")).split("<table")[1],
    }
    for name, html in pages.items():
        assert signed_label in html or SIGNED_PRODUCT in html, name
        assert SIGNED_SUPPLIER in html, name
        for value in renamed_values():
            assert value not in html, (name, value)
    for name in ("detail", "review"):
        assert SIGNED_LOT in pages[name] and signed_route_name in pages[name], name

    # Pages that also list the live product or supplier show the assessment as signed.
    dashboard = page(clinician_client, reverse("dashboard"))
    product_page = page(clinician_client, reverse("products:detail", args=[renamed.product_id]))
    summary = page(
        clinician_client, reverse("assessments:product_summary", args=[renamed.product_id])
    )
    assert signed_label in dashboard
    assert f"{signed_label}, lot {SIGNED_LOT} (v1, finalised)" in product_page
    assert f"{signed_label} · {SIGNED_SUPPLIER}" in summary


def test_a_finalised_assessment_is_found_under_its_signed_name(renamed, clinician_client):
    html = page(clinician_client, reverse("assessments:list") + "?q=Green+Tea")

    assert renamed.get_absolute_url() in html


def register_row(rows: list[list], document_id: str) -> dict:
    header = rows[0]
    (row,) = [row for row in rows[1:] if row[0] == document_id]
    return dict(zip(header, row, strict=True))


def test_register_csv_and_xlsx_keep_the_signed_names(renamed, signed_route_name, manager_client):
    csv_response = manager_client.get(reverse("exports:register_csv"))
    csv_rows = list(
        csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig")))
    )
    xlsx_response = manager_client.get(reverse("exports:register_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content))).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    text = squash(pdf_text(renamed.report_pdf.read()))

    for rows in (csv_rows, xlsx_rows):
        row = register_row(rows, renamed.document_id)
        assert row["Product"] == SIGNED_PRODUCT
        assert row["Supplier"] == SIGNED_SUPPLIER
        assert row["Batch / lot"] == SIGNED_LOT
        assert row["Route"] == signed_route_name
        # The same words as the stored PDF's.
        for column in ("Product", "Supplier", "Batch / lot", "Route"):
            assert squash(row[column]) in text, column


def test_zip_member_names_keep_the_signed_product_name(renamed, manager_client):
    response = manager_client.post(
        reverse("exports:reports_zip"), {"ids": [renamed.pk], "scope": "selected"}
    )

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    expected = f"{renamed.document_id}-green-tea-exosome-serum.pdf"
    assert expected in archive.namelist()
    assert SIGNED_PRODUCT in pdf_text(archive.read(expected))
    assert f"{renamed.report_sha256}  {expected}" in archive.read("SHA256SUMS.txt").decode()


def test_the_register_files_a_signed_record_under_the_supplier_it_was_signed_with(
    signed, plant_product, clinic, manager_client
):
    from suppliers.models import Supplier

    original = plant_product.supplier
    moved_to = Supplier.objects.create(clinic=clinic, legal_name="Elsewhere Ltd")
    plant_product.supplier = moved_to
    plant_product.save()

    def listed(supplier) -> set[str]:
        response = manager_client.get(reverse("exports:register_csv"), {"supplier": supplier.pk})
        rows = list(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )
        return {row[0] for row in rows[1:]}

    assert signed.document_id in listed(original)
    assert signed.document_id not in listed(moved_to)


def test_a_draft_shows_the_live_names(
    clinic, plant_product, clinician, evidence_types, clinician_client, manager_client
):
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )
    rename_everything(plant_product)

    detail = page(clinician_client, reverse("assessments:detail", args=[draft.pk]))
    csv_response = manager_client.get(reverse("exports:register_csv"))
    rows = list(
        csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig")))
    )
    row = register_row(rows, draft.document_id)

    assert not draft.names.is_signed and draft.signed_record == {}
    assert RENAMED_PRODUCT in detail and RENAMED_SUPPLIER in detail
    assert SIGNED_PRODUCT not in detail
    # The register names a supplier as every page does (Supplier.display_name).
    renamed_supplier = Supplier.display_name(RENAMED_SUPPLIER, RENAMED_TRADING)
    assert (row["Product"], row["Supplier"]) == (RENAMED_PRODUCT, renamed_supplier)


def test_names_are_read_once_for_a_signed_record_and_afresh_for_a_draft(
    signed, clinic, plant_product, clinician
):
    """A list row asks for an assessment's names several times: a finalised one reads its
    signed record once (it cannot change); a draft reads its live rows on every ask, so a
    change made on the instance shows at once."""
    assert signed.names is signed.names
    assert str(signed.names.product) == str(Assessment.objects.get(pk=signed.pk).names.product)

    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )
    assert draft.names.batch_lot != "CHANGED-LOT"
    draft.batch_lot = "CHANGED-LOT"
    assert draft.names.batch_lot == "CHANGED-LOT"
    assert draft.names is not draft.names
