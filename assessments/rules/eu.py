"""EU-2026.11: the European Union (and, for cosmetics, Northern Ireland).

The same cosmetics rules as Great Britain — both rest on Reg. (EC) 1223/2009 — read with EU
law: notification on the CPNP with an EU Responsible Person; injected or therapeutic vesicles
are medicinal products under Directive 2001/83/EC; unmodified vesicles are not ATMPs (EMA/CAT
2025), live cells are; Directive 2004/23/EC governs human starting material until the SoHO
Regulation (EU) 2024/1938 applies on 7 August 2027 (docs/domain.md §7).

PROFILE holds the EU's names, citations and wording; RULES lists the rules in the order of the
"How ExoCheck decides" page: the same rules as the UK (uk.py), from cosmetics_1223.py (what GB
and the EU share), common.py, sources.py, undisclosed.py and evidence_rules.py.

SOHO is the one dated change already known (dated.py): from 7 August 2027 the rules on human
starting material read PROFILE_SOHO, so an assessment dated on or before 6 August 2027 cites
Directive 2004/23/EC and one dated from 7 August 2027 cites the SoHO Regulation.
"""

from __future__ import annotations

from dataclasses import replace

from . import citations as C
from . import cosmetics_1223, sources
from .profile import Profile
from .registry import Ruleset, register_ruleset
from .rule import Amendment

PROFILE = Profile(
    code="EU",
    cosmetics_law="the EU Cosmetics Regulation",
    regulator="the national competent authority",
    authorisation="EU or national marketing authorisation, or clinical-trial authorisation",
    an_authorisation="an EU or national marketing authorisation, or a clinical-trial authorisation",
    notification="a CPNP notification naming an EU Responsible Person",
    kit_marking="CE marked",
    tissue_licence="an authorised tissue establishment (Directive 2004/23/EC)",
    cite_human_cosmetic=C.EU_ANNEX_II_416,
    cite_human_medicine=C.EU_MEDICINE,
    cite_placental=C.EU_HUMAN_TISSUE,
    cite_composition=C.EU_ANNEX_II_416_COSING,
    cite_injection=C.EU_INJECTION,
    cite_claims=C.EU_PRESENTATION,
    cite_compromised=C.EU_COMPROMISED,
    cite_plant=C.EU_PLANT,
    cite_animal=C.EU_ANNEX_II_419,
    cite_microbial=C.EU_MICROBIAL,
    cite_synthetic=C.EU_SYNTHETIC,
    cite_autologous=C.EU_AUTOLOGOUS,
    cite_live_cells=C.EU_ATMP,
    live_cells="The product contains live human cells, which makes it an advanced therapy "
    "medicinal product (ATMP) needing central authorisation. (Cell-free vesicles alone are "
    "not ATMPs under the EMA/CAT 2025 guidance, but live cells are.)",
    compromised_uncertainty="Whether such use takes a cosmetic outside the cosmetic "
    "definition is not settled law: hence a caution, not a ban.",
    autologous_note="If vesicles are further isolated from the plasma, the result may be a "
    "medicinal product: ask the national competent authority first.",
    injection_law=cosmetics_1223.INJECTION_LAW,
    human_medicine_note=" The human starting material also falls under Directive 2004/23/EC.",
)

# From 7 August 2027: the same profile, with the SoHO Regulation wherever Directive 2004/23/EC
# was the law of human starting material.
PROFILE_SOHO = replace(
    PROFILE,
    tissue_licence="an authorised SoHO entity (the SoHO Regulation (EU) 2024/1938)",
    human_medicine_note=" The human starting material also falls under the SoHO Regulation "
    "(EU) 2024/1938.",
    cite_human_medicine=C.EU_MEDICINE_SOHO,
    cite_placental=C.EU_HUMAN_TISSUE_SOHO,
    cite_autologous=C.EU_AUTOLOGOUS_SOHO,
)

SOHO = Amendment(
    effective_from=C.SOHO_APPLIES,
    profile=PROFILE_SOHO,
    rules=(
        cosmetics_1223.human_material_injected,
        cosmetics_1223.placental_tissue,
        sources.autologous_source,
    ),
    why="The SoHO Regulation (EU) 2024/1938 replaces Directive 2004/23/EC for human "
    "starting material.",
)

RULES = cosmetics_1223.RULES

EU = register_ruleset(
    Ruleset.for_profile(
        PROFILE,
        RULES,
        version="EU-2026.11",
        name="European Union",
        amendments=(SOHO,),
        scope="The 27 member states, and Northern Ireland for cosmetics. National medicines "
        "authorities decide borderline cases.",
        uncertainties=[
            "Unmodified extracellular vesicles are not ATMPs under the EMA/CAT 2025 guidance; "
            "national authorities may still classify an individual product differently.",
            "The SoHO Regulation (EU) 2024/1938 replaces Directive 2004/23/EC on 7 August "
            "2027; requirements for human starting material will change then.",
            "Whether use after microneedling (or laser, or a peel) takes a cosmetic outside "
            "the cosmetic definition is not settled law: for non-human sources ExoCheck shows "
            "a caution, not a ban.",
        ],
    )
)
