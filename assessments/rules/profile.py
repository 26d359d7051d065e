"""What differs between jurisdictions when the same rule is applied: names, words, citations.

The shared rules (common.py, evidence_rules.py) are written once against a Profile; each
jurisdiction module fills one in.
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
    tissue_licence: str  # "a Human Tissue Authority (HTA) licence"
    # citations, from citations.py
    cite_human_cosmetic: str
    cite_human_medicine: str
    cite_placental: str
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
    human_ban_note: str = ""  # after the Annex II 416 ban
    human_medicine_note: str = ""  # after "an unauthorised medicine"
    animal_rule: str = (
        "Animal-derived material may be used only if it is not a Category 1 or 2 animal "
        "by-product; the species and tissue must be declared, with a TSE statement for "
        "bovine material."
    )

    def rule_id(self, suffix: str) -> str:
        return f"{self.code}-{suffix}"
