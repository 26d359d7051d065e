"""No page of a report is near-empty: the signature block, the methodology note and the
disclaimer travel with the record before them, so the last page is never the disclaimer (or
the signature) alone. Renders demo-like reports — acceptable, conditional and not
permitted, each as a draft and as signed — and reads every page back with pypdf."""

import io
import os
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments.checklist import checklist_for
from assessments.models import Assessment
from assessments.reports.context import DISCLAIMER, REPORT_TEMPLATE, report_context
from assessments.reports.pdf import render_pdf
from tests.factories import evaluated
from tests.reporting import add_evidence, make_assessment

pytestmark = pytest.mark.django_db

# A page's own words, without the running header and footer: a third of a page of text at
# least (a full page holds about 4,000 characters).
MIN_PAGE_CHARS = 600

CASES = {
    # A plant serum on intact skin with every document it needs: acceptable.
    "acceptable": {"route": "topical-intact-skin", "documents": "all"},
    # The same used after microneedling: a lawful route, with a caution.
    "conditional": {"route": "topical-compromised-skin", "documents": "all"},
    # Human adipose stem-cell media in a cosmetic, with a few documents: not permitted.
    "not-permitted": {
        "route": "topical-compromised-skin",
        "source": "human-msc-adipose",
        "cell_status": "post-culture-processed",
        "documents": "some",
    },
}


def demo_like(case: str, *, clinic, product, clinician, manager, signed: bool) -> Assessment:
    spec = dict(CASES[case])
    documents = spec.pop("documents")
    assessment = make_assessment(
        clinic=clinic, product=product, user=clinician, batch_lot="GT-2611", evidence=[], **spec
    )
    rows = checklist_for(assessment).documents
    if documents == "some":
        rows = rows[: len(rows) // 2]
    for row in rows:
        lot = assessment.batch_lot if row.lot_specific else ""
        add_evidence(assessment, clinician, row.slug, lab="Eurofins Cosmetics UK Ltd", lot=lot)
    assessment = evaluated(assessment)
    assert assessment.verdict == case
    if signed:
        # What the sign-off stores and prints (its own tests: test_signoff.py).
        assessment.status = Assessment.Status.FINALISED
        assessment.finalised_at = timezone.now()
        assessment.signed_by = manager
        assessment.signed_name = "Max Manager"
        assessment.signed_role = "Practice manager"
        assessment.signature_meaning = "reviewed"
        assessment.sign_off_statement = "Reviewed against the supplier's documents on file."
    return assessment


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def body_chars(text: str, header_and_footer: set[str]) -> int:
    """The page's characters, without whitespace and its running header and footer lines."""
    lines = [line for line in text.splitlines() if line.strip() not in header_and_footer]
    return len("".join("".join(lines).split()))


@pytest.mark.parametrize("signed", [False, True], ids=["draft", "signed"])
@pytest.mark.parametrize("case", list(CASES))
def test_no_page_is_near_empty(case, signed, clinic, plant_product, clinician, manager):
    assessment = demo_like(
        case,
        clinic=clinic,
        product=plant_product,
        clinician=clinician,
        manager=manager,
        signed=signed,
    )

    pdf = render_pdf(REPORT_TEMPLATE, report_context(assessment))
    if out := os.environ.get("EXOCHECK_PDF_OUT"):
        Path(out, f"{case}-{'signed' if signed else 'draft'}.pdf").write_bytes(pdf)
    pages = page_texts(pdf)

    assert len(pages) >= 2
    running = running_lines(pages)
    for number, text in enumerate(pages, start=1):
        chars = body_chars(text, running)
        assert chars >= MIN_PAGE_CHARS, f"page {number} of {len(pages)}: {chars} characters"
    last = " ".join(pages[-1].split())
    # The disclaimer ends the report, with the signature block and the record before it.
    assert " ".join(DISCLAIMER.split()) in last
    assert "Record and sign-off" in last
    assert ("Signature" if signed else "Not signed") in last


def running_lines(pages: list[str]) -> set[str]:
    """The lines every page repeats (header, footer), bar the page number."""
    common = set.intersection(*({line.strip() for line in text.splitlines()} for text in pages))
    return common | {
        line.strip() for text in pages for line in text.splitlines() if line.startswith("Page ")
    }
