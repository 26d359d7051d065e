"""Questions left unanswered (or answered "unknown"): the source (Q1), the cell status (Q2)
and the clinic's route. None of them is ever read as good news (docs/domain.md §2); every
ruleset has these three rules (§6–§8).
"""

from __future__ import annotations

from . import citations as C
from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile
from .rule import Precedence, rule


@rule(
    "SRC-UNKNOWN",
    title="Source not disclosed",
    trigger="The source is “unknown” or the question is unanswered.",
    severity=Severity.MISSING,
    citation=C.DUE_DILIGENCE_Q1,
    precedence=Precedence.UNDISCLOSED,
    next_step="Do not buy until the supplier discloses the source in writing, with a signed "
    "declaration of origin.",
)
def source_unknown(facts: Facts, p: Profile) -> Finding | None:
    """Without the origin no law can be applied: human material is banned in some uses,
    animal material restricted."""
    if not facts.origin_unknown:
        return None
    return Finding.missing(
        explanation=(
            "The supplier has not said where these exosomes come from. The origin decides "
            "which law applies and whether the product may be used at all: human-derived "
            "material, for example, is treated quite differently from plant material."
        ),
    )


@rule(
    "CELL-UNKNOWN",
    title="Cell status not disclosed",
    trigger="The cell status is “unknown” or the question is unanswered.",
    severity=Severity.MISSING,
    citation=C.DUE_DILIGENCE_Q2,
    precedence=Precedence.UNDISCLOSED,
    next_step="Ask the supplier, in writing, which it is and how cells are removed.",
)
def cell_status_unknown(facts: Facts, p: Profile) -> Finding | None:
    """Live cells change the law; cell culture brings mycoplasma and viral risk."""
    if not facts.cell_status_unknown:
        return None
    return Finding.missing(
        explanation=(
            "The supplier has not said whether the product contains live cells, is "
            "cell-free, or is a processed culture product (conditioned medium or "
            "secretome). Live cells would make it a cell therapy; culture products carry "
            "mycoplasma and viral risks that need their own tests."
        ),
    )


@rule(
    "ROUTE-UNKNOWN",
    title="Route of use not recorded",
    trigger="The clinic has not recorded how it will use the product.",
    severity=Severity.MISSING,
    citation=C.DUE_DILIGENCE_ROUTE,
    precedence=Precedence.UNDISCLOSED,
    next_step="Record the intended route: intact skin, broken skin (during or after "
    "microneedling, laser or a peel), or injection.",
)
def route_unknown(facts: Facts, p: Profile) -> Finding | None:
    """The route decides whether the product is judged as a cosmetic or a medicine."""
    if facts.route is not None:
        return None
    return Finding.missing(
        explanation=(
            "How the clinic will use the product decides which law applies: on the skin "
            "it is judged as a cosmetic, injected as a medicine, and on broken skin it "
            "needs sterility and endotoxin results."
        ),
    )


# In the order every ruleset lists them.
RULES = (source_unknown, cell_status_unknown, route_unknown)
