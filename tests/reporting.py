"""Builders for report, sign-off and export tests: a submitted assessment without the wizard.

Plain functions (not fixtures) so each test states the assessment it needs.
"""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import Assessment
from assessments.signed_record import build_signed_record
from products.models import CellStatus, Route, SourceCategory
from tests.factories import AssessmentFactory, EvidenceItemFactory, evaluated, ref

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


def add_evidence(assessment, user, slug, *, lab="", lot="", result="pass", provided=True, **extra):
    if not provided:
        return EvidenceItemFactory(assessment=assessment, uploaded_by=user, slug=slug, refused=True)
    return EvidenceItemFactory(
        assessment=assessment, uploaded_by=user, slug=slug, lab=lab, lot=lot, result=result, **extra
    )


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
    submitted = status != Assessment.Status.DRAFT
    assessment = AssessmentFactory(
        clinic=clinic,
        product=product,
        created_by=user,
        status=status,
        submitted_by=user if submitted else None,
        submitted_at=timezone.now() if submitted else None,
        batch_lot=batch_lot,
        route=ref(Route, route),
        source_category=ref(SourceCategory, source),
        cell_status=ref(CellStatus, cell_status),
        source_answer=answers.pop("source_answer", SOURCE_WORDS),
        cell_status_answer=answers.pop("cell_status_answer", CELL_WORDS),
        testing_answer=answers.pop("testing_answer", TESTING_WORDS),
        **answers,
    )
    for slug, lab, lot, result in evidence:
        add_evidence(
            assessment, user, slug, lab=lab, lot=batch_lot if lot is None else lot, result=result
        )
    return evaluated(assessment)


def sign(assessment, manager, **overrides):
    """Sign off through the real service (renders and stores the real PDF)."""
    from assessments.services.signoff import sign_off
    from tests.factories import PASSWORD, code_for

    arguments = {
        "assessment": assessment,
        "by": manager,
        "password": PASSWORD,
        "meaning": "reviewed",
        "signed_name": "Max Manager",
        "signed_role": "Practice manager",
        "statement": "Approved for purchase of this lot only.",
    }
    arguments.update(overrides)
    if "otp_code" not in arguments:
        # A code the signer's authenticator app shows now (21 CFR 11.200: two components).
        # Only when none is given: code_for lets the app's last code be used again.
        arguments["otp_code"] = code_for(manager)
    return sign_off(**arguments)


def sign_off_data(signer="manager", **overrides) -> dict:
    """What the review page's sign-off form posts for `signer` (a user or a username). The
    printed name is not among it: a disabled field, which a browser never sends. Without an
    `otp_code` override, the code `signer`'s authenticator app shows now (tests/conftest.py
    enrols managers)."""
    from clinics.models import User
    from tests.factories import PASSWORD, code_for

    data = {
        "signed_role": "Practice manager",
        "meaning": "reviewed",
        "statement": "Approved for this lot.",
        "password": PASSWORD,
    }
    data.update(overrides)
    if "otp_code" not in data:
        user = User.objects.filter(username=signer).first() if isinstance(signer, str) else signer
        data["otp_code"] = code_for(user)
    return data


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
    # What the sign-off service stores in the same save, by the same builder (documents in
    # the service's order).
    assessment.signed_record = build_signed_record(
        assessment,
        evidence=assessment.evidence_items.select_related("evidence_type").order_by("pk"),
    )
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
