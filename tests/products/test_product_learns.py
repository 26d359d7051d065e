"""The product record learns the answers: its page shows what the latest signed assessment
established, and a new assessment of the product starts from the previous one."""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from assessments.models import Assessment
from products.models import CellStatus, Route, SourceCategory
from tests.reporting import add_evidence, make_assessment, make_finalised
from tests.wizard_support import start

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html(response)).split())


def summary_url(product) -> str:
    return reverse("assessments:product_summary", args=[product.pk])


@pytest.fixture
def signed(clinic, plant_product, clinician, manager, evidence_types):
    return make_finalised(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        manager=manager,
        batch_lot="GT-2611",
        marketed_as="cosmetic",
        inci="Aqua\nCamellia Sinensis Leaf Extract\nGlycerin",
        claims="Brightens skin\nCalms redness",
        source_answer="Green tea leaf cell culture vesicles.",
        cell_status_answer="Isolated vesicles, no cells.",
    )


# --- The product page shows what the latest signed assessment established ---------------------


def test_the_summary_shows_what_the_signed_assessment_established(clinician_client, signed):
    response = clinician_client.get(summary_url(signed.product), **HTMX)

    assert response.status_code == 200
    words = text(response)
    assert "What the latest signed assessment established" in words
    assert "Plant-derived" in words  # source (Q1)
    assert "Green tea leaf cell culture vesicles." in words
    assert CellStatus.objects.get(slug="cell-free").name in words  # cell status (Q2)
    assert "Isolated vesicles, no cells." in words
    assert "Marketed as Cosmetic" in words
    assert "Camellia Sinensis Leaf Extract" in words and "Glycerin" in words  # INCI
    assert "Brightens skin" in words and "Calms redness" in words  # claims
    assert f"Verdict {signed.get_verdict_display()}" in words
    signed_on = dateformat.format(timezone.localtime(signed.finalised_at), "j M Y, H:i")
    assert f"Signed on {signed_on} by Max Manager (Practice manager)" in words
    assert signed.document_id in words
    assert f'href="{reverse("assessments:report_download", args=[signed.pk])}"' in html(response)
    assert f'href="{signed.get_absolute_url()}"' in html(response)


def test_the_pdf_link_downloads_the_signed_report(clinician_client, signed):
    response = clinician_client.get(reverse("assessments:report_download", args=[signed.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_htmx_gets_the_fragment_and_a_plain_request_a_whole_page(clinician_client, signed):
    fragment = clinician_client.get(summary_url(signed.product), **HTMX)
    page = clinician_client.get(summary_url(signed.product))

    assert "<html" not in html(fragment) and 'id="product-summary"' in html(fragment)
    assert "<html" in html(page) and 'id="product-summary"' in html(page)
    assert "Breadcrumb" in html(page)
    for response in (fragment, page):
        assert "HX-Request" in response["Vary"]  # one URL, two bodies: caches must not mix them


def test_the_latest_signed_assessment_is_shown_not_an_older_one_or_a_later_draft(
    clinician_client, clinic, plant_product, clinician, manager, evidence_types
):
    older = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager, batch_lot="OLD-1"
    )
    newer = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager, batch_lot="NEW-2"
    )
    make_assessment(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        status=Assessment.Status.DRAFT,
        batch_lot="DRAFT-3",
    )
    assert newer.finalised_at >= older.finalised_at

    words = text(clinician_client.get(summary_url(plant_product), **HTMX))

    assert newer.document_id in words and "lot NEW-2" in words
    assert older.document_id not in words and "DRAFT-3" not in words


def test_a_product_never_signed_off_says_so(clinician_client, clinic, plant_product, clinician):
    make_assessment(clinic=clinic, product=plant_product, user=clinician)  # submitted only

    words = text(clinician_client.get(summary_url(plant_product), **HTMX))

    assert "No assessment of this product has been signed off yet" in words


def test_the_product_page_loads_the_summary_with_htmx_and_links_to_it(
    clinician_client, plant_product
):
    body = html(clinician_client.get(plant_product.get_absolute_url()))
    url = summary_url(plant_product)

    slot = re.search(r'<div id="product-summary-slot"[^>]*>.*?</div>', body, re.S).group(0)
    assert f'hx-get="{url}"' in slot and 'hx-trigger="load"' in slot
    assert f'<a href="{url}">' in slot  # without JavaScript, a plain link to the same summary


def test_another_clinics_product_summary_is_404(clinician_client, other_product):
    for headers in ({}, HTMX):
        response = clinician_client.get(summary_url(other_product), **headers)
        assert response.status_code == 404
        assert "belongs to another clinic" in html(response)


def test_another_clinics_signed_assessment_never_shows(
    other_clinician_client, signed, other_product
):
    # Clinic B asks about its own product: clinic A's signed record of another product is not it.
    words = text(other_clinician_client.get(summary_url(other_product), **HTMX))

    assert signed.document_id not in words
    assert "No assessment of this product has been signed off yet" in words


def test_the_summary_needs_a_login(client, plant_product):
    response = client.get(summary_url(plant_product))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_products_never_import_assessments():
    # The apps depend one way (assessments → products): the product page reaches the
    # summary through a URL, not an import.
    for path in Path("products").rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "assessments" for name in names), path


# --- A new assessment starts from the previous one ----------------------------------------------


def test_a_new_assessment_starts_from_the_signed_one(clinician_client, clinician, signed):
    draft = start(clinician_client, clinician, signed.product)

    assert draft.pk != signed.pk and draft.is_draft
    for name in (
        "route",
        "marketed_as",
        "inci",
        "claims",
        "source_category",
        "source_answer",
        "cell_status",
        "cell_status_answer",
        "testing_answer",
    ):
        assert getattr(draft, name) == getattr(signed, name), name
    # Not the batch, the documents, the review or the outcome: those are the new batch's own.
    assert draft.batch_lot == ""
    assert not draft.evidence_items.exists()
    assert draft.status == Assessment.Status.DRAFT and draft.current_step == 1
    assert draft.signed_by is None and draft.finalised_at is None and not draft.report_pdf
    assert draft.previous_version is None and draft.version == 1
    assert draft.findings != signed.findings  # evaluated afresh: no documents yet
    assert draft.evaluated_at > signed.evaluated_at


def test_the_signed_assessment_wins_over_a_later_draft(
    clinician_client, clinician, signed, clinic, plant_product
):
    make_assessment(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        status=Assessment.Status.DRAFT,
        source_answer="An unsigned draft's words.",
        claims="Unsigned claim",
    )

    draft = start(clinician_client, clinician, plant_product)

    assert draft.source_answer == signed.source_answer
    assert draft.claims == signed.claims


def test_without_a_signed_one_the_latest_assessment_is_used(
    clinician_client, clinician, clinic, human_product, evidence_types
):
    older = make_assessment(
        clinic=clinic, product=human_product, user=clinician, testing_answer="Older answer"
    )
    Assessment.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=30))
    latest = make_assessment(
        clinic=clinic,
        product=human_product,
        user=clinician,
        status=Assessment.Status.DRAFT,
        route="topical-compromised-skin",
        source="plant",
        marketed_as="medicine",
        inci="Aqua, Rosa Damascena Flower Water",
        claims="Soothes",
        testing_answer="Latest answer",
    )
    add_evidence(latest, clinician, "certificate-of-analysis", lot="LOT-2026-0042")

    draft = start(clinician_client, clinician, human_product)

    assert draft.testing_answer == "Latest answer"
    assert draft.route == Route.objects.get(slug="topical-compromised-skin")
    assert draft.source_category == SourceCategory.objects.get(slug="plant")
    assert (draft.marketed_as, draft.claims) == ("medicine", "Soothes")
    assert draft.inci == "Aqua, Rosa Damascena Flower Water"
    assert not draft.evidence_items.exists()


def test_a_product_never_assessed_starts_from_its_record(
    clinician_client, clinician, human_product
):
    draft = start(clinician_client, clinician, human_product)

    assert draft.source_category == human_product.source_category
    assert draft.cell_status == human_product.cell_status
    assert draft.marketed_as == human_product.marketed_as
    assert draft.source_answer == human_product.supplier_source_statement


def test_another_clinics_assessments_never_prefill(
    clinician_client, clinician, plant_product, other_clinic, other_clinician, evidence_types
):
    # A record of clinic B pointing at clinic A's product (made directly: no page allows it)
    # is not clinic A's history of the product.
    make_assessment(
        clinic=other_clinic,
        product=plant_product,
        user=other_clinician,
        status=Assessment.Status.DRAFT,
        claims="Clinic B's claim",
    )

    draft = start(clinician_client, clinician, plant_product)

    assert draft.claims == plant_product.claims
