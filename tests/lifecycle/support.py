"""Builders for lifecycle tests: signed assessments with a record, as sign-off stores it."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from assessments.models import Assessment
from assessments.signed_record import build_signed_record
from tests.factories import AssessmentFactory, ProductFactory, UserFactory


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
) -> Assessment:
    when = timezone.make_aware(datetime.combine(finalised, datetime.min.time()))
    findings = findings or []
    record = {
        "schema": 1,
        "batch_lot": lot,
        "verdict": verdict,
        "findings": findings,
        "evidence": [
            {"type": "certificate-of-analysis", "provided": True, "expires_on": day.isoformat()}
            for day in expiries
        ],
    }
    assessment = AssessmentFactory.build(
        product=product,
        created_by=UserFactory(),
        batch_lot=lot,
        status=Assessment.Status.FINALISED,
        submitted_at=when - timedelta(days=1),
        finalised_at=when,
        verdict=verdict,
        findings=findings,
    )
    # The record as sign-off builds it, with the outcome under test laid over it.
    assessment.signed_record = {
        **build_signed_record(assessment, evidence=[], document_id="EXO-TEST"),
        **record,
    }
    assessment.save()
    return assessment


def products(clinic, count: int, supplier=None):
    extra = {"supplier": supplier} if supplier else {}
    return [ProductFactory(clinic=clinic, **extra) for _ in range(count)]
