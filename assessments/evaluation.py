"""The bridge between stored assessments and the pure rules package.

Builds plain `Facts` from an Assessment (and its evidence), runs the jurisdiction's
ruleset, and stores the ruleset version, verdict and a snapshot of the findings.
A finalised assessment is never re-evaluated: its snapshot is the record.
"""

from datetime import date

from django.utils import timezone

from assessments.rules import (
    CELL_STATUSES,
    EVIDENCE_CATALOGUE,
    ROUTES,
    EvidenceFact,
    Facts,
    Origin,
    Result,
    evaluate,
    evidence_requirements,
)
from products.models import EvidenceType, split_inci, split_lines


def _known(slug: str | None, vocabulary) -> str | None:
    """A cell-status or route slug the rules know, else None ("not answered").

    Admins may add reference rows the rules have no law for. Reading such an answer as
    unanswered is the conservative choice: the rules then ask for the documents that
    cover every possibility, and saving a draft never fails on reference data.
    """
    return slug if slug in vocabulary else None


def _evidence_items(assessment):
    if "evidence_items" in getattr(assessment, "_prefetched_objects_cache", {}):
        return assessment.evidence_items.all()
    return assessment.evidence_items.select_related("evidence_type")


def _evidence_facts(assessment) -> tuple[EvidenceFact, ...]:
    return tuple(
        EvidenceFact(
            type=item.evidence_type.slug,
            lot=item.lot,
            issued=item.issued_on,
            expires=item.expires_on,
            result=item.result,
        )
        for item in _evidence_items(assessment)
        # A document the supplier did not provide is a record of absence, not evidence; a
        # type an admin added without a rule cannot satisfy any requirement.
        if item.provided and item.evidence_type.slug in EVIDENCE_CATALOGUE
    )


def _origin(assessment) -> Origin | None:
    source = assessment.source_category
    return Origin(source.origin_kind) if source else None


def facts_for(assessment, *, as_of: date | None = None) -> Facts:
    source = assessment.source_category
    return Facts(
        jurisdiction=assessment.jurisdiction,
        as_of=as_of or timezone.localdate(),
        source_category=source.slug if source else None,
        origin=_origin(assessment),
        cell_status=_known(getattr(assessment.cell_status, "slug", None), CELL_STATUSES),
        route=_known(getattr(assessment.route, "slug", None), ROUTES),
        marketed_as=assessment.marketed_as or "unknown",
        lot=assessment.batch_lot,
        inci=tuple(split_inci(assessment.inci)),
        claims=tuple(split_lines(assessment.claims)),
        evidence=_evidence_facts(assessment),
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


def stored_result(assessment) -> Result | None:
    """The outcome as stored on the assessment (the record for a finalised one), or None
    if it has never been evaluated. Never re-runs the rules."""
    if not assessment.ruleset_version or not assessment.verdict:
        return None
    return Result.from_dict(
        {
            "ruleset": assessment.ruleset_version,
            "verdict": assessment.verdict,
            "findings": assessment.findings or [],
        }
    )


def requirements_for(assessment):
    """The Q3 checklist: [(Requirement, EvidenceType)] for this source, cell status and route."""
    requirements = evidence_requirements(
        origin=_origin(assessment),
        cell_status=_known(getattr(assessment.cell_status, "slug", None), CELL_STATUSES),
        route=_known(getattr(assessment.route, "slug", None), ROUTES),
        marketed_as=assessment.marketed_as or "unknown",
        jurisdiction=assessment.jurisdiction,
    )
    types = EvidenceType.objects.in_bulk([r.type for r in requirements], field_name="slug")
    return [
        (requirement, types[requirement.type])
        for requirement in requirements
        if requirement.type in types
    ]
