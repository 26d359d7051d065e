"""US-2026.11: the United States, under the FD&C Act, the PHS Act and MoCRA.

Exosome products intended to treat disease are drugs and biologics needing premarket
approval, and FDA has approved none (Public Safety Notification, 6 December 2019). Injected
products of any source are not permitted without an IND or BLA. Unlike GB and the EU, US law
does not prohibit human-derived topical cosmetics as such: a caution, with drug claims flagged
and MoCRA duties listed (docs/domain.md §8).

PROFILE holds the US names, citations and wording, and where US law differs (no ban on human
material in cosmetics; no exemption for the patient's own blood when injected). RULES lists
the rules in the order of the "How ExoCheck decides" page. There is no separate human-
medicine or placental rule: an injected human product is caught by the injection rule. The
one US-only rule, on drug claims, is here.
"""

from __future__ import annotations

from . import citations as C
from . import common, evidence_rules, sources, undisclosed
from .common import CLAIMS_SEVERITIES, CLAIMS_TRIGGER, medicinal_claims
from .facts import Facts
from .findings import Finding
from .profile import Profile
from .registry import Ruleset, register_ruleset
from .rule import Precedence, rule

PROFILE = Profile(
    code="US",
    cosmetics_law="US cosmetics law (the FD&C Act as amended by MoCRA)",
    regulator="FDA",
    authorisation="FDA IND or BLA",
    an_authorisation="an FDA IND or BLA number",
    notification="FDA facility registration and product listing under MoCRA",
    kit_marking="FDA 510(k)-cleared",
    cite_human_cosmetic=C.US_HUMAN_COSMETIC,
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
    injection_law="FDA treats exosome products intended to treat or change the body as drugs "
    "and biologics that need premarket approval, and it has approved none. An injected "
    "product, of any source, may only be used under an investigational new drug application "
    "(IND) or a biologics licence (BLA).",
    animal_rule="Animal-derived material may not include prohibited cattle materials "
    "(21 CFR 700.27); the species and tissue must be declared, with a BSE/TSE statement for "
    "bovine material.",
    bans_human_cosmetics=False,
    autologous_injection_exempt=False,
)


@rule(
    "CLAIMS-DRUG",
    title="Drug claims",
    trigger=CLAIMS_TRIGGER,
    severities=CLAIMS_SEVERITIES,
    citation=lambda p: p.cite_claims,
    precedence=Precedence.MEDICINAL_CLAIMS,
)
def drug_claims(facts: Facts, p: Profile) -> Finding | None:
    """A product is a drug by its intended use, which its claims show; the word lists are in
    terms.py."""
    return medicinal_claims(
        facts,
        p,
        law="In the US intended use decides: a product claimed to treat, cure or prevent a "
        "disease is a drug (an exosome product, a biologic) that needs FDA approval, and FDA "
        "has approved no exosome product.",
    )


RULES = (
    common.injection_without_authorisation,
    common.human_material_in_cosmetic,
    common.live_human_cells,
    common.composition_contradicts_source,
    common.cosmetic_on_compromised_skin,
    drug_claims,
    *undisclosed.RULES,
    *sources.RULES,
    *evidence_rules.RULES,
)


US = register_ruleset(
    Ruleset.for_profile(
        PROFILE,
        RULES,
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
