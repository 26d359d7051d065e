"""ExoCheck's rule engine: pure Python, no Django.

Build a Facts from an assessment's answers and call evaluate(facts) for a Result: the ruleset
version, the verdict and the ordered findings. Each jurisdiction's rules live in uk.py, eu.py
and us.py, written once in common.py, sources.py and evidence_rules.py.
"""

from . import eu, uk, us  # noqa: F401  (importing a ruleset module registers it)
from .checklist import ADDITIONAL, ChecklistEntry, evidence_checklist
from .documents import EvidenceStatus, document_status, status_of
from .evidence import (
    EVIDENCE_CATALOGUE,
    EvidenceInfo,
    Requirement,
    catalogue_for,
    evidence_requirements,
)
from .facts import EvidenceFact, Facts
from .findings import Finding, Result, Severity, Verdict
from .registry import RULESETS, Precedence, Ruleset, RuleSpec, evaluate, get_ruleset
from .values import (
    CELL_STATUSES,
    JURISDICTIONS,
    MARKETED_AS,
    RESULTS,
    ROUTES,
    SOURCE_CATEGORY_ORIGINS,
    Origin,
    UnknownValueError,
    origin_for_slug,
)

__all__ = [
    "ADDITIONAL",
    "ChecklistEntry",
    "EvidenceStatus",
    "document_status",
    "evidence_checklist",
    "status_of",
    "CELL_STATUSES",
    "EVIDENCE_CATALOGUE",
    "JURISDICTIONS",
    "MARKETED_AS",
    "RESULTS",
    "ROUTES",
    "RULESETS",
    "SOURCE_CATEGORY_ORIGINS",
    "EvidenceFact",
    "EvidenceInfo",
    "Facts",
    "Finding",
    "Origin",
    "Precedence",
    "Requirement",
    "Result",
    "RuleSpec",
    "Ruleset",
    "Severity",
    "UnknownValueError",
    "Verdict",
    "catalogue_for",
    "evaluate",
    "evidence_requirements",
    "get_ruleset",
    "origin_for_slug",
]
