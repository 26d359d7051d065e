"""What a rule is: a module-level function and, right above it, what the "How ExoCheck
decides" page says about it (docs/domain.md §5). For example, in sources.py:

    @rule(
        "SRC-…",  # the id suffix: the full id is "<UK|EU|US>-SRC-…"
        title="Plant-derived vesicles",
        trigger="The source is plant and the product is used on the skin.",
        severity=Severity.INFO,  # or severities=(Severity.INFO, Severity.MISSING)
        citation=lambda p: p.cite_plant,  # or a constant from citations.py
        precedence=Precedence.SOURCE,
        next_step="Keep those documents on file; the evidence findings show any gaps.",
    )
    def plant_source(facts: Facts, p: Profile) -> Finding | None:
        \"\"\"Why the rule exists: the page shows this docstring.\"\"\"

Every rule function takes the facts and the jurisdiction's Profile (always named `p`) and
returns None, one Finding, or several. A finding may leave out its title, citation and next
step: the rule's own are filled in, so a title is written once. Where the jurisdictions
differ, trigger, severity, citation and next_step may be a function of the Profile instead of
a value. Each id suffix is written once, in its @rule line, so one grep finds the rule.

uk.py, eu.py and us.py list their rules in order (RULES) and bind them to their Profile:
`rule.bind(profile)` gives a RuleSpec, the rule as that ruleset applies it, with its full id
and every value resolved. A Rule can also be called alone: `plant_source(facts, uk.PROFILE)`
returns its findings, complete, exactly as the UK ruleset would give them.

Where the law changes on a known day (dated.py), bind_all gives the rule one RuleSpec whose
`versions` are in force one after another; RuleSpec.run applies the version in force on the
facts' as_of, so an assessment is judged by the law of its own date.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import IntEnum
from functools import partial
from typing import Protocol, TypeAlias, TypeVar, cast

from .dated import ALWAYS, Period, periods
from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile

T = TypeVar("T")
# A value that is the same in every jurisdiction, or read from the jurisdiction's Profile.
PerProfile: TypeAlias = T | Callable[[Profile], T]
Severities: TypeAlias = Severity | tuple[Severity, ...]
RuleOutput: TypeAlias = Finding | Iterable[Finding] | None
BoundFunc: TypeAlias = Callable[[Facts], RuleOutput]


class RuleFunc(Protocol):
    """A rule function: its parameters are named (facts, p), which Rule checks, and
    Rule.bind passes p by name."""

    def __call__(self, facts: Facts, p: Profile) -> RuleOutput: ...


class Precedence(IntEnum):
    """The order in which a reader takes findings (docs/domain.md §5): the most decisive first."""

    HUMAN_ORIGIN = 1
    ROUTE = 2  # injection first of all; use on compromised skin goes here too
    LIVE_CELLS = 3
    MEDICINAL_CLAIMS = 4
    UNDISCLOSED = 5
    SOURCE = 6  # notes on a disclosed, non-human source
    EVIDENCE = 7


def _resolve(value: PerProfile[T], p: Profile) -> T:
    return value(p) if callable(value) else value


def _severities(value: Severities | str | Iterable[Severity | str]) -> tuple[Severity, ...]:
    if isinstance(value, str):  # a Severity is a str too
        return (Severity.parse(value),)
    return tuple(Severity.parse(s) for s in value)


def _docstring(func: Callable[..., object]) -> str:
    return " ".join((func.__doc__ or "").split())


@dataclass(frozen=True)
class RuleSpec:
    """One rule as one ruleset applies it: full id, the page's texts for that jurisdiction,
    and the function of the facts to run."""

    id: str
    title: str
    trigger: str  # plain English: when it fires
    severities: tuple[Severity, ...]  # every severity it can give, e.g. (INFO, MISSING)
    citation: str
    func: BoundFunc
    precedence: Precedence
    next_step: str = ""  # for findings that do not give their own
    rationale: str = ""  # why the rule exists; by default the function's docstring
    in_force: Period = ALWAYS
    # The same rule as later amendments word it, each in force after the one before
    # (dated.py); empty for a rule the law has not changed.
    amended: tuple[RuleSpec, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "severities", _severities(self.severities))
        for name in ("id", "title", "trigger", "severities", "citation"):
            if not getattr(self, name):
                raise ValueError(f"rule {self.id or '?'}: no {name}")
        if not self.rationale:
            object.__setattr__(self, "rationale", _docstring(self.func))

    @property
    def severity(self) -> Severity:
        """The worst severity the rule can give."""
        return max(self.severities, key=lambda s: s.rank)

    @property
    def versions(self) -> tuple[RuleSpec, ...]:
        """Every wording of the rule, oldest first; one for a rule the law has not changed."""
        return (self, *self.amended)

    def on(self, day: date) -> RuleSpec | None:
        """The wording in force on `day`, or None if the rule is not in force then."""
        return next((v for v in self.versions if v.in_force.contains(day)), None)

    def run(self, facts: Facts) -> list[Finding]:
        """The findings of the wording in force on the facts' as_of, with its id, and its
        title, citation and next step wherever a finding leaves them out."""
        spec = self.on(facts.as_of)
        out = spec.func(facts) if spec else None
        if spec is None or out is None:
            return []
        found = [out] if isinstance(out, Finding) else list(out)
        return [
            replace(
                f,
                rule_id=f.rule_id or spec.id,
                title=f.title or spec.title,
                citation=f.citation or spec.citation,
                next_step=f.next_step or spec.next_step,
            )
            for f in found
        ]


@dataclass(frozen=True)
class Rule:
    """A rule function with what the page says about it, before a jurisdiction is chosen."""

    func: RuleFunc
    suffix: str
    title: str
    trigger: PerProfile[str]
    severities: PerProfile[Severities]
    citation: PerProfile[str]
    precedence: Precedence
    next_step: PerProfile[str] = ""

    def __post_init__(self) -> None:
        params = list(inspect.signature(self.func).parameters)
        if params != ["facts", "p"]:
            raise TypeError(f"rule {self.suffix}: the function must take (facts, p), not {params}")

    def id_in(self, p: Profile) -> str:
        return f"{p.code}-{self.suffix}"

    def bind(self, p: Profile) -> RuleSpec:
        """This rule as the ruleset of profile p applies it."""
        return RuleSpec(
            id=self.id_in(p),
            title=self.title,
            trigger=_resolve(self.trigger, p),
            severities=_severities(_resolve(self.severities, p)),
            citation=_resolve(self.citation, p),
            func=partial(self.func, p=p),
            precedence=self.precedence,
            next_step=_resolve(self.next_step, p),
            rationale=_docstring(self.func),
        )

    def __call__(self, facts: Facts, p: Profile) -> list[Finding]:
        """Run this rule alone, as the ruleset of profile p would."""
        return self.bind(p).run(facts)


def rule(
    suffix: str,
    *,
    title: str,
    trigger: PerProfile[str],
    citation: PerProfile[str],
    precedence: Precedence,
    severity: PerProfile[Severity] | None = None,
    severities: PerProfile[tuple[Severity, ...]] | None = None,
    next_step: PerProfile[str] = "",
) -> Callable[[RuleFunc], Rule]:
    """The decorator: a Rule with everything but its function. Give exactly one of severity
    and severities."""
    if (severity is None) == (severities is None):
        raise TypeError(f"rule {suffix}: give exactly one of severity and severities")
    # Exactly one is given (checked just above), so this is never None.
    chosen = cast("PerProfile[Severities]", severities if severity is None else severity)
    return partial(
        Rule,
        suffix=suffix,
        title=title,
        trigger=trigger,
        severities=chosen,
        citation=citation,
        precedence=precedence,
        next_step=next_step,
    )


@dataclass(frozen=True)
class Amendment:
    """A dated change of the law (dated.py): from `effective_from`, `rules` read `profile`
    instead of the jurisdiction's previous one. Later amendments of the same rule take over
    in date order, so each amendment's profile is the whole profile in force from its day."""

    effective_from: date
    profile: Profile
    rules: tuple[Rule, ...]
    why: str  # one line for the reader: what changed in the law that day

    def touches(self, rule: Rule) -> bool:
        return any(rule is amended for amended in self.rules)


def bind_in_time(r: Rule, p: Profile, amendments: Sequence[Amendment] = ()) -> RuleSpec:
    """Rule r bound to profile p until its first amendment, then to each amendment's profile
    in turn: one RuleSpec whose versions cover every day exactly once."""
    changes = sorted((a for a in amendments if a.touches(r)), key=lambda a: a.effective_from)
    if not changes:
        return r.bind(p)
    spans = periods([a.effective_from for a in changes])
    profiles = [p, *(a.profile for a in changes)]
    first, *later = (
        replace(r.bind(profile), in_force=span)
        for profile, span in zip(profiles, spans, strict=True)
    )
    return replace(first, amended=tuple(later))


def bind_all(
    rules: Iterable[Rule], p: Profile, amendments: Sequence[Amendment] = ()
) -> list[RuleSpec]:
    """A jurisdiction's RULES, in order, bound to its profile and dated by its amendments."""
    return [bind_in_time(r, p, amendments) for r in rules]
