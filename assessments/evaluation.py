"""The bridge between stored assessments and the pure rules package.

Builds plain `Facts` from an Assessment (and its evidence), runs the jurisdiction's
ruleset, and stores the ruleset version, verdict and a snapshot of the findings.
A finalised assessment is never re-evaluated: its snapshot is the record.

The facts themselves come from assessments/facts/ (record.py for stored assessments,
json_input.py for `assess_product`), which share one policy for unknown values: refuse.
"""

from datetime import date

from django.utils import timezone

from assessments.facts import assessment_date, evidence_items, facts_for
from assessments.rules import Result, evaluate

__all__ = [
    "assessment_date",
    "evaluate_assessment",
    "evidence_items",
    "facts_for",
    "refresh_findings",
]


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
