"""UK-2026.11: Great Britain, under the retained cosmetics law and the Human Medicines
Regulations 2012 (docs/domain.md §6).

PROFILE holds the UK's names, citations and wording; RULES lists the rules in the order of
the "How ExoCheck decides" page. The same rules as the EU (eu.py): the ones GB and the EU
share are in cosmetics_1223.py, the ones every ruleset has in common.py, sources.py,
undisclosed.py and evidence_rules.py.
"""

from __future__ import annotations

from . import citations as C
from . import cosmetics_1223
from .profile import Profile
from .registry import Ruleset, register_ruleset

NO_MHRA_STATEMENT = (
    "No MHRA statement specific to exosomes was found: the GB position rests on Annex II "
    "entry 416 of the UK Cosmetics Regulation and a 2025 Department for Business and Trade "
    "statement."
)
COMPROMISED_SKIN_UNSETTLED = (
    "Whether use after microneedling (or laser, or a peel) takes a cosmetic outside the "
    "cosmetic definition is not settled law: for non-human sources ExoCheck shows a caution, "
    "not a ban."
)

PROFILE = Profile(
    code="UK",
    cosmetics_law="the UK Cosmetics Regulation",
    regulator="the MHRA",
    authorisation="MHRA marketing or clinical-trial authorisation",
    an_authorisation="an MHRA marketing or clinical-trial authorisation",
    notification="an SCPN notification naming a GB Responsible Person",
    kit_marking="UKCA or CE marked",
    tissue_licence="a Human Tissue Authority (HTA) licence; the HTA lists amniotic membrane "
    "among the tissues covered",
    cite_human_cosmetic=C.UK_ANNEX_II_416,
    cite_human_medicine=C.UK_HMR_FUNCTION,
    cite_placental=C.UK_HUMAN_TISSUE,
    cite_composition=C.UK_ANNEX_II_416_COSING,
    cite_injection=C.UK_INJECTION,
    cite_claims=C.UK_HMR_PRESENTATION,
    cite_compromised=C.UK_COMPROMISED,
    cite_plant=C.UK_PLANT,
    cite_animal=C.UK_ANNEX_II_419,
    cite_microbial=C.UK_MICROBIAL,
    cite_synthetic=C.UK_SYNTHETIC,
    cite_autologous=C.UK_AUTOLOGOUS,
    cite_live_cells=C.UK_HMR_ATMP,
    live_cells="The product contains live human cells, which makes it a cell-based advanced "
    "therapy medicinal product (ATMP): it needs a marketing authorisation, and the cells must "
    "be procured under a Human Tissue Authority licence.",
    compromised_uncertainty="Whether such use takes a cosmetic outside the cosmetic "
    "definition is not settled law, and no MHRA statement specific to exosomes was found: "
    "hence a caution, not a ban.",
    autologous_note="If vesicles are further isolated from the plasma, the result may be a "
    "medicine: seek MHRA borderline advice first.",
    injection_law=cosmetics_1223.INJECTION_LAW,
    human_ban_note=" The Department for Business and Trade confirmed in 2025 that this covers "
    "human-derived exosomes.",
)

RULES = cosmetics_1223.RULES

UK = register_ruleset(
    Ruleset.for_profile(
        PROFILE,
        RULES,
        version="UK-2026.11",
        name="United Kingdom (Great Britain)",
        scope="England, Scotland and Wales. Northern Ireland follows EU cosmetics law; for "
        "human-derived material the outcome is the same as in Great Britain.",
        uncertainties=[NO_MHRA_STATEMENT, COMPROMISED_SKIN_UNSETTLED],
    )
)
