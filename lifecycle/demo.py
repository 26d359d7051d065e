"""Demo data for the approved-products register, for `manage.py seed_demo` (idempotent).

The assessments app's demo signs its approvals with documents valid for 300 days, so nothing
would be due for a reminder. Here the Green Tea Exosome Serum is re-assessed for a new lot,
approved today on documents whose certificate of analysis runs out in three weeks: the
register and the dashboard show it "expiring within 30 days", and `send_reminders` (run by
`make run`) notifies the demo's practice manager. Made through the same services people use;
runs after the assessments demo (INSTALLED_APPS order), and never twice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from assessments.checklist import checklist_for
from assessments.demo import _document
from assessments.models import Assessment
from assessments.services import save_documents_step, start_assessment
from assessments.services.drafting import save_answers, submit_assessment
from assessments.services.signoff import sign_off
from assessments.signing import SignatureMeaning
from clinics.demo import signing_code
from products.models import ExosomeProduct

PRODUCT = "Green Tea Exosome Serum"  # signed off by the assessments demo, for lot GT-2611
LOT = "GT-2612"
EXPIRES_IN_DAYS = 21  # inside the 30-day reminder, outside the 7-day one


def _approve(product: ExosomeProduct, users: dict, password: str) -> Assessment:
    """Every needed document checked and in date, but the certificate of analysis expires in
    EXPIRES_IN_DAYS days; submitted by the clinician, signed off by the practice manager."""
    clinician, manager = users["clinician"], users["manager"]
    assessment = start_assessment(clinic=product.clinic, by=clinician, product=product)
    assessment = save_answers(
        assessment=assessment, by=clinician, answers={"batch_lot": LOT}, resume_at=4
    )
    soon = timezone.localdate() + timedelta(days=EXPIRES_IN_DAYS)
    uploads = [_document(row, LOT, checked=True) for row in checklist_for(assessment).documents]
    uploads = [
        replace(u, expires_on=soon) if u.evidence_type.slug == "certificate-of-analysis" else u
        for u in uploads
    ]
    assessment = save_documents_step(
        assessment=assessment,
        by=clinician,
        testing_answer="Certificate of analysis, microbial limits and stability for every lot.",
        uploads=uploads,
        resume_at=5,
    )
    assessment = submit_assessment(assessment=assessment, by=clinician)
    return sign_off(
        assessment=assessment,
        by=manager,
        password=password,
        otp_code=signing_code(manager),
        meaning=SignatureMeaning.APPROVED,
        signed_name=manager.get_full_name(),
        signed_role="Practice manager",
    )


def seed(demo: dict) -> None:
    clinic, users = demo["clinic"], demo["users"]
    product = ExosomeProduct.objects.filter(clinic=clinic, name=PRODUCT).first()
    if product is None or Assessment.objects.filter(product=product, batch_lot=LOT).exists():
        return
    _approve(product, users, demo["password"])
    demo.setdefault("notes", []).append(
        f"  {PRODUCT} re-assessed for lot {LOT}: approved, but its certificate of analysis "
        f"expires in {EXPIRES_IN_DAYS} days (see the register, the dashboard and the "
        "reminders `send_reminders` sends)."
    )
