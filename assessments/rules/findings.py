"""Findings, their severities, and the verdict they add up to (docs/domain.md §5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Required, TypedDict, Unpack

from .values import UnknownValueError


class Severity(StrEnum):
    CRITICAL = "critical"
    MISSING = "missing"
    CAUTION = "caution"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical 3, missing 2, caution 1, info 0."""
        return _SEVERITY_RANK[self]

    @property
    def verdict(self) -> Verdict:
        return _VERDICT_FOR[self]

    @classmethod
    def parse(cls, value: Severity | str) -> Severity:
        try:
            return cls(value)
        except ValueError:
            raise UnknownValueError("severity", value, [s.value for s in cls]) from None


class Verdict(StrEnum):
    NOT_PERMITTED = "not-permitted"
    INSUFFICIENT_INFORMATION = "insufficient-information"
    CONDITIONAL = "conditional"
    ACCEPTABLE = "acceptable"

    @property
    def label(self) -> str:
        return _VERDICT_TEXT[self][0]

    @property
    def meaning(self) -> str:
        return _VERDICT_TEXT[self][1]

    @property
    def rank(self) -> int:
        """Higher is worse, in step with Severity.rank."""
        return 3 - list(Verdict).index(self)

    @classmethod
    def from_findings(cls, findings: Iterable[Finding | Severity | str]) -> Verdict:
        """The verdict of the worst severity among the findings; none at all is acceptable."""
        severities = [f.severity if isinstance(f, Finding) else Severity.parse(f) for f in findings]
        if not severities:
            return cls.ACCEPTABLE
        return max(severities, key=lambda s: s.rank).verdict


_SEVERITY_RANK = {
    Severity.CRITICAL: 3,
    Severity.MISSING: 2,
    Severity.CAUTION: 1,
    Severity.INFO: 0,
}
_VERDICT_FOR = {
    Severity.CRITICAL: Verdict.NOT_PERMITTED,
    Severity.MISSING: Verdict.INSUFFICIENT_INFORMATION,
    Severity.CAUTION: Verdict.CONDITIONAL,
    Severity.INFO: Verdict.ACCEPTABLE,
}
_VERDICT_TEXT = {
    Verdict.NOT_PERMITTED: (
        "Not permitted",
        "It cannot lawfully be used as proposed in this jurisdiction.",
    ),
    Verdict.INSUFFICIENT_INFORMATION: (
        "Insufficient information",
        "A key answer or required document is missing: the clinic cannot conclude yet, so "
        "chase the supplier.",
    ),
    Verdict.CONDITIONAL: (
        "Conditional",
        "A lawful route exists, with cautions or recommended evidence to act on.",
    ),
    Verdict.ACCEPTABLE: (
        "Acceptable",
        "No legal blocker found, and every required and recommended document is on file and "
        "current.",
    ),
}


class FindingText(TypedDict, total=False):
    """The keyword arguments of Finding.make after the severity (for Finding.critical etc.)."""

    explanation: Required[str]
    title: str
    next_step: str
    citation: str
    rule_id: str
    document: str


@dataclass(frozen=True)
class Finding:
    """One conclusion of one rule, written for a clinician, with where it comes from."""

    rule_id: str
    severity: Severity
    title: str
    explanation: str
    citation: str
    next_step: str
    # The evidence type (catalogue slug) an evidence finding is about; "" for other rules.
    # A pointer for the app, not part of what the finding says: not stored, not compared.
    document: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity.parse(self.severity))

    @classmethod
    def make(
        cls,
        severity: Severity | str,
        *,
        explanation: str,
        title: str = "",
        next_step: str = "",
        citation: str = "",
        rule_id: str = "",
        document: str = "",
    ) -> Finding:
        """A finding. Left blank, rule_id, title, citation and next_step are filled in from the
        rule that returns it (RuleSpec.run), so a rule's title is written once."""
        return cls(
            rule_id, Severity.parse(severity), title, explanation, citation, next_step, document
        )

    @classmethod
    def critical(cls, **kwargs: Unpack[FindingText]) -> Finding:
        return cls.make(Severity.CRITICAL, **kwargs)

    @classmethod
    def missing(cls, **kwargs: Unpack[FindingText]) -> Finding:
        return cls.make(Severity.MISSING, **kwargs)

    @classmethod
    def caution(cls, **kwargs: Unpack[FindingText]) -> Finding:
        return cls.make(Severity.CAUTION, **kwargs)

    @classmethod
    def info(cls, **kwargs: Unpack[FindingText]) -> Finding:
        return cls.make(Severity.INFO, **kwargs)

    def to_dict(self) -> dict[str, str]:
        """The stored and printed form. `document` stays internal: the JSON shape of a
        finding is a published interface (assess_product, stored findings)."""
        return {
            "rule": self.rule_id,
            "severity": self.severity.value,
            "title": self.title,
            "explanation": self.explanation,
            "citation": self.citation,
            "next_step": self.next_step,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Finding:
        return cls(
            rule_id=data["rule"],
            severity=Severity.parse(data["severity"]),
            title=data["title"],
            explanation=data["explanation"],
            citation=data.get("citation", ""),
            next_step=data.get("next_step", ""),
            document=data.get("document", ""),
        )


@dataclass(frozen=True)
class Result:
    """The outcome of one ruleset for one set of facts."""

    ruleset: str
    verdict: Verdict
    findings: tuple[Finding, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", Verdict(self.verdict))
        object.__setattr__(self, "findings", tuple(self.findings))

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(f.rule_id for f in self.findings)

    def to_dict(self) -> dict[str, str | list[dict[str, str]]]:
        return {
            "ruleset": self.ruleset,
            "verdict": self.verdict.value,
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        return cls(
            ruleset=data["ruleset"],
            verdict=Verdict(data["verdict"]),
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
        )
