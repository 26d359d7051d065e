"""Re-evaluating signed assessments under the current rulesets, without touching them.

The facts come from the signed record alone (assessments/signed_record.py), read as of the
day they were evaluated, so the only thing that can differ is the ruleset. A change is a
different verdict or a different set of findings (rule and severity); the diff lists both
sides. The register marks those products "Rules updated since sign-off — re-assess".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.utils import timezone

from assessments.models import Assessment
from assessments.rules import (
    EvidenceFact,
    Facts,
    Result,
    Ruleset,
    get_ruleset,
    origin_for_slug,
)
from products.models import split_inci, split_lines

RECHECK_LABEL = "Rules updated since sign-off — re-assess"


def _day(value: str) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _slug(reference: dict | None) -> str | None:
    return reference["slug"] if reference else None


def facts_from_record(record: dict[str, Any], *, as_of: date) -> Facts:
    answers = record.get("answers", {})
    source = _slug(answers.get("source_category"))
    evidence = record.get("evidence", [])
    return Facts(
        jurisdiction=record["jurisdiction"],
        as_of=as_of,
        source_category=source,
        origin=origin_for_slug(source) if source else None,
        cell_status=_slug(answers.get("cell_status")),
        route=_slug(record.get("route")),
        marketed_as=record.get("marketed_as") or "unknown",
        lot=record.get("batch_lot", ""),
        inci=tuple(split_inci(answers.get("inci", ""))),
        claims=tuple(split_lines(answers.get("claims", ""))),
        evidence=tuple(
            EvidenceFact(
                type=item["type"],
                lot=item.get("lot", ""),
                issued=_day(item.get("issued_on", "")),
                expires=_day(item.get("expires_on", "")),
                result=item.get("result") or "not-stated",
            )
            for item in evidence
            if item.get("provided")
        ),
        not_provided=frozenset(item["type"] for item in evidence if not item.get("provided")),
    )


@dataclass(frozen=True)
class Change:
    assessment: Assessment
    signed_verdict: str
    current_verdict: str
    removed: tuple[dict, ...]
    added: tuple[dict, ...]
    current_ruleset: str


def _key(finding: dict) -> tuple[str, str]:
    return finding["rule"], finding["severity"]


@lru_cache(maxsize=4096)
def _kept_result(facts: Facts, ruleset_id: int) -> tuple[Ruleset, Result]:
    ruleset = get_ruleset(facts.jurisdiction)
    return ruleset, ruleset.evaluate(facts)


def _current_result(facts: Facts) -> Result:
    """The current ruleset's result for a signed record's facts, kept per process: a rule
    is a pure function of the facts, and the register re-checks the same signed records on
    every view of a page (docs/performance.md). Keyed on the ruleset object as well, so a
    replaced ruleset is never answered for; an entry holds its ruleset, whose id therefore
    cannot be reused while it is kept. Callers only read the result."""
    return _kept_result(facts, id(get_ruleset(facts.jurisdiction)))[1]


def recheck(assessment: Assessment) -> Change | None:
    """The change the current ruleset makes to a signed assessment, or None."""
    record = assessment.signed_record
    evaluated = record.get("evaluated_at") or ""
    as_of = (
        timezone.localdate(datetime.fromisoformat(evaluated))
        if evaluated
        else timezone.localdate(assessment.finalised_at)
    )
    result = _current_result(facts_from_record(record, as_of=as_of))
    signed = record.get("findings", [])
    current = [finding.to_dict() for finding in result.findings]
    before, after = {_key(f) for f in signed}, {_key(f) for f in current}
    if result.verdict.value == record.get("verdict") and before == after:
        return None
    return Change(
        assessment,
        record.get("verdict", ""),
        result.verdict.value,
        tuple(f for f in signed if _key(f) not in after),
        tuple(f for f in current if _key(f) not in before),
        result.ruleset,
    )


def rules_changed(assessment: Assessment) -> bool:
    """Whether the register should ask for a re-assessment; a record the current rules
    cannot read (an old vocabulary) is left to the recheck command to report."""
    try:
        return recheck(assessment) is not None
    except (KeyError, ValueError):
        return False


def changed_assessments(clinic=None) -> list[Change]:
    signed = Assessment.objects.finalised().exclude(signed_record={}).order_by("pk")
    if clinic is not None:
        signed = signed.for_clinic(clinic)
    return [change for a in signed.iterator() if (change := recheck(a))]
