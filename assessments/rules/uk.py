"""UK-2026.11: Great Britain, under the retained cosmetics law and the Human Medicines
Regulations 2012 (docs/domain.md §6).

The rules are the shared ones (common.py, sources.py, evidence_rules.py) read with the UK
profile; registration order is the order of the "How ExoCheck decides" page.
"""

from __future__ import annotations

from . import citations as C
from .common import (
    add_claims,
    add_composition_check,
    add_compromised_skin,
    add_human_cosmetic_ban,
    add_human_medicine,
    add_injection,
    add_live_human_cells,
    add_placental,
)
from .evidence_rules import add_evidence_rules
from .findings import Severity
from .profile import Profile
from .registry import Ruleset, register_ruleset
from .sources import add_source_notes, add_undisclosed

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
    human_ban_note=" The Department for Business and Trade confirmed in 2025 that this covers "
    "human-derived exosomes.",
)

UK = register_ruleset(
    Ruleset(
        jurisdiction="UK",
        version="UK-2026.11",
        name="United Kingdom (Great Britain)",
        scope="England, Scotland and Wales. Northern Ireland follows EU cosmetics law; for "
        "human-derived material the outcome is the same as in Great Britain.",
        uncertainties=[NO_MHRA_STATEMENT, COMPROMISED_SKIN_UNSETTLED],
    )
)


def build(rs: Ruleset, p: Profile) -> None:
    """The rules of a jurisdiction that follows Reg. (EC) 1223/2009 (GB retained, or EU)."""
    add_human_cosmetic_ban(rs, p)
    add_human_medicine(rs, p)
    add_placental(rs, p)
    add_composition_check(
        rs,
        p,
        severity=Severity.CRITICAL,
        consequence="CosIng links such names to Annex II entry 416: a cosmetic may not contain "
        "them.",
    )
    add_injection(
        rs,
        p,
        any_source=False,
        explanation="Cosmetics are for the external parts of the body, so anything injected "
        "falls outside the cosmetic rules, whatever the label says. It must be an authorised "
        "medicine (or a conformity-marked medical device, which a biological product acting "
        "through its contents is unlikely to be).",
    )
    add_compromised_skin(rs, p, uncertainty=p.compromised_uncertainty)
    add_live_human_cells(rs, p, citation=p.cite_live_cells, explanation=p.live_cells)
    add_claims(
        rs,
        p,
        suffix="CLAIMS-MEDICINAL",
        title="Presented as a medicine",
        law="A product that claims to treat, heal or prevent a disease or injury is a medicine "
        "by presentation, whatever it contains, and may only be supplied with an "
        "authorisation.",
    )
    add_undisclosed(rs, p)
    add_source_notes(rs, p, autologous=p.autologous_note)
    add_evidence_rules(rs, p)


build(UK, PROFILE)
