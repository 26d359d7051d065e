"""Rules shared by the rulesets, written once against a jurisdiction Profile.

Each add_* function registers one rule (or a few) on a ruleset; the jurisdiction modules
choose which to add and in what form. Rules read the origin kind, never the category slug,
so that a category an admin adds works through its origin kind alone.
"""

from __future__ import annotations

from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile
from .registry import Precedence, Ruleset
from .terms import borderline_terms, human_inci_names, medicinal_terms, quoted
from .values import PLACENTAL_SLUG, Origin

DO_NOT_USE = "Do not purchase or use it."

ORIGIN_WORDS = {
    Origin.HUMAN: "human-derived",
    Origin.AUTOLOGOUS: "the patient's own blood",
    Origin.PLANT: "plant-derived",
    Origin.ANIMAL: "animal-derived",
    Origin.MICROBIAL: "microbial",
    Origin.SYNTHETIC: "synthetic",
}


def add_human_cosmetic_ban(rs: Ruleset, p: Profile) -> None:
    @rs.rule(
        p.rule_id("SRC-HUMAN-COSMETIC"),
        title="Human-derived material in a cosmetic",
        trigger="The source is human and the product is used on the skin (or the route is "
        "not stated).",
        severity=Severity.CRITICAL,
        citation=p.cite_human_cosmetic,
        precedence=Precedence.HUMAN_ORIGIN,
    )
    def human_material_in_cosmetic(facts: Facts) -> Finding | None:
        """Annex II entry 416 prohibits cells, tissues or products of human origin in any
        cosmetic product; an unstated route is read as use on the skin."""
        if facts.origin is not Origin.HUMAN or facts.is_injection:
            return None
        law = p.cosmetics_law[:1].upper() + p.cosmetics_law[1:]
        unstated = (
            " The route has not been stated: injected instead, it would be an unauthorised "
            "medicine, so no route is open."
            if facts.route is None
            else " This applies on intact and on broken skin alike."
        )
        return Finding.critical(
            title="Human-derived material in a cosmetic",
            explanation=(
                "The supplier says these exosomes come from human cells, tissue or blood. "
                f"{law} prohibits cells, tissues and products of human origin in any "
                f"cosmetic product (Annex II entry 416).{p.human_ban_note}"
                f"{unstated}"
            ),
            next_step=f"{DO_NOT_USE} Ask the supplier for a non-human alternative (plant, "
            "microbial or synthetic) with full documentation.",
        )


def add_human_medicine(rs: Ruleset, p: Profile) -> None:
    @rs.rule(
        p.rule_id("SRC-HUMAN-MEDICINE"),
        title="Injected human-derived product: an unauthorised medicine",
        trigger="The source is human and the product is injected.",
        severity=Severity.CRITICAL,
        citation=p.cite_human_medicine,
        precedence=Precedence.HUMAN_ORIGIN,
    )
    def human_material_injected(facts: Facts) -> Finding | None:
        """Injected human-derived vesicles act through their biological contents: a
        biological medicinal product, and none is authorised for aesthetic use."""
        if facts.origin is not Origin.HUMAN or not facts.is_injection:
            return None
        return Finding.critical(
            title="Injected human-derived product: an unauthorised medicine",
            explanation=(
                "Injected human-derived exosomes act on the body through their biological "
                "contents, which makes them a biological medicinal product. A medicine may "
                f"only be supplied with {p.an_authorisation}, and none has been granted for "
                f"exosomes in aesthetic use.{p.human_medicine_note}"
            ),
            next_step=f"{DO_NOT_USE} If the supplier quotes an authorisation number, verify "
            f"it with {p.regulator} before going any further.",
        )


def add_placental(rs: Ruleset, p: Profile) -> None:
    @rs.rule(
        p.rule_id("SRC-PLACENTAL"),
        title="Placental or amniotic human tissue",
        trigger="The source category is placenta, amniotic membrane or fluid, or cord blood.",
        severity=Severity.CRITICAL,
        citation=p.cite_placental,
        precedence=Precedence.HUMAN_ORIGIN,
    )
    def placental_tissue(facts: Facts) -> Finding | None:
        """Birth tissue is human tissue: consent, donor screening and licensing apply on
        top of the bans on human material. Keyed on the stable slug, not the origin kind."""
        if facts.source_category != PLACENTAL_SLUG:
            return None
        return Finding.critical(
            title="Placental or amniotic human tissue",
            explanation=(
                "Placenta, amniotic membrane or fluid and cord blood are human tissue. On top "
                "of the rules on human material, collecting and processing them needs donor "
                f"consent, donor screening and {p.tissue_licence}."
            ),
            next_step=f"{DO_NOT_USE} If the supplier still offers it, ask for the tissue "
            "licence number and donor-screening records, and report any concern.",
        )


def add_live_human_cells(rs: Ruleset, p: Profile, *, explanation: str, citation: str) -> None:
    @rs.rule(
        p.rule_id("CELL-LIVE-HUMAN"),
        title="Live human cells: a cell therapy",
        trigger="The product contains live cells and the source is human.",
        severity=Severity.CRITICAL,
        citation=citation,
        precedence=Precedence.LIVE_CELLS,
    )
    def live_human_cells(facts: Facts) -> Finding | None:
        """Live human cells make a product a cell-based therapy, whatever the route."""
        if facts.origin is not Origin.HUMAN or facts.cell_status != "live-cell":
            return None
        return Finding.critical(
            title="Live human cells: a cell therapy",
            explanation=explanation,
            next_step=DO_NOT_USE,
        )


def add_composition_check(rs: Ruleset, p: Profile, *, severity: Severity, consequence: str):
    @rs.rule(
        p.rule_id("COMPOSITION-HUMAN"),
        title="Ingredient list names human material",
        trigger="The source is not declared human, but an INCI name denotes human-origin "
        "material (any name with HUMAN, or an rh-polypeptide/rh-oligopeptide).",
        severity=severity,
        citation=p.cite_composition,
        precedence=Precedence.HUMAN_ORIGIN,
    )
    def composition_contradicts_source(facts: Facts) -> Finding | None:
        """The ingredient list is a second, independent statement of what is in the
        product; where it names human material, the declared source cannot be relied on."""
        names = human_inci_names(facts.inci)
        if facts.origin is Origin.HUMAN or not names:
            return None
        declared = (
            "has not been disclosed"
            if facts.origin_unknown
            else f"is declared as {ORIGIN_WORDS[facts.origin]}"
        )
        return Finding.make(
            severity,
            title="Ingredient list names human material",
            explanation=(
                f"The source {declared}, but the ingredient list (INCI) includes "
                f"{quoted(names)}. These names denote material of human origin, so the "
                f"composition contradicts the declared source. {consequence}"
            ),
            next_step="Do not purchase until the supplier explains these ingredients in "
            "writing and corrects the declaration of origin, or offers a product without them.",
        )


def add_injection(rs: Ruleset, p: Profile, *, any_source: bool, explanation: str) -> None:
    who = "any source" if any_source else "a source other than the patient's own blood"

    @rs.rule(
        p.rule_id("ROUTE-INJECTION"),
        title="Injected product without an authorisation",
        trigger=f"The product is injected ({who}) and no current authorisation is on file.",
        severity=Severity.CRITICAL,
        citation=p.cite_injection,
        precedence=Precedence.ROUTE,
    )
    def injection_without_authorisation(facts: Facts) -> Finding | None:
        """Cosmetics are for the outside of the body: an injected product is a medicine
        (or, rarely, a device) and needs its authorisation before any use."""
        if not facts.is_injection or facts.on_file("marketing-authorisation"):
            return None
        if facts.origin is Origin.AUTOLOGOUS and not any_source:
            return None
        return Finding.critical(
            title="Injected product without an authorisation",
            explanation=f"{explanation} No {p.authorisation} is on file.",
            next_step=f"Do not inject it. Ask the supplier for {p.an_authorisation} and verify "
            f"it with {p.regulator}.",
        )


def add_claims(rs: Ruleset, p: Profile, *, suffix: str, title: str, law: str) -> None:
    @rs.rule(
        p.rule_id(suffix),
        title=title,
        trigger="Marketed as a medicine, or its claims name a disease or injury (acne scars, "
        "alopecia, eczema, wounds…), with no authorisation on file; borderline wording such "
        "as “regenerates” is a caution.",
        severity="critical (caution for borderline wording)",
        citation=p.cite_claims,
        precedence=Precedence.MEDICINAL_CLAIMS,
    )
    def medicinal_claims(facts: Facts) -> Finding | None:
        """A product is a medicine by how it is presented as well as by what it does; the
        word lists are in terms.py."""
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
                title=title,
                explanation=(f"{' '.join(said)} {law} No {p.authorisation} is on file."),
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


def add_compromised_skin(rs: Ruleset, p: Profile, *, uncertainty: str) -> None:
    @rs.rule(
        p.rule_id("ROUTE-COMPROMISED"),
        title="Cosmetic used on broken skin",
        trigger="A cosmetic (or unstated) product, not human-derived or autologous, used "
        "during or after microneedling, laser or a peel.",
        severity=Severity.CAUTION,
        citation=p.cite_compromised,
        precedence=Precedence.ROUTE,
    )
    def cosmetic_on_compromised_skin(facts: Facts) -> Finding | None:
        """Broken skin lets a product past the barrier a cosmetic's safety case assumes;
        whether that use leaves the cosmetic definition is unsettled, hence a caution."""
        if facts.route != "topical-compromised-skin":
            return None
        if facts.origin in (Origin.HUMAN, Origin.AUTOLOGOUS):
            return None
        if facts.marketed_as not in ("cosmetic", "unknown"):
            return None
        return Finding.caution(
            title="Cosmetic used on broken skin",
            explanation=(
                "Microneedling, laser or a peel opens the skin barrier, so the product reaches "
                "deeper layers than a cosmetic normally does. Its safety assessment must cover "
                "use on compromised skin or with devices, and the lot must be sterile with a "
                f"measured endotoxin level. {uncertainty}"
            ),
            next_step="Ask for a safety assessment that names use on compromised skin or with "
            "devices, and sterility and endotoxin results for this lot.",
        )
