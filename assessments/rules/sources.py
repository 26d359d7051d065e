"""Notes on a disclosed, non-human source: plant, animal, microbial, synthetic and the patient's
own blood, in the order of the page (docs/domain.md §6–§8). Every ruleset has them.
"""

from __future__ import annotations

from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile
from .rule import Precedence, rule
from .values import Origin


@rule(
    "SRC-PLANT",
    title="Plant-derived vesicles",
    trigger="The source is plant and the product is used on the skin.",
    severity=Severity.INFO,
    citation=lambda p: p.cite_plant,
    precedence=Precedence.SOURCE,
    next_step="Keep those documents on file; the evidence findings show any gaps.",
)
def plant_source(facts: Facts, p: Profile) -> Finding | None:
    """Plant vesicles are an ordinary cosmetic ingredient: lawful when the product itself
    complies."""
    if facts.origin is not Origin.PLANT or not facts.is_topical:
        return None
    return Finding.info(
        explanation=(
            "Plant-derived exosome-like vesicles are a lawful cosmetic ingredient when the "
            "product complies: a signed safety assessment, "
            f"{p.notification}, and manufacture to ISO 22716."
        ),
    )


@rule(
    "SRC-ANIMAL",
    title="Animal-derived vesicles",
    trigger="The source is animal. With a current declaration of origin on file the finding "
    "is for information; without one, evidence is missing.",
    severities=(Severity.INFO, Severity.MISSING),
    citation=lambda p: p.cite_animal,
    precedence=Precedence.SOURCE,
)
def animal_source(facts: Facts, p: Profile) -> Finding | None:
    """Animal material is lawful only from permitted animal by-products, which the declaration
    of origin has to establish."""
    if facts.origin is not Origin.ANIMAL:
        return None
    if facts.on_file("origin-declaration"):
        return Finding.info(
            explanation=f"{p.animal_rule} A declaration of origin is on file.",
            next_step="Check that the declaration names the species and tissue and covers the "
            "points above.",
        )
    return Finding.missing(
        title="Animal-derived vesicles: origin not declared",
        explanation=f"{p.animal_rule} No current declaration of origin is on file.",
        next_step="Ask for a signed declaration naming species and tissue and covering the "
        "points above.",
    )


MICROBIAL_RULE = (
    "Bacteria- or yeast-derived vesicles and ferment lysates are acceptable when the strain is "
    "identified and the finished product contains no viable organisms."
)
MICROBIAL_DOCUMENTS = (
    ("origin-declaration", "a declaration of origin naming the strain"),
    ("microbial-limits", "a microbiological quality test"),
)


@rule(
    "SRC-MICROBIAL",
    title="Microbial vesicles",
    trigger="The source is microbial. With a declaration of origin and microbial limits on "
    "file the finding is for information; without them, evidence is missing.",
    severities=(Severity.INFO, Severity.MISSING),
    citation=lambda p: p.cite_microbial,
    precedence=Precedence.SOURCE,
)
def microbial_source(facts: Facts, p: Profile) -> Finding | None:
    """A product made with bacteria or yeast must be safe: a known strain and no viable
    organisms in the finished product."""
    if facts.origin is not Origin.MICROBIAL:
        return None
    lacking = [name for slug, name in MICROBIAL_DOCUMENTS if not facts.on_file(slug)]
    if not lacking:
        return Finding.info(
            explanation=f"{MICROBIAL_RULE} The strain declaration and microbial limits are on "
            "file.",
            next_step="Check that the declaration names the strain.",
        )
    return Finding.missing(
        title="Microbial vesicles: strain or microbial quality not shown",
        explanation=f"{MICROBIAL_RULE} Not on file: {' and '.join(lacking)}.",
        next_step=f"Ask the supplier for {' and '.join(lacking)}.",
    )


@rule(
    "SRC-SYNTHETIC",
    title="Synthetic “exosome-like” carrier",
    trigger="The source is synthetic.",
    severity=Severity.CAUTION,
    citation=lambda p: p.cite_synthetic,
    precedence=Precedence.SOURCE,
    next_step="Ask what the carrier is, and make sure neither the label nor your own "
    "marketing implies biological exosomes.",
)
def synthetic_source(facts: Facts, p: Profile) -> Finding | None:
    """Calling a synthetic carrier an exosome risks a misleading claim."""
    if facts.origin is not Origin.SYNTHETIC:
        return None
    return Finding.caution(
        explanation=(
            "Here “exosome” is a marketing term for a synthetic or liposomal carrier: the "
            "product contains no vesicles released by cells. The claims must not suggest "
            "otherwise."
        ),
    )


@rule(
    "SRC-AUTOLOGOUS",
    title="The patient's own blood, prepared at the point of care",
    trigger="The source is autologous platelet-rich plasma or blood.",
    severity=Severity.CAUTION,
    citation=lambda p: p.cite_autologous,
    precedence=Precedence.SOURCE,
    next_step="Keep the kit's marking certificate on file, follow its instructions, and "
    "record the preparation in the patient's notes.",
)
def autologous_source(facts: Facts, p: Profile) -> Finding | None:
    """Same-procedure autologous use is a clinical procedure, not a product on the market:
    lawful, but unstandardised and the practitioner's responsibility."""
    if facts.origin is not Origin.AUTOLOGOUS:
        return None
    return Finding.caution(
        explanation=(
            "Using the patient's own platelet-rich plasma or blood in the same procedure is "
            "a clinical procedure rather than a product on the market. There is no "
            "commercial standardisation: quality and safety are the practitioner's "
            f"responsibility, and the preparation kit must be {p.kit_marking}. "
            f"{p.autologous_note}"
        ),
    )


# In the order every ruleset lists them.
RULES = (plant_source, animal_source, microbial_source, synthetic_source, autologous_source)
