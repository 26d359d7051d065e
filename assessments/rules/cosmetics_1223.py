"""What Great Britain and the EU share: both rest on Reg. (EC) 1223/2009 (in GB as retained
law) and treat injected or therapeutic vesicles as medicines (docs/domain.md §6, §7).

The rules here belong to the UK and EU rulesets only; the US has none of them (§8). Which law,
citation and wording apply comes from the jurisdiction's Profile (uk.py, eu.py).
"""

from __future__ import annotations

from . import common, evidence_rules, sources, undisclosed
from .common import CLAIMS_SEVERITIES, CLAIMS_TRIGGER, DO_NOT_USE, medicinal_claims
from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile
from .rule import Precedence, rule
from .values import PLACENTAL_SLUG, Origin

# Profile.injection_law for both: why an injected product needs an authorisation.
INJECTION_LAW = (
    "Cosmetics are for the external parts of the body, so anything injected falls outside "
    "the cosmetic rules, whatever the label says. It must be an authorised medicine (or a "
    "conformity-marked medical device, which a biological product acting through its "
    "contents is unlikely to be)."
)


@rule(
    "SRC-HUMAN-MEDICINE",
    title="Injected human-derived product: an unauthorised medicine",
    trigger="The source is human and the product is injected.",
    severity=Severity.CRITICAL,
    citation=lambda p: p.cite_human_medicine,
    precedence=Precedence.HUMAN_ORIGIN,
    next_step=lambda p: (
        f"{DO_NOT_USE} If the supplier quotes an authorisation number, "
        f"verify it with {p.regulator} before going any further."
    ),
)
def human_material_injected(facts: Facts, p: Profile) -> Finding | None:
    """Injected human-derived vesicles act through their biological contents: a biological
    medicinal product, and none is authorised for aesthetic use."""
    if facts.origin is not Origin.HUMAN or not facts.is_injection:
        return None
    return Finding.critical(
        explanation=(
            "Injected human-derived exosomes act on the body through their biological "
            "contents, which makes them a biological medicinal product. A medicine may "
            f"only be supplied with {p.an_authorisation}, and none has been granted for "
            f"exosomes in aesthetic use.{p.human_medicine_note}"
        ),
    )


@rule(
    "SRC-PLACENTAL",
    title="Placental or amniotic human tissue",
    trigger="The source category is placenta, amniotic membrane or fluid, or cord blood.",
    severity=Severity.CRITICAL,
    citation=lambda p: p.cite_placental,
    precedence=Precedence.HUMAN_ORIGIN,
    next_step=f"{DO_NOT_USE} If the supplier still offers it, ask for the tissue licence "
    "number and donor-screening records, and report any concern.",
)
def placental_tissue(facts: Facts, p: Profile) -> Finding | None:
    """Birth tissue is human tissue: consent, donor screening and licensing apply on top of
    the bans on human material. Keyed on the stable slug, not the origin kind."""
    if facts.source_category != PLACENTAL_SLUG:
        return None
    return Finding.critical(
        explanation=(
            "Placenta, amniotic membrane or fluid and cord blood are human tissue. On top "
            "of the rules on human material, collecting and processing them needs donor "
            f"consent, donor screening and {p.tissue_licence}."
        ),
    )


@rule(
    "CLAIMS-MEDICINAL",
    title="Presented as a medicine",
    trigger=CLAIMS_TRIGGER,
    severities=CLAIMS_SEVERITIES,
    citation=lambda p: p.cite_claims,
    precedence=Precedence.MEDICINAL_CLAIMS,
)
def presented_as_medicine(facts: Facts, p: Profile) -> Finding | None:
    """A product is a medicine by how it is presented as well as by what it does; the word
    lists are in terms.py."""
    return medicinal_claims(
        facts,
        p,
        law="A product that claims to treat, heal or prevent a disease or injury is a medicine "
        "by presentation, whatever it contains, and may only be supplied with an "
        "authorisation.",
    )


# The rules of a jurisdiction that follows Reg. (EC) 1223/2009 (GB retained, or the EU), in
# the order of the "How ExoCheck decides" page.
RULES = (
    common.human_material_in_cosmetic,
    human_material_injected,
    placental_tissue,
    common.composition_contradicts_source,
    common.injection_without_authorisation,
    common.cosmetic_on_compromised_skin,
    common.live_human_cells,
    presented_as_medicine,
    *undisclosed.RULES,
    *sources.RULES,
    *evidence_rules.RULES,
)
