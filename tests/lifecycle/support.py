"""Builders for lifecycle tests: signed assessments with a record, as sign-off stores it."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from assessments.models import Assessment
from assessments.signed_record import build_signed_record
from tests.factories import AssessmentFactory, EvidenceItemFactory, ProductFactory, UserFactory


def caution(title: str) -> dict:
    return {
        "rule": "T-CAUTION",
        "severity": "caution",
        "title": title,
        "explanation": "",
        "citation": "",
        "next_step": "",
    }


def signed_assessment(
    product,
    *,
    finalised: date,
    verdict: str = "acceptable",
    expiries: tuple[date, ...] = (),
    findings: list | None = None,
    lot: str = "LOT-2026-0042",
    meaning: str = "approved",
) -> Assessment:
    """A finalised assessment of `product`, with one provided document expiring on each of
    `expiries` (real evidence rows), signed as sign-off does: from submitted, in one save."""
    when = timezone.make_aware(datetime.combine(finalised, datetime.min.time()))
    findings = findings or []
    assessment = AssessmentFactory(
        product=product,
        created_by=UserFactory(),
        batch_lot=lot,
        status=Assessment.Status.SUBMITTED,
        submitted_at=when - timedelta(days=1),
        verdict=verdict,
        findings=findings,
        signature_meaning=meaning,
    )
    items = [
        EvidenceItemFactory(
            assessment=assessment, expires_on=day, issued_on=day - timedelta(days=400)
        )
        for day in expiries
    ]
    # The record as sign-off builds it, with the outcome under test laid over it.
    outcome = {"schema": 1, "batch_lot": lot, "verdict": verdict, "findings": findings}
    assessment.signed_record = {
        **build_signed_record(assessment, evidence=items, document_id="EXO-TEST"),
        **outcome,
    }
    assessment.status = Assessment.Status.FINALISED
    assessment.finalised_at = when
    assessment.save()
    return assessment


def products(clinic, count: int, supplier=None):
    extra = {"supplier": supplier} if supplier else {}
    return [ProductFactory(clinic=clinic, **extra) for _ in range(count)]
