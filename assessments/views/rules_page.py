"""The "How ExoCheck decides" page: every ruleset, generated from the rules package itself,
so the page cannot drift from what the rules actually do (docs/domain.md §5–§8)."""

from dataclasses import dataclass
from functools import cache
from itertools import product

from django.shortcuts import render

from assessments.rules import (
    CELL_STATUSES,
    MARKETED_AS,
    RESULTS,
    ROUTES,
    RULESETS,
    EvidenceInfo,
    Origin,
    Severity,
    Verdict,
    catalogue_for,
    evidence_requirements,
)
from clinics.decorators import clinic_member_required

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

_PRECEDENCE_READING = (
    "human origin, then injection, then live cells, then medicinal claims, then undisclosed "
    "answers, then evidence"
)


@dataclass(frozen=True)
class CatalogueRow:
    info: EvidenceInfo
    level: str  # "required" or "recommended", as the rules ask for it
    when: str


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
    return [
        CatalogueRow(info, levels.get(slug, "recommended"), WHEN_NEEDED.get(slug, ""))
        for slug, info in catalogue_for(jurisdiction).items()
    ]


def rules_context() -> dict:
    rulesets = [
        {
            "ruleset": ruleset,
            # Each rule's severities are Severity values (spec.severities; the worst is
            # spec.severity): the template lists them, coloured by the worst.
            "rules": ruleset.rules,
            "catalogue": _catalogue(ruleset.jurisdiction),
        }
        for ruleset in RULESETS.values()
    ]
    severities = [(severity, severity.verdict) for severity in Severity]
    return {
        "rulesets": rulesets,
        "verdicts": list(Verdict),
        "severities": severities,
        "results": RESULTS,
        "precedence_reading": _PRECEDENCE_READING,
    }


@clinic_member_required
def how_exocheck_decides(request):
    return render(request, "assessments/rules_page.html", rules_context())
