"""ExoCheck's rule engine: pure Python, no Django (docs/domain.md §4–§8).

Build a Facts from an assessment's answers and call evaluate(facts) for a Result: the ruleset
version, the verdict and the ordered findings.

Where things are:
- rule.py: what a rule is (a module-level function with its id suffix, title, trigger,
  severities, citation, next step and precedence beside it); registry.py: rulesets.
- uk.py, eu.py, us.py: each jurisdiction's Profile (names, citations, wording) and its RULES,
  in the order of the "How ExoCheck decides" page.
- The rules: common.py (every ruleset), cosmetics_1223.py (GB and the EU), sources.py and
  undisclosed.py (every ruleset), evidence_rules.py (§4.1), and us.py's own drug-claims rule.
  To find a rule from its id, grep the id without its UK-/EU-/US- prefix: it is written
  once, in the rule's @rule line.
- Evidence: evidence.py (catalogue, what a product needs), documents.py (one status per
  document), checklist.py (the checklist everything reads).
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
from .registry import RULESETS, Ruleset, evaluate, get_ruleset
from .rule import Precedence, Rule, RuleSpec
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
    "Rule",
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
