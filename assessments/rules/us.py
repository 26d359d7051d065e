"""US-2026.11: the United States, under the FD&C Act, the PHS Act and MoCRA.

Exosome products intended to treat disease are drugs and biologics needing premarket
approval, and FDA has approved none (Public Safety Notification, 6 December 2019). Injected
products of any source are not permitted without an IND or BLA. Unlike GB and the EU, US law
does not prohibit human-derived topical cosmetics as such: a caution, with drug claims flagged
and MoCRA duties listed.
"""

from __future__ import annotations

from . import citations as C
from .common import (
    add_claims,
    add_composition_check,
    add_compromised_skin,
    add_injection,
    add_live_human_cells,
)
from .evidence_rules import add_evidence_rules
from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile
from .registry import Precedence, Ruleset, register_ruleset
from .sources import add_source_notes, add_undisclosed
from .values import Origin

PROFILE = Profile(
    code="US",
    cosmetics_law="US cosmetics law (the FD&C Act as amended by MoCRA)",
    regulator="FDA",
    authorisation="FDA IND or BLA",
    an_authorisation="an FDA IND or BLA number",
    notification="FDA facility registration and product listing under MoCRA",
    kit_marking="FDA 510(k)-cleared",
    tissue_licence="FDA establishment registration with donor eligibility under 21 CFR 1271",
    cite_human_cosmetic=C.US_HUMAN_COSMETIC,
    cite_human_medicine=C.US_INJECTION,
    cite_placental=C.US_HCTP,
    cite_composition=C.US_COMPOSITION,
    cite_injection=C.US_INJECTION,
    cite_claims=C.US_DRUG_CLAIMS,
    cite_compromised=C.US_COMPROMISED,
    cite_plant=C.US_PLANT,
    cite_animal=C.US_ANIMAL,
    cite_microbial=C.US_MICROBIAL,
    cite_synthetic=C.US_SYNTHETIC,
    cite_autologous=C.US_AUTOLOGOUS,
    cite_live_cells=C.US_HCTP,
    live_cells="The product contains live human cells. For aesthetic use such cells are more "
    "than minimally manipulated or not used for their original function, so they fail the "
    "HCT/P criteria of 21 CFR 1271.10(a): the product is a biologic that needs a licence "
    "(BLA), and FDA has approved none.",
    compromised_uncertainty="Whether such use takes a product outside the cosmetic "
    "definition is not settled: hence a caution, not a ban.",
    autologous_note="The same-surgical-procedure exception (21 CFR 1271.15(b)) covers only "
    "minimal handling in one procedure; exosomes isolated from the plasma are a biologic.",
    animal_rule="Animal-derived material may not include prohibited cattle materials "
    "(21 CFR 700.27); the species and tissue must be declared, with a BSE/TSE statement for "
    "bovine material.",
)

US = register_ruleset(
    Ruleset(
        jurisdiction="US",
        version="US-2026.11",
        name="United States",
        scope="Federal law (FDA). State laws on cosmetics and on the practice of medicine are "
        "not covered.",
        uncertainties=[
            "Human-derived topical cosmetics are not prohibited as such in the US; FDA judges "
            "them by their intended use, so claims decide whether a product is a drug.",
            "Injected products of any source, the patient's own blood included, are treated "
            "as not permitted without an IND or BLA; the same-surgical-procedure exception "
            "(21 CFR 1271.15(b)) may cover minimally handled autologous plasma, but not "
            "exosomes isolated from it.",
            "Whether use after microneedling takes a product outside the cosmetic definition "
            "is not settled: for non-human sources ExoCheck shows a caution, not a ban.",
        ],
    )
)

add_injection(
    US,
    PROFILE,
    any_source=True,
    explanation="FDA treats exosome products intended to treat or change the body as drugs "
    "and biologics that need premarket approval, and it has approved none. An injected "
    "product, of any source, may only be used under an investigational new drug application "
    "(IND) or a biologics licence (BLA).",
)


@US.rule(
    "US-SRC-HUMAN-COSMETIC",
    title="Human-derived material in a cosmetic",
    trigger="The source is human and the product is used on the skin (or the route is not stated).",
    severity=Severity.CAUTION,
    citation=C.US_HUMAN_COSMETIC,
    precedence=Precedence.HUMAN_ORIGIN,
)
def human_material_in_cosmetic(facts: Facts) -> Finding | None:
    """US law does not ban human-derived cosmetics as such, but the supplier carries MoCRA
    duties and any therapeutic claim makes the product a drug."""
    if facts.origin is not Origin.HUMAN or facts.is_injection:
        return None
    return Finding.caution(
        title="Human-derived material in a cosmetic",
        explanation=(
            "Unlike in the UK and EU, human-derived material is not prohibited in US cosmetics "
            "as such. The product must stay a cosmetic: any claim to treat a condition or "
            "change the skin's structure makes it an unapproved drug. Under MoCRA the supplier "
            "must hold safety substantiation, register and list the product, and report "
            "serious adverse events. Donor screening still matters for patient safety."
        ),
        next_step="Ask for the safety substantiation, the FDA listing number and donor-"
        "screening records, and check the claims carefully.",
    )


add_live_human_cells(US, PROFILE, citation=PROFILE.cite_live_cells, explanation=PROFILE.live_cells)
add_composition_check(
    US,
    PROFILE,
    severity=Severity.MISSING,
    consequence="Human material is not banned in US cosmetics as such, but the declaration "
    "of origin cannot be relied on until this is explained.",
)
add_compromised_skin(US, PROFILE, uncertainty=PROFILE.compromised_uncertainty)
add_claims(
    US,
    PROFILE,
    suffix="CLAIMS-DRUG",
    title="Drug claims",
    law="In the US intended use decides: a product claimed to treat, cure or prevent a "
    "disease is a drug (an exosome product, a biologic) that needs FDA approval, and FDA has "
    "approved no exosome product.",
)
add_undisclosed(US, PROFILE)
add_source_notes(US, PROFILE, autologous=PROFILE.autologous_note)
add_evidence_rules(US, PROFILE)
