"""Builders for report, sign-off and export tests: a submitted assessment without the wizard.

Plain functions (not fixtures) so each test states the assessment it needs.
"""

import hashlib
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.evaluation import refresh_findings
from assessments.models import Assessment, EvidenceItem
from products.models import CellStatus, EvidenceType, Route, SourceCategory

SOURCE_WORDS = "Exosome-like vesicles from Camellia sinensis leaf cell culture, no animal inputs."
CELL_WORDS = "Cell-free: vesicles isolated by tangential flow filtration, no cells remain."
TESTING_WORDS = "Each lot has a CoA from an ISO 17025 lab; site is ISO 22716 certified."

# (evidence type slug, lab, lot (None = the assessment's lot), result)
PLANT_EVIDENCE = [
    ("certificate-of-analysis", "Eurofins Lab Ltd", None, "pass"),
    ("gmp-certificate", "BSI", "", "pass"),
    ("origin-declaration", "Verdant Botanics Ltd", "", "not-stated"),
    ("ev-characterisation", "NanoSight Services", None, "pass"),
]


def ref(model, slug):
    return model.objects.get(slug=slug)


def add_evidence(assessment, user, slug, *, lab="", lot="", result="pass", provided=True, **extra):
    content = f"%PDF-1.4 evidence {slug} for {assessment.pk} {lab}".encode()
    item = EvidenceItem(
        clinic=assessment.clinic,
        assessment=assessment,
        evidence_type=EvidenceType.objects.get(slug=slug),
        provided=provided,
        lab=lab,
        lot=lot,
        result=result,
        issued_on=extra.pop("issued_on", date.today() - timedelta(days=30)),
        expires_on=extra.pop("expires_on", date.today() + timedelta(days=335)),
        uploaded_by=user,
        **extra,
    )
    if provided:
        item.file.save(f"{slug}.pdf", ContentFile(content), save=False)
        item.original_filename = f"{slug}-certificate.pdf"
        item.content_type = "application/pdf"
        item.size_bytes = len(content)
        item.sha256 = hashlib.sha256(content).hexdigest()
    item.save()
    return item


def make_assessment(
    *,
    clinic,
    product,
    user,
    status=Assessment.Status.SUBMITTED,
    batch_lot="LOT-2026-0042",
    route="topical-intact-skin",
    source="plant",
    cell_status="cell-free",
    evidence=PLANT_EVIDENCE,
    **answers,
):
    """A plant serum assessment with four documents; submitted unless told otherwise."""
    now = timezone.now()
    submitted = status != Assessment.Status.DRAFT
    assessment = Assessment.objects.create(
        clinic=clinic,
        product=product,
        created_by=user,
        status=status,
        batch_lot=batch_lot,
        route=ref(Route, route) if route else None,
        marketed_as=answers.pop("marketed_as", "cosmetic"),
        source_category=ref(SourceCategory, source) if source else None,
        source_answer=answers.pop("source_answer", SOURCE_WORDS),
        cell_status=ref(CellStatus, cell_status) if cell_status else None,
        cell_status_answer=answers.pop("cell_status_answer", CELL_WORDS),
        testing_answer=answers.pop("testing_answer", TESTING_WORDS),
        submitted_by=user if submitted else None,
        submitted_at=now if submitted else None,
        **answers,
    )
    for slug, lab, lot, result in evidence:
        add_evidence(
            assessment, user, slug, lab=lab, lot=batch_lot if lot is None else lot, result=result
        )
    refresh_findings(assessment)
    assessment.save()
    return assessment


def sign(assessment, manager, **overrides):
    """Sign off through the real service (renders and stores the real PDF)."""
    from assessments.services.signoff import sign_off
    from tests.conftest import PASSWORD

    arguments = {
        "assessment": assessment,
        "by": manager,
        "password": PASSWORD,
        "meaning": "approved",
        "signed_name": "Max Manager",
        "signed_role": "Practice manager",
        "statement": "Approved for purchase of this lot only.",
    }
    arguments.update(overrides)
    return sign_off(**arguments)


def stub_pdf(label: str) -> bytes:
    """A small valid one-page PDF, for tests about storing and packing reports, not rendering."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": label})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_finalised(*, clinic, product, user, manager, **kwargs):
    """A finalised assessment with a stored stub report, without the cost of a real render."""
    assessment = make_assessment(clinic=clinic, product=product, user=user, **kwargs)
    pdf = stub_pdf(assessment.document_id)
    assessment.status = Assessment.Status.FINALISED
    assessment.finalised_at = timezone.now()
    assessment.signed_by = manager
    assessment.signed_name = "Max Manager"
    assessment.signed_role = "Practice manager"
    assessment.signature_meaning = "approved"
    assessment.report_sha256 = hashlib.sha256(pdf).hexdigest()
    assessment.report_pdf.save(f"{assessment.document_id}.pdf", ContentFile(pdf), save=False)
    assessment.save()
    return assessment


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """Text without whitespace, for values a PDF may wrap over lines (hashes, long ids)."""
    return "".join(text.split())
