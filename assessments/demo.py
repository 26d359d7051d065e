"""Demo assessments in every state, made through the same services people use.

Called by `manage.py seed_demo`. Runs once per clinic: if the demo clinic already has
assessments, nothing is added (so re-running the seed never duplicates a record).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfWriter

from assessments.models import Assessment
from assessments.services import DocumentUpload, save_documents_step, start_assessment
from assessments.services.drafting import save_answers, submit_assessment
from assessments.services.signoff import return_to_clinician, sign_off
from assessments.signing import SignatureMeaning
from assessments.uploads import CheckedUpload
from clinics.demo import signing_code
from products.models import EvidenceType, ExosomeProduct


@dataclass(frozen=True)
class DemoCase:
    product: str
    lot: str
    state: str  # signed, submitted, returned, draft
    documents: str = "all"  # all: every needed document, checked; none; some
    meaning: str = SignatureMeaning.APPROVED
    comment: str = ""


CASES = [
    DemoCase("Green Tea Exosome Serum", "GT-2611", "signed"),
    DemoCase("Centella Booster", "CB-0412", "signed"),
    DemoCase("ASCE+ Skin Booster", "ASCE-2409", "signed", "some", SignatureMeaning.REVIEWED),
    DemoCase("Salmon Vesicle Mask", "NB-77", "submitted", "none"),
    DemoCase(
        "Aloe Calm Mist",
        "AC-1025",
        "returned",
        "some",
        comment="The certificate of analysis is for lot AC-0925, not AC-1025: please ask the "
        "supplier for the one for our lot, and record the issue dates from the documents.",
    ),
    DemoCase("Ginseng Renewal Ampoule", "", "draft", "none"),
]


def _pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _document(row, lot: str, *, checked: bool) -> DocumentUpload:
    """`row`'s document (a checklist row), read and recorded when `checked`: a result only
    for a test report, as the wizard asks it."""
    today = timezone.localdate()
    slug = row.slug
    evidence_type = EvidenceType.objects.get(slug=slug)
    upload = CheckedUpload(
        content=_pdf(f"{evidence_type.name} — demo"),
        content_type="application/pdf",
        extension="pdf",
        original_filename=f"{slug}-{lot or 'general'}.pdf",
    )
    return DocumentUpload(
        evidence_type=evidence_type,
        upload=upload,
        lab="Eurofins Cosmetics UK Ltd" if checked else "",
        lot=lot,
        issued_on=today - timedelta(days=60) if checked else None,
        expires_on=today + timedelta(days=300),
        result="pass" if checked and row.test_report else "not-stated",
    )


def _add_documents(assessment: Assessment, case: DemoCase, user) -> Assessment:
    from assessments.checklist import checklist_for

    rows = checklist_for(assessment).documents
    if case.documents == "none":
        uploads = []
    elif case.documents == "all":
        uploads = [_document(row, case.lot, checked=True) for row in rows]
    else:  # some: half on file and checked, one bare upload, one for another lot
        half = rows[: len(rows) // 2]
        uploads = [_document(row, case.lot, checked=True) for row in half]
        if len(rows) > len(half):
            uploads.append(_document(rows[len(half)], case.lot, checked=False))
        if rows and rows[0].lot_specific:
            uploads[0] = _document(rows[0], case.lot.replace("10", "09"), checked=True)
    return save_documents_step(
        assessment=assessment,
        by=user,
        testing_answer="Sterility (Ph. Eur. 2.6.1), endotoxin and microbial limits on every lot; "
        "certificates attached.",
        uploads=uploads,
        resume_at=5,
    )


def _walk(case: DemoCase, clinic, users: dict, password: str) -> Assessment:
    clinician, manager = users["clinician"], users["manager"]
    product = ExosomeProduct.objects.get(clinic=clinic, name=case.product)
    assessment = start_assessment(clinic=clinic, by=clinician, product=product)
    answers = {"batch_lot": case.lot}
    if case.state == "draft":
        return save_answers(assessment=assessment, by=clinician, answers=answers, resume_at=2)
    assessment = save_answers(assessment=assessment, by=clinician, answers=answers, resume_at=4)
    assessment = _add_documents(assessment, case, clinician)
    assessment = submit_assessment(assessment=assessment, by=clinician)
    if case.state == "returned":
        return return_to_clinician(assessment=assessment, by=manager, comment=case.comment)
    if case.state == "signed":
        return sign_off(
            assessment=assessment,
            by=manager,
            password=password,
            otp_code=signing_code(manager),
            meaning=case.meaning,
            signed_name=manager.get_full_name(),
            signed_role="Practice manager",
        )
    return assessment


def seed_assessments(*, clinic, users: dict, password: str) -> list[Assessment]:
    """The demo assessments, once; `users` maps "clinician" and "manager" to users."""
    if Assessment.objects.for_clinic(clinic).exists():
        return []
    return [_walk(case, clinic, users, password) for case in CASES]


def seed(demo: dict) -> None:
    made = seed_assessments(clinic=demo["clinic"], users=demo["users"], password=demo["password"])
    if made:
        demo.setdefault("notes", []).append(
            f"  {len(made)} demo assessments: signed off (with stored PDFs), waiting for "
            "review, returned with a comment, and a draft."
        )
