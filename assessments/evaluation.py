"""The bridge between stored assessments and the pure rules package.

Builds plain `Facts` from an Assessment (and its evidence), runs the jurisdiction's
ruleset, and stores the ruleset version, verdict and a snapshot of the findings.
A finalised assessment is never re-evaluated: its snapshot is the record.
"""

from datetime import date

from django.utils import timezone

from assessments.rules import EvidenceFact, Facts, Origin, Result, evaluate, evidence_requirements
from products.models import EvidenceType, split_inci, split_lines


def facts_for(assessment, *, as_of: date | None = None) -> Facts:
    source = assessment.source_category
    evidence = tuple(
        EvidenceFact(
            type=item.evidence_type.slug,
            lot=item.lot,
            issued=item.issued_on,
            expires=item.expires_on,
            result=item.result,
        )
        for item in assessment.evidence_items.all()
        if item.provided
    )
    return Facts(
        jurisdiction=assessment.jurisdiction,
        as_of=as_of or timezone.localdate(),
        source_category=source.slug if source else None,
        origin=Origin(source.origin_kind) if source else None,
        cell_status=assessment.cell_status.slug if assessment.cell_status else None,
        route=assessment.route.slug if assessment.route else None,
        marketed_as=assessment.marketed_as or "unknown",
        lot=assessment.batch_lot,
        inci=tuple(split_inci(assessment.inci)),
        claims=tuple(split_lines(assessment.claims)),
        evidence=evidence,
    )


def evaluate_assessment(assessment, *, as_of: date | None = None) -> Result:
    return evaluate(facts_for(assessment, as_of=as_of))


def refresh_findings(assessment, *, as_of: date | None = None) -> Result | None:
    """Re-run the rules on a draft or submitted assessment and store the outcome (no save).

    Returns None, changing nothing, for a finalised assessment.
    """
    if assessment.is_finalised:
        return None
    result = evaluate_assessment(assessment, as_of=as_of)
    assessment.ruleset_version = result.ruleset
    assessment.verdict = result.verdict.value
    assessment.findings = [finding.to_dict() for finding in result.findings]
    assessment.evaluated_at = timezone.now()
    return result


def requirements_for(assessment):
    """The Q3 checklist: [(Requirement, EvidenceType)] for this source, cell status and route."""
    source = assessment.source_category
    requirements = evidence_requirements(
        origin=Origin(source.origin_kind) if source else None,
        cell_status=assessment.cell_status.slug if assessment.cell_status else None,
        route=assessment.route.slug if assessment.route else None,
        marketed_as=assessment.marketed_as or "unknown",
        jurisdiction=assessment.jurisdiction,
    )
    types = EvidenceType.objects.in_bulk([r.type for r in requirements], field_name="slug")
    return [(requirement, types[requirement.type]) for requirement in requirements if requirement.type in types]
