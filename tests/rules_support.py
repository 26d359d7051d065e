"""Helpers shared by the rule tests (test_rules_uk.py, test_rules_eu_us.py, test_rules_engine.py).

Not a test module: it holds the one way the rule tests build a product's facts, its "full"
evidence and the fires/quiet cases (docs/domain.md §6–§8).
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from assessments.rules import (
    EvidenceFact,
    Facts,
    evaluate,
    evidence_requirements,
    origin_for_slug,
)

AS_OF = date(2026, 11, 15)
LOT = "L1"


def facts_for_source(source_category, **answers):
    """Facts for one of the twelve stable source slugs, built as a stored assessment's are
    (assessments/facts/record.py): the slug and its origin kind. An unknown slug raises
    UnknownValueError."""
    return Facts(
        source_category=source_category, origin=origin_for_slug(source_category), **answers
    )


def rules_by_id(ruleset):
    """{rule id: RuleSpec} of a ruleset, read from its public `rules` list."""
    return {spec.id: spec for spec in ruleset.rules}


def rule_ids(ruleset):
    """A ruleset's rule ids, in its (the page's) order."""
    return tuple(spec.id for spec in ruleset.rules)


def full_evidence(facts, *, drop=(), change=None):
    """Every required and recommended document for these facts, current, for the facts' lot,
    passing; except those in drop, and with change[type] applied to a document's fields.

    The marketing authorisation is the legal gate, not supporting evidence: it is on file only
    when a case adds it through change (a type in change is added if not already needed).
    """
    change = change or {}
    reqs = evidence_requirements(
        origin=facts.origin,
        cell_status=facts.cell_status,
        route=facts.route,
        marketed_as=facts.marketed_as,
        jurisdiction=facts.jurisdiction,
    )
    types = [r.type for r in reqs if r.type not in (*drop, "marketing-authorisation")]
    types += [t for t in change if t not in types]
    return tuple(
        replace(
            EvidenceFact(
                t,
                lot=facts.lot,
                issued=facts.as_of - timedelta(days=30),
                expires=facts.as_of + timedelta(days=365),
                result="pass",
            ),
            **change.get(t, {}),
        )
        for t in types
    )


def make_facts(
    jurisdiction="UK",
    source="plant",
    *,
    cell_status="cell-free",
    route="topical-intact-skin",
    marketed_as="cosmetic",
    evidence="full",
    drop=(),
    change=None,
    lot=LOT,
    **answers,
):
    """One product's facts. source None leaves Q1 unanswered (answers may give an origin);
    evidence "full" is full_evidence(drop, change), otherwise the documents given."""
    base = dict(
        jurisdiction=jurisdiction,
        as_of=AS_OF,
        cell_status=cell_status,
        route=route,
        marketed_as=marketed_as,
        lot=lot,
        **answers,
    )
    facts = facts_for_source(source, **base) if source else Facts(**base)
    if evidence == "full":
        return replace(facts, evidence=full_evidence(facts, drop=drop, change=change))
    return replace(facts, evidence=tuple(evidence))


def assess(jurisdiction="UK", source="plant", **answers):
    """Evaluate one product (see make_facts) with its jurisdiction's ruleset."""
    return evaluate(make_facts(jurisdiction, source, **answers))


def findings_of(result, rule_id):
    return [f for f in result.findings if f.rule_id == rule_id]


def case(rule_id, fires, answers):
    shown = [v if isinstance(v, str) else k for k, v in answers.items()]
    verb = "fires" if fires else "quiet"
    return pytest.param(rule_id, answers, fires, id="-".join([rule_id, verb, *shown]))


def fires(rule_id, **answers):
    """A case in which rule_id must fire."""
    return case(rule_id, True, answers)


def quiet(rule_id, **answers):
    """A case in which rule_id must stay silent."""
    return case(rule_id, False, answers)


def covered(cases):
    """The (rule id, fires) pairs a list of cases covers."""
    return {(c.values[0], c.values[2]) for c in cases}
