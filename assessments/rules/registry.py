"""Rulesets: named, versioned, ordered lists of rules, and how one set of facts is evaluated
(docs/domain.md §5).

Each jurisdiction module (uk.py, eu.py, us.py) declares its RULES in order and registers one
Ruleset built from them with Ruleset.for_profile. What a rule is: rule.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypedDict, Unpack

from .facts import Facts
from .findings import Result, Verdict
from .profile import Profile
from .rule import Amendment, Precedence, Rule, RuleSpec, bind_all
from .values import JURISDICTIONS, UnknownValueError

__all__ = [
    "RULESETS",
    "Precedence",
    "RuleSpec",
    "Ruleset",
    "evaluate",
    "get_ruleset",
    "register_ruleset",
]


class RulesetDetails(TypedDict, total=False):
    """The optional Ruleset fields Ruleset.for_profile passes on."""

    scope: str
    uncertainties: list[str]


@dataclass
class Ruleset:
    jurisdiction: str
    version: str
    name: str
    scope: str = ""
    uncertainties: list[str] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)  # in the order of the page
    # Known dated changes of the law, already folded into the rules' versions (dated.py);
    # kept so the page can say what changes on which day.
    amendments: tuple[Amendment, ...] = ()

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for spec in self.rules:
            if spec.id in seen:
                raise ValueError(f"{self.version}: rule {spec.id} registered twice")
            if not spec.id.startswith(f"{self.jurisdiction}-"):
                raise ValueError(f"{self.version}: rule {spec.id} is not a {self.jurisdiction} id")
            seen.add(spec.id)

    @classmethod
    def for_profile(
        cls,
        profile: Profile,
        rules: Iterable[Rule],
        *,
        version: str,
        name: str,
        amendments: Sequence[Amendment] = (),
        **details: Unpack[RulesetDetails],
    ) -> Ruleset:
        """The ruleset of profile's jurisdiction: its rules, in order, bound to the profile and
        dated by its amendments (each rule applies the wording in force on the facts' as_of)."""
        return cls(
            profile.code,
            version,
            name,
            rules=bind_all(rules, profile, amendments),
            amendments=tuple(amendments),
            **details,
        )

    def evaluate(self, facts: Facts) -> Result:
        """Run every rule as worded on facts.as_of; order findings by precedence, then
        severity, then rule order."""
        keyed = []
        for rule_index, spec in enumerate(self.rules):
            for emitted, finding in enumerate(spec.run(facts)):
                key = (spec.precedence, -finding.severity.rank, rule_index, emitted)
                keyed.append((key, finding))
        findings = tuple(f for _, f in sorted(keyed, key=lambda kf: kf[0]))
        return Result(self.version, Verdict.from_findings(findings), findings)


RULESETS: dict[str, Ruleset] = {}


def register_ruleset(ruleset: Ruleset) -> Ruleset:
    """Register the current ruleset of its jurisdiction; RULESETS keeps the order of
    JURISDICTIONS (UK, EU, US), whatever order the modules are imported in."""
    RULESETS[ruleset.jurisdiction] = ruleset
    ordered = {j: RULESETS[j] for j in JURISDICTIONS if j in RULESETS}
    RULESETS.clear()
    RULESETS.update(ordered)
    return ruleset


def get_ruleset(jurisdiction: str) -> Ruleset:
    try:
        return RULESETS[jurisdiction]
    except KeyError:
        raise UnknownValueError("jurisdiction", jurisdiction, JURISDICTIONS) from None


def evaluate(facts: Facts) -> Result:
    """Evaluate the facts with the current ruleset of their jurisdiction."""
    return get_ruleset(facts.jurisdiction).evaluate(facts)
