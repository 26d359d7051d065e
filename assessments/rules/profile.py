"""What differs between jurisdictions when the same rule is applied: the law's names, words,
citations and the few points where the law itself differs (docs/domain.md §6–§8).

A rule is written once, as a function of the facts and a Profile (rule.py); uk.py, eu.py and
us.py each fill one in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    code: str  # "UK", "EU", "US": the jurisdiction and the prefix of every rule id
    cosmetics_law: str  # "the UK Cosmetics Regulation"
    regulator: str  # who answers borderline questions: "the MHRA"
    authorisation: str  # what lets a medicine be supplied: "MHRA marketing … authorisation"
    an_authorisation: str  # the same with its article: "an MHRA marketing … authorisation"
    notification: str  # "an SCPN notification naming a GB Responsible Person"
    kit_marking: str  # "UKCA or CE marked"
    # citations, from citations.py
    cite_human_cosmetic: str
    cite_composition: str
    cite_injection: str
    cite_claims: str
    cite_compromised: str
    cite_plant: str
    cite_animal: str
    cite_microbial: str
    cite_synthetic: str
    cite_autologous: str
    cite_live_cells: str
    # sentences that differ between jurisdictions
    live_cells: str  # why live human cells are a cell therapy here
    compromised_uncertainty: str  # why use on broken skin is a caution, not a ban
    autologous_note: str  # what happens if vesicles are isolated from the patient's plasma
    injection_law: str  # why an injected product needs an authorisation here
    human_ban_note: str = ""  # after the Annex II 416 ban
    human_medicine_note: str = ""  # after "an unauthorised medicine"
    animal_rule: str = (
        "Animal-derived material may be used only if it is not a Category 1 or 2 animal "
        "by-product; the species and tissue must be declared, with a TSE statement for "
        "bovine material."
    )
    # Where the law itself differs (docs/domain.md §8): GB and the EU ban human material in
    # cosmetics (Annex II entry 416) and leave the patient's own blood, prepared in the same
    # procedure, outside the rule on injected products; the US does neither.
    bans_human_cosmetics: bool = True
    autologous_injection_exempt: bool = True
    # Only for the rules GB and the EU alone have (cosmetics_1223.py).
    cite_human_medicine: str = ""
    cite_placental: str = ""
    tissue_licence: str = ""  # "a Human Tissue Authority (HTA) licence"
