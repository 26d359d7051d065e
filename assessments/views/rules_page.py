"""The "How ExoCheck decides" page: every ruleset, generated from the rules package itself,
so the page cannot drift from what the rules actually do (docs/domain.md §5–§8).

The page is public: a clinic's inspector or a supplier reads the methodology without an
account. It shows nothing of any clinic: only the rules, the vocabularies and the evidence
catalogue, all of them code. Everything a reader sees is in words (verdict and severity
labels, document names); slugs appear only as anchors and class names.
"""

from dataclasses import dataclass
from functools import cache
from itertools import product

from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments.models import EvidenceItem
from assessments.reports.context import SEVERITY_LABELS
from assessments.rules import (
    CELL_STATUSES,
    MARKETED_AS,
    ROUTES,
    RULESETS,
    SOURCE_CATEGORY_ORIGINS,
    EvidenceInfo,
    EvidenceStatus,
    Origin,
    RuleSpec,
    Severity,
    Verdict,
    catalogue_for,
    evidence_requirements,
)
from assessments.rules.evidence import dated_standards
from assessments.rules.vocabulary import (
    CELL_STATUS_DISPLAY,
    ROUTE_DISPLAY,
    SOURCE_CATEGORY_DISPLAY,
    Display,
)

# When each document is asked for, in words (docs/domain.md §3). The level shown beside it is
# not written here but worked out from evidence_requirements, and a test checks that every
# catalogue entry has a sentence, so a new document cannot appear without one.
WHEN_NEEDED = {
    "certificate-of-analysis": "Always, for the lot assessed.",
    "gmp-certificate": "Always; it must be in date.",
    "origin-declaration": "Always: the product's legal status rests on its source.",
    "ev-characterisation": "Always: the product is sold as containing vesicles.",
    "ev-markers": "Always recommended for a product sold as containing vesicles.",
    "cpsr": "Marketed as a cosmetic (or not stated) and used on the skin (or the route is not "
    "stated).",
    "scpn-notification": "As the safety report: a cosmetic used on the skin.",
    "microbial-limits": "As the safety report: a cosmetic used on the skin.",
    "preservative-efficacy": "Recommended with the safety report: a cosmetic used on the skin.",
    "stability": "Always recommended.",
    "sterility": "Used on compromised skin (microneedling, laser, peel) or injected, or the "
    "route is not stated; for the lot assessed.",
    "endotoxin": "As sterility: compromised skin or injection, or the route is not stated; "
    "for the lot assessed.",
    "mycoplasma": "Live cells or a post-culture product of human or animal origin (or either "
    "answer not given).",
    "donor-screening": "Human origin.",
    "marketing-authorisation": "Injected, or marketed as a medicine.",
    "device-conformity": "The patient's own blood prepared at the point of care (autologous): "
    "the only document then required.",
}

# What each document status means (docs/domain.md §4.1), in the order the statuses are
# decided (EvidenceStatus); a test checks every status has a sentence.
STATUS_MEANING = {
    EvidenceStatus.FAILED: "A document records the result “fail”: the batch must not be used, "
    "whether or not the document was asked for.",
    EvidenceStatus.EXPIRED: "Its expiry date is before the assessment date (expiring on the "
    "day still counts).",
    EvidenceStatus.WRONG_LOT: "It speaks for one lot only, and that is not the lot assessed "
    "(or it names no lot).",
    EvidenceStatus.UNVERIFIED: "A file is uploaded, but nobody has recorded its issue date "
    "and, for a test report, its result; or it is dated after the assessment.",
    EvidenceStatus.NOT_PROVIDED: "Nothing on file, and the supplier has said it will not "
    "provide it.",
    EvidenceStatus.MISSING: "Nothing on file.",
    EvidenceStatus.ON_FILE: "None of the above: the document counts.",
}

# A rule whose findings each name their own next step (the document or answer concerned).
NEXT_STEP_IN_FINDING = "Given in each finding: it names the document or answer concerned."

_PRECEDENCE_READING = (
    "human origin, then injection, then live cells, then medicinal claims, then undisclosed "
    "answers, then evidence"
)


@dataclass(frozen=True)
class CatalogueRow:
    info: EvidenceInfo
    level: str  # "required" or "recommended", as the rules ask for it
    when: str
    # (period in words, standard) when the standard changes on a known day; else empty
    dated: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Version:
    """One wording of a rule and the days it is in force (assessments/rules/dated.py)."""

    in_force: str  # "In force", "Until 6 Aug 2027", "From 7 Aug 2027"
    citation: str


@dataclass(frozen=True)
class RuleRow:
    """One rule as the page shows it: the spec, its severities in words and its next step."""

    spec: RuleSpec
    severity_words: tuple[str, ...]
    next_step: str
    # Every wording in date order; one "In force" version for a rule the law has not changed.
    versions: tuple[Version, ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def dated(self) -> bool:
        return len(self.versions) > 1


@dataclass(frozen=True)
class VocabularyRow:
    slug: str  # an anchor only; never shown
    display: Display
    origin: str = ""


@cache  # pure: depends only on the code, and 640 combinations are worth computing once
def _levels(jurisdiction: str) -> dict[str, str]:
    """How strongly the rules ever ask for each document, over every possible answer."""
    levels: dict[str, str] = {}
    answers = product([*Origin, None], [*CELL_STATUSES, None], [*ROUTES, None], MARKETED_AS)
    for origin, cell_status, route, marketed_as in answers:
        for requirement in evidence_requirements(
            origin=origin,
            cell_status=cell_status,
            route=route,
            marketed_as=marketed_as,
            jurisdiction=jurisdiction,
        ):
            if levels.get(requirement.type) != "required":
                levels[requirement.type] = requirement.level
    return levels


def _catalogue(jurisdiction: str) -> list[CatalogueRow]:
    levels = _levels(jurisdiction)
    dated = dated_standards(jurisdiction)
    return [
        CatalogueRow(
            info,
            levels.get(slug, "recommended"),
            WHEN_NEEDED.get(slug, ""),
            tuple((period.label, standard) for period, standard in dated.get(slug, [])),
        )
        for slug, info in catalogue_for(jurisdiction).items()
    ]


def severity_label(severity: Severity) -> str:
    return SEVERITY_LABELS[severity.value]


def _rule_row(spec: RuleSpec) -> RuleRow:
    return RuleRow(
        spec=spec,
        severity_words=tuple(severity_label(s) for s in spec.severities),
        next_step=spec.next_step or NEXT_STEP_IN_FINDING,
        versions=tuple(Version(v.in_force.label, v.citation) for v in spec.versions),
    )


def _vocabularies() -> dict:
    return {
        "sources": [
            VocabularyRow(slug, display, SOURCE_CATEGORY_ORIGINS[slug].label)
            for slug, display in SOURCE_CATEGORY_DISPLAY.items()
        ],
        "cell_statuses": [
            VocabularyRow(slug, display) for slug, display in CELL_STATUS_DISPLAY.items()
        ],
        "routes": [VocabularyRow(slug, display) for slug, display in ROUTE_DISPLAY.items()],
    }


def rules_context() -> dict:
    rulesets = [
        {
            "ruleset": ruleset,
            # Each rule's severities in words, in the order the rule declares them; the row
            # is coloured by the worst (spec.severity).
            "rules": [_rule_row(spec) for spec in ruleset.rules],
            "catalogue": _catalogue(ruleset.jurisdiction),
        }
        for ruleset in RULESETS.values()
    ]
    severities = [(severity, severity_label(severity), severity.verdict) for severity in Severity]
    return {
        "rulesets": rulesets,
        "verdicts": list(Verdict),
        "severities": severities,
        "severity_words": {severity.value: label for severity, label, _verdict in severities},
        "statuses": [(status, STATUS_MEANING[status]) for status in EvidenceStatus],
        "results": [label for _value, label in EvidenceItem.Result.choices],
        "precedence_reading": _PRECEDENCE_READING,
        **_vocabularies(),
    }


@require_safe
def how_exocheck_decides(request):
    """Public: no sign-in, and nothing of any clinic on it (see the module docstring)."""
    return render(request, "assessments/rules_page.html", rules_context())
