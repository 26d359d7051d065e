"""The bridge between stored assessments and the pure rules package.

Builds plain `Facts` from an Assessment (and its evidence), runs the jurisdiction's
ruleset, and stores the ruleset version, verdict and a snapshot of the findings.
A finalised assessment is never re-evaluated: its snapshot is the record.

Policy for values the rules do not know: refuse (UnknownValueError), as the JSON bridge
(facts_input.py) does. The reference data holds exactly the rules' slugs (checks.py), so a
stored answer the rules cannot read is a bug to surface, never an answer to drop.
"""

from datetime import date

from django.utils import timezone

from assessments.rules import (
    EvidenceFact,
    Facts,
    Result,
    evaluate,
    origin_for_slug,
)
from products.models import split_inci, split_lines


def evidence_items(assessment) -> list:
    """The assessment's documents as stored (a caller's prefetch is used when there is one)."""
    if "evidence_items" in getattr(assessment, "_prefetched_objects_cache", {}):
        return list(assessment.evidence_items.all())
    return list(assessment.evidence_items.select_related("evidence_type"))


def _evidence_facts(items) -> tuple[EvidenceFact, ...]:
    return tuple(
        EvidenceFact(
            type=item.evidence_type.slug,
            lot=item.lot,
            issued=item.issued_on,
            expires=item.expires_on,
            result=item.result,
        )
        for item in items
        if item.provided
    )


def assessment_date(assessment) -> date:
    """The date the stored findings were worked out for (today if never evaluated); the
    checklist of a record is read as of the same day, so the two always agree."""
    if assessment.evaluated_at is not None:
        return timezone.localdate(assessment.evaluated_at)
    return timezone.localdate()


def facts_for(assessment, *, as_of: date | None = None, items=None) -> Facts:
    """The rules' view of an assessment; `items` are its documents if already loaded."""
    items = evidence_items(assessment) if items is None else items
    source = assessment.source_category
    return Facts(
        jurisdiction=assessment.jurisdiction,
        as_of=as_of or timezone.localdate(),
        source_category=source.slug if source else None,
        origin=origin_for_slug(source.slug) if source else None,
        cell_status=getattr(assessment.cell_status, "slug", None),
        route=getattr(assessment.route, "slug", None),
        marketed_as=assessment.marketed_as or "unknown",
        lot=assessment.batch_lot,
        inci=tuple(split_inci(assessment.inci)),
        claims=tuple(split_lines(assessment.claims)),
        evidence=_evidence_facts(items),
        not_provided=frozenset(item.evidence_type.slug for item in items if not item.provided),
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
