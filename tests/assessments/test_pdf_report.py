"""The PDF report a practice manager files and shows an inspector, parsed back with pypdf."""

import hashlib
import io
import logging
import re
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Assessment
from assessments.reports.context import REPORT_TEMPLATE, report_context
from assessments.reports.pdf import render_pdf
from assessments.rules import catalogue_for
from tests.reporting import make_assessment, pdf_text, sign, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalised(clinic, plant_product, clinician, manager, evidence_types):
    clinic.address = "1 Example Street\nLondon W1A 1AA"
    clinic.registration_number = "1-000000001"
    clinic.save()
    return sign(make_assessment(clinic=clinic, product=plant_product, user=clinician), manager)


@pytest.fixture
def finalised_text(finalised):
    return pdf_text(finalised.report_pdf.read())


def test_report_names_the_clinic_document_supplier_product_batch_and_route(
    finalised, finalised_text
):
    for expected in (
        "Harley Skin Clinic",
        "1 Example Street",
        "Registration: 1-000000001",
        f"Document {finalised.document_id}",
        "Version 1",
        "Verdant Botanics Ltd",
        "Green Tea Exosome Serum",
        "Batch / lot LOT-2026-0042",
        "Topical, on intact skin",
    ):
        assert expected in finalised_text, expected


def test_report_names_the_supplier_as_every_page_does(
    clinic, plant_product, clinician, manager, evidence_types
):
    supplier = plant_product.supplier
    supplier.trading_name = "Verdant"
    supplier.save()
    signed = sign(make_assessment(clinic=clinic, product=plant_product, user=clinician), manager)
    text = squash(pdf_text(signed.report_pdf.read()))
    # One naming rule (Supplier.display_name): the trading name, then the legal entity.
    assert squash(str(supplier)) == squash("Verdant (Verdant Botanics Ltd)")
    assert squash("Verdant (Verdant Botanics Ltd)") in text
    assert "tradingas" not in text


def test_report_holds_the_three_questions_structured_answers_and_supplier_words(
    finalised, finalised_text
):
    text = " ".join(finalised_text.split())
    assert "Q1. Where are these exosomes derived from?" in text
    assert "Q2. Are they live-cell, cell-free, or processed post-cell culture?" in text
    assert "Q3. What testing is performed for sterility, content and consistency?" in text
    assert "Recorded answer: Plant-derived exosome-like vesicles (Plant)" in text
    assert "Recorded answer: Cell-free (isolated vesicles)" in text
    assert "4 documents received" in text
    for words in (finalised.source_answer, finalised.cell_status_answer, finalised.testing_answer):
        assert words in text


def test_report_shows_the_verdict_in_words(finalised, finalised_text):
    assert finalised.verdict == "insufficient-information"
    text = " ".join(finalised_text.split())
    assert "Verdict: Insufficient information." in text
    assert "chase the supplier" in text


def test_report_lists_every_finding_with_severity_citation_and_next_step(finalised, finalised_text):
    text = " ".join(finalised_text.split())
    assert f"Findings ({len(finalised.findings)})" in text
    for finding in finalised.findings:
        assert " ".join(finding["title"].split()) in text
        assert " ".join(finding["citation"].split()) in text
        assert " ".join(finding["next_step"].split()) in text
        assert finding["rule"] in text
    assert "MISSING" in text and "CAUTION" in text and "INFORMATION" in text


def test_report_has_the_evidence_table_with_each_files_sha256(finalised, finalised_text):
    squashed = squash(finalised_text)
    names = catalogue_for(finalised.jurisdiction)
    for item in finalised.evidence_items.select_related("evidence_type"):
        assert names[item.evidence_type.slug].name in finalised_text
        assert squash(item.lab) in squashed
        assert item.sha256 in squashed
    assert "Eurofins Lab Ltd LOT-2026-0042" in " ".join(finalised_text.split())
    assert "Documents received (4)" in finalised_text
    assert "Document Standard Laboratory / issuer Lot Issued Expires Result" in finalised_text


def test_report_says_what_is_missing(finalised_text):
    text = " ".join(finalised_text.split())
    assert "What is missing" in text
    assert "REQUIRED Cosmetic Product Safety Report" in text
    assert "RECOMMENDED Stability data" in text


def test_report_prints_who_answered_and_the_signature_block(finalised, finalised_text):
    text = " ".join(finalised_text.split())
    assert "Answered by Clinician" in text
    # Name, role in the clinic and user name apart: no "(… account manager)" job title.
    assert "Signed by Max Manager Role in the clinic Practice manager" in text
    assert "ExoCheck user name manager" in text
    assert "account manager" not in text
    assert "Meaning of signature Reviewed" in text
    assert f"Signed record {finalised.document_id}, version 1" in text
    assert "Statement Approved for purchase of this lot only." in text
    # Date and time with the zone's name and UTC offset, as 21 CFR 11.50 asks of a printout.
    assert re.search(
        r"Signed at \d{1,2} \w{3} \d{4}, \d{2}:\d{2} \w+ \(Europe/London, UTC[+-]\d{2}:\d{2}\)",
        text,
    )


def test_report_names_the_ruleset_links_the_rules_page_and_disclaims_legal_advice(
    finalised, finalised_text
):
    text = " ".join(finalised_text.split())
    assert f"Ruleset {finalised.ruleset_version}" in text
    # The methodology is named as text: no link to a page that needs a login.
    assert "Methodology: “How ExoCheck decides”" in text
    assert "Decision support, not legal advice." in text


def test_every_page_has_the_header_and_page_x_of_y(finalised):
    reader = PdfReader(io.BytesIO(finalised.report_pdf.read()))
    pages = len(reader.pages)

    assert 2 <= pages <= 6
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert f"{finalised.document_id} · version 1" in text
        assert "decision support, not legal advice" in text


def test_report_is_a4_with_the_shipped_fonts_embedded(finalised):
    reader = PdfReader(io.BytesIO(finalised.report_pdf.read()))
    box = reader.pages[0].mediabox

    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # embedded, not referenced
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    # The @font-face families of report.css, i.e. the DejaVu files shipped in assets/fonts;
    # a system font picked up by fontconfig would carry its own name.
    assert fonts and all(name.startswith(("Report-Sans", "Report-Mono")) for name in fonts)


def test_finalised_pdf_downloads_byte_identical_twice(manager_client, finalised):
    url = reverse("assessments:report_download", args=[finalised.pk])

    first = manager_client.get(url)
    second = manager_client.get(url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert hashlib.sha256(first.content).hexdigest() == finalised.report_sha256


def test_download_headers_make_it_an_uncached_attachment(manager_client, finalised):
    response = manager_client.get(reverse("assessments:report_download", args=[finalised.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{finalised.document_id}.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_clinicians_of_the_clinic_can_download_the_signed_report(clinician_client, finalised):
    response = clinician_client.get(reverse("assessments:report_download", args=[finalised.pk]))

    assert response.status_code == 200


def test_a_tampered_stored_report_is_refused_and_logged(manager_client, finalised, caplog):
    path = finalised.report_pdf.path
    with open(path, "ab") as stored:
        stored.write(b"% tampered")

    with caplog.at_level(logging.ERROR, logger="exocheck.integrity"):
        response = manager_client.get(reverse("assessments:report_download", args=[finalised.pk]))

    assert response.status_code == 500
    assert b"%PDF" not in response.content
    assert "integrity check" in response.content.decode()
    assert any(finalised.document_id in record.getMessage() for record in caplog.records)


def test_another_clinics_report_is_404(other_clinician_client, finalised):
    for name in ("report_download", "report_preview"):
        response = other_clinician_client.get(reverse(f"assessments:{name}", args=[finalised.pk]))
        assert response.status_code == 404


def test_submitted_assessment_previews_as_a_draft_on_every_page(manager_client, submitted):
    response = manager_client.get(reverse("assessments:report_preview", args=[submitted.pk]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "DRAFT" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    for page in reader.pages:
        assert "DRAFT" in page.extract_text()
    text = pdf_text(response.content)
    assert "DRAFT — not signed off" in text
    assert "Not signed" in text
    # The methodology is named as text; no address taken from the request's Host header.
    assert "testserver" not in text


def test_a_draft_previews_too_and_has_no_stored_report(
    clinician_client, clinic, plant_product, clinician, evidence_types
):
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )

    preview = clinician_client.get(reverse("assessments:report_preview", args=[draft.pk]))
    download = clinician_client.get(reverse("assessments:report_download", args=[draft.pk]))

    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    assert download.status_code == 404


def test_preview_of_a_finalised_assessment_goes_to_the_stored_report(manager_client, finalised):
    response = manager_client.get(reverse("assessments:report_preview", args=[finalised.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:report_download", args=[finalised.pk])


def test_rendering_opens_no_network_connection(submitted, monkeypatch):
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network access during a PDF render")

    monkeypatch.setattr(socket.socket, "connect", refuse)

    pdf = render_pdf(REPORT_TEMPLATE, report_context(submitted))

    assert pdf.startswith(b"%PDF")
    assert attempts == []


def test_report_context_needs_few_queries(submitted, django_assert_max_num_queries):
    assessment = Assessment.objects.with_related().get(pk=submitted.pk)

    with django_assert_max_num_queries(6):
        report_context(assessment)


def test_weasyprint_is_not_imported_when_django_starts():
    # Importing WeasyPrint costs ~0.5 s per process; only a render may pay it.
    code = (
        "import sys, django; django.setup(); "
        "import config.urls, assessments.views.reports, assessments.services.signoff, "
        "exports.views; "
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", "PATH": ""},
        timeout=60,
    )

    assert result.stdout.strip() == "False", result.stderr
