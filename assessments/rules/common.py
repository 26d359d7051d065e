"""The rules every ruleset has, written once; where the law differs they read the jurisdiction's
Profile (docs/domain.md §6–§8).

Rules read the origin kind, never the category slug, so that a category an admin adds works
through its origin kind alone (docs/domain.md §3.1). Also here: the medicinal-claims check
shared by the GB/EU rule cosmetics_1223.presented_as_medicine and the US rule us.drug_claims.
"""

from __future__ import annotations

from typing import cast

from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile
from .rule import Precedence, rule
from .terms import borderline_terms, human_inci_names, medicinal_terms, quoted
from .values import Origin

DO_NOT_USE = "Do not purchase or use it."

ORIGIN_WORDS = {
    Origin.HUMAN: "human-derived",
    Origin.AUTOLOGOUS: "the patient's own blood",
    Origin.PLANT: "plant-derived",
    Origin.ANIMAL: "animal-derived",
    Origin.MICROBIAL: "microbial",
    Origin.SYNTHETIC: "synthetic",
}


# --- Human origin ------------------------------------------------------------------------------


def human_cosmetic_severity(p: Profile) -> Severity:
    """A ban in GB and the EU; in the US a caution."""
    return Severity.CRITICAL if p.bans_human_cosmetics else Severity.CAUTION


@rule(
    "SRC-HUMAN-COSMETIC",
    title="Human-derived material in a cosmetic",
    trigger="The source is human and the product is used on the skin (or the route is not stated).",
    severity=human_cosmetic_severity,
    citation=lambda p: p.cite_human_cosmetic,
    precedence=Precedence.HUMAN_ORIGIN,
)
def human_material_in_cosmetic(facts: Facts, p: Profile) -> Finding | None:
    """GB and the EU: Annex II entry 416 prohibits cells, tissues or products of human origin in
    any cosmetic product; an unstated route is read as use on the skin. The US does not ban
    human-derived cosmetics as such, but the supplier carries MoCRA duties and any therapeutic
    claim makes the product a drug."""
    if facts.origin is not Origin.HUMAN or facts.is_injection:
        return None
    if not p.bans_human_cosmetics:
        return Finding.caution(
            explanation=(
                "Unlike in the UK and EU, human-derived material is not prohibited in US "
                "cosmetics as such. The product must stay a cosmetic: any claim to treat a "
                "condition or change the skin's structure makes it an unapproved drug. Under "
                "MoCRA the supplier must hold safety substantiation, register and list the "
                "product, and report serious adverse events. Donor screening still matters for "
                "patient safety."
            ),
            next_step="Ask for the safety substantiation, the FDA listing number and donor-"
            "screening records, and check the claims carefully.",
        )
    law = p.cosmetics_law[:1].upper() + p.cosmetics_law[1:]
    unstated = (
        " The route has not been stated: injected instead, it would be an unauthorised "
        "medicine, so no route is open."
        if facts.route is None
        else " This applies on intact and on broken skin alike."
    )
    return Finding.critical(
        explanation=(
            "The supplier says these exosomes come from human cells, tissue or blood. "
            f"{law} prohibits cells, tissues and products of human origin in any "
            f"cosmetic product (Annex II entry 416).{p.human_ban_note}"
            f"{unstated}"
        ),
        next_step=f"{DO_NOT_USE} Ask the supplier for a non-human alternative (plant, "
        "microbial or synthetic) with full documentation.",
    )


def composition_severity(p: Profile) -> Severity:
    """Where human material is banned from cosmetics, naming it is decisive; elsewhere it
    leaves the declared source unproven."""
    return Severity.CRITICAL if p.bans_human_cosmetics else Severity.MISSING


@rule(
    "COMPOSITION-HUMAN",
    title="Ingredient list names human material",
    trigger="The source is not declared human, but an INCI name denotes human-origin "
    "material (any name with HUMAN, or an rh-polypeptide/rh-oligopeptide).",
    severity=composition_severity,
    citation=lambda p: p.cite_composition,
    precedence=Precedence.HUMAN_ORIGIN,
    next_step="Do not purchase until the supplier explains these ingredients in writing and "
    "corrects the declaration of origin, or offers a product without them.",
)
def composition_contradicts_source(facts: Facts, p: Profile) -> Finding | None:
    """The ingredient list is a second, independent statement of what is in the product; where
    it names human material, the declared source cannot be relied on."""
    names = human_inci_names(facts.inci)
    if facts.origin is Origin.HUMAN or not names:
        return None
    declared = (
        "has not been disclosed"
        if facts.origin_unknown
        # origin_unknown is true for None (and UNKNOWN), so here origin is a known Origin.
        else f"is declared as {ORIGIN_WORDS[cast(Origin, facts.origin)]}"
    )
    consequence = (
        "CosIng links such names to Annex II entry 416: a cosmetic may not contain them."
        if p.bans_human_cosmetics
        else "Human material is not banned in US cosmetics as such, but the declaration of "
        "origin cannot be relied on until this is explained."
    )
    return Finding.make(
        composition_severity(p),
        explanation=(
            f"The source {declared}, but the ingredient list (INCI) includes "
            f"{quoted(names)}. These names denote material of human origin, so the "
            f"composition contradicts the declared source. {consequence}"
        ),
    )


# --- Route ---------------------------------------------------------------------------------------


def injection_trigger(p: Profile) -> str:
    who = (
        "a source other than the patient's own blood"
        if p.autologous_injection_exempt
        else "any source"
    )
    return f"The product is injected ({who}) and no current authorisation is on file."


@rule(
    "ROUTE-INJECTION",
    title="Injected product without an authorisation",
    trigger=injection_trigger,
    severity=Severity.CRITICAL,
    citation=lambda p: p.cite_injection,
    precedence=Precedence.ROUTE,
    next_step=lambda p: (
        f"Do not inject it. Ask the supplier for {p.an_authorisation} and "
        f"verify it with {p.regulator}."
    ),
)
def injection_without_authorisation(facts: Facts, p: Profile) -> Finding | None:
    """Cosmetics are for the outside of the body: an injected product is a medicine (or,
    rarely, a device) and needs its authorisation before any use."""
    if not facts.is_injection or facts.on_file("marketing-authorisation"):
        return None
    if facts.origin is Origin.AUTOLOGOUS and p.autologous_injection_exempt:
        return None
    return Finding.critical(explanation=f"{p.injection_law} No {p.authorisation} is on file.")


@rule(
    "ROUTE-COMPROMISED",
    title="Cosmetic used on broken skin",
    trigger="A cosmetic (or unstated) product, not human-derived or autologous, used during or "
    "after microneedling, laser or a peel.",
    severity=Severity.CAUTION,
    citation=lambda p: p.cite_compromised,
    precedence=Precedence.ROUTE,
    next_step="Ask for a safety assessment that names use on compromised skin or with "
    "devices, and sterility and endotoxin results for this lot.",
)
def cosmetic_on_compromised_skin(facts: Facts, p: Profile) -> Finding | None:
    """Broken skin lets a product past the barrier a cosmetic's safety case assumes; whether
    that use leaves the cosmetic definition is unsettled, hence a caution."""
    if facts.route != "topical-compromised-skin":
        return None
    if facts.origin in (Origin.HUMAN, Origin.AUTOLOGOUS):
        return None
    if facts.marketed_as not in ("cosmetic", "unknown"):
        return None
    return Finding.caution(
        explanation=(
            "Microneedling, laser or a peel opens the skin barrier, so the product reaches "
            "deeper layers than a cosmetic normally does. Its safety assessment must cover "
            "use on compromised skin or with devices, and the lot must be sterile with a "
            f"measured endotoxin level. {p.compromised_uncertainty}"
        ),
    )


# --- Live cells ----------------------------------------------------------------------------------


@rule(
    "CELL-LIVE-HUMAN",
    title="Live human cells: a cell therapy",
    trigger="The product contains live cells and the source is human.",
    severity=Severity.CRITICAL,
    citation=lambda p: p.cite_live_cells,
    precedence=Precedence.LIVE_CELLS,
    next_step=DO_NOT_USE,
)
def live_human_cells(facts: Facts, p: Profile) -> Finding | None:
    """Live human cells make a product a cell-based therapy, whatever the route."""
    if facts.origin is not Origin.HUMAN or facts.cell_status != "live-cell":
        return None
    return Finding.critical(explanation=p.live_cells)


# --- Medicinal claims: the check behind presented_as_medicine and drug_claims ------------------

CLAIMS_TRIGGER = (
    "Marketed as a medicine, or its claims name a disease or injury (acne scars, alopecia, "
    "eczema, wounds…), with no authorisation on file; borderline wording such as "
    "“regenerates” is a caution."
)
CLAIMS_SEVERITIES = (Severity.CRITICAL, Severity.CAUTION)


def medicinal_claims(facts: Facts, p: Profile, *, law: str) -> Finding | None:
    """Critical (titled by the rule) when presented as a medicine without an authorisation on
    file; a caution for borderline wording. law: why such a product needs an authorisation.
    The word lists are in terms.py."""
    if facts.on_file("marketing-authorisation"):
        return None
    terms = medicinal_terms(facts.claims)
    if facts.marketed_as == "medicine" or terms:
        said = []
        if facts.marketed_as == "medicine":
            said.append("The supplier markets it as a medicine.")
        if terms:
            said.append(f"Its claims mention {quoted(terms)}.")
        return Finding.critical(
            explanation=f"{' '.join(said)} {law} No {p.authorisation} is on file.",
            next_step="Do not use it unless the supplier shows the authorisation, or "
            "withdraws the claims in writing and documents the product as a cosmetic. "
            "Do not repeat the claims to patients.",
        )
    borderline = borderline_terms(facts.claims)
    if borderline:
        return Finding.caution(
            title="Borderline claims",
            explanation=(
                f"Its claims use {quoted(borderline)}. That is not a disease claim on its "
                "face, but regulators have read such wording as medicinal in context."
            ),
            next_step="Read the full claims, ask the supplier to confirm in writing that "
            "no disease claim is made, and keep such wording out of your own marketing.",
        )
    return None
