"""Rulesets: named, versioned lists of rules, and how one set of facts is evaluated.

A rule is a plain function of Facts returning None, one Finding, or several. The decorator
records what the "How ExoCheck decides" page shows about it (title, when it fires, the worst
severity it can give, citation) and stamps its id on every finding it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import IntEnum

from .facts import Facts
from .findings import Finding, Result, Severity, Verdict
from .values import JURISDICTIONS, UnknownValueError

RuleFunc = Callable[[Facts], Finding | Iterable[Finding] | None]


class Precedence(IntEnum):
    """The order in which a reader takes findings (docs/domain.md §5): the most decisive first."""

    HUMAN_ORIGIN = 1
    ROUTE = 2  # injection first of all; use on compromised skin goes here too
    LIVE_CELLS = 3
    MEDICINAL_CLAIMS = 4
    UNDISCLOSED = 5
    SOURCE = 6  # notes on a disclosed, non-human source
    EVIDENCE = 7


@dataclass(frozen=True)
class RuleSpec:
    id: str
    title: str
    trigger: str  # plain English: when it fires
    severity: str  # the worst it can give, e.g. "critical" or "info or missing"
    citation: str
    func: RuleFunc
    precedence: Precedence

    @property
    def rationale(self) -> str:
        """The rule function's docstring: why the rule exists."""
        return " ".join((self.func.__doc__ or "").split())

    def run(self, facts: Facts) -> list[Finding]:
        out = self.func(facts)
        if out is None:
            return []
        found = [out] if isinstance(out, Finding) else list(out)
        return [
            replace(f, rule_id=f.rule_id or self.id, citation=f.citation or self.citation)
            for f in found
        ]


@dataclass
class Ruleset:
    jurisdiction: str
    version: str
    name: str
    scope: str = ""
    uncertainties: list[str] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)

    def rule(
        self,
        rule_id: str,
        *,
        title: str,
        trigger: str,
        severity: Severity | str,
        citation: str,
        precedence: Precedence,
    ) -> Callable[[RuleFunc], RuleFunc]:
        """Register the decorated function as a rule of this ruleset."""

        def register(func: RuleFunc) -> RuleFunc:
            if any(r.id == rule_id for r in self.rules):
                raise ValueError(f"{self.version}: rule {rule_id} registered twice")
            spec = RuleSpec(rule_id, title, trigger, str(severity), citation, func, precedence)
            self.rules.append(spec)
            return func

        return register

    def get_rule(self, rule_id: str) -> RuleSpec:
        for spec in self.rules:
            if spec.id == rule_id:
                return spec
        raise KeyError(rule_id)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    def evaluate(self, facts: Facts) -> Result:
        """Run every rule; order findings by precedence, then severity, then rule order."""
        keyed = []
        for rule_index, spec in enumerate(self.rules):
            for emitted, finding in enumerate(spec.run(facts)):
                key = (spec.precedence, -finding.severity.rank, rule_index, emitted)
                keyed.append((key, finding))
        findings = tuple(f for _, f in sorted(keyed, key=lambda kf: kf[0]))
        return Result(self.version, Verdict.from_findings(findings), findings)


RULESETS: dict[str, Ruleset] = {}


def register_ruleset(ruleset: Ruleset) -> Ruleset:
    RULESETS[ruleset.jurisdiction] = ruleset
    return ruleset


def get_ruleset(jurisdiction: str) -> Ruleset:
    try:
        return RULESETS[jurisdiction]
    except KeyError:
        raise UnknownValueError("jurisdiction", jurisdiction, JURISDICTIONS) from None


def evaluate(facts: Facts) -> Result:
    """Evaluate the facts with the current ruleset of their jurisdiction."""
    return get_ruleset(facts.jurisdiction).evaluate(facts)
