"""Shared rules on a disclosed non-human source, and on questions left unanswered."""

from __future__ import annotations

from . import citations as C
from .facts import Facts
from .findings import Finding, Severity
from .profile import Profile
from .registry import Precedence, Ruleset
from .values import Origin


def add_source_notes(rs: Ruleset, p: Profile, *, autologous: str) -> None:
    """Plant, animal, microbial, synthetic and autologous sources, in that order."""

    @rs.rule(
        p.rule_id("SRC-PLANT"),
        title="Plant-derived vesicles",
        trigger="The source is plant and the product is used on the skin.",
        severity=Severity.INFO,
        citation=p.cite_plant,
        precedence=Precedence.SOURCE,
    )
    def plant_source(facts: Facts) -> Finding | None:
        """Plant vesicles are an ordinary cosmetic ingredient: lawful when the product
        itself complies."""
        if facts.origin is not Origin.PLANT or not facts.is_topical:
            return None
        return Finding.info(
            title="Plant-derived vesicles",
            explanation=(
                "Plant-derived exosome-like vesicles are a lawful cosmetic ingredient when the "
                "product complies: a signed safety assessment, "
                f"{p.notification}, and manufacture to ISO 22716."
            ),
            next_step="Keep those documents on file; the evidence findings show any gaps.",
        )

    @rs.rule(
        p.rule_id("SRC-ANIMAL"),
        title="Animal-derived vesicles",
        trigger="The source is animal; info with a current declaration of origin, else missing.",
        severity="info or missing",
        citation=p.cite_animal,
        precedence=Precedence.SOURCE,
    )
    def animal_source(facts: Facts) -> Finding | None:
        """Animal material is lawful only from permitted animal by-products, which the
        declaration of origin has to establish."""
        if facts.origin is not Origin.ANIMAL:
            return None
        if facts.on_file("origin-declaration"):
            return Finding.info(
                title="Animal-derived vesicles",
                explanation=f"{p.animal_rule} A declaration of origin is on file.",
                next_step="Check that the declaration names the species and tissue and covers "
                "the points above.",
            )
        return Finding.missing(
            title="Animal-derived vesicles: origin not declared",
            explanation=f"{p.animal_rule} No current declaration of origin is on file.",
            next_step="Ask for a signed declaration naming species and tissue and covering "
            "the points above.",
        )

    @rs.rule(
        p.rule_id("SRC-MICROBIAL"),
        title="Microbial vesicles",
        trigger="The source is microbial; info with a declaration of origin and microbial "
        "limits on file, else missing.",
        severity="info or missing",
        citation=p.cite_microbial,
        precedence=Precedence.SOURCE,
    )
    def microbial_source(facts: Facts) -> Finding | None:
        """A product made with bacteria or yeast must be safe: a known strain and no
        viable organisms in the finished product."""
        if facts.origin is not Origin.MICROBIAL:
            return None
        rule = (
            "Bacteria- or yeast-derived vesicles and ferment lysates are acceptable when the "
            "strain is identified and the finished product contains no viable organisms."
        )
        lacking = [
            name
            for slug, name in (
                ("origin-declaration", "a declaration of origin naming the strain"),
                ("microbial-limits", "a microbiological quality test"),
            )
            if not facts.on_file(slug)
        ]
        if not lacking:
            return Finding.info(
                title="Microbial vesicles",
                explanation=f"{rule} The strain declaration and microbial limits are on file.",
                next_step="Check that the declaration names the strain.",
            )
        return Finding.missing(
            title="Microbial vesicles: strain or microbial quality not shown",
            explanation=f"{rule} Not on file: {' and '.join(lacking)}.",
            next_step=f"Ask the supplier for {' and '.join(lacking)}.",
        )

    @rs.rule(
        p.rule_id("SRC-SYNTHETIC"),
        title="Synthetic “exosome-like” carrier",
        trigger="The source is synthetic.",
        severity=Severity.CAUTION,
        citation=p.cite_synthetic,
        precedence=Precedence.SOURCE,
    )
    def synthetic_source(facts: Facts) -> Finding | None:
        """Calling a synthetic carrier an exosome risks a misleading claim."""
        if facts.origin is not Origin.SYNTHETIC:
            return None
        return Finding.caution(
            title="Synthetic “exosome-like” carrier",
            explanation=(
                "Here “exosome” is a marketing term for a synthetic or liposomal carrier: the "
                "product contains no vesicles released by cells. The claims must not suggest "
                "otherwise."
            ),
            next_step="Ask what the carrier is, and make sure neither the label nor your own "
            "marketing implies biological exosomes.",
        )

    @rs.rule(
        p.rule_id("SRC-AUTOLOGOUS"),
        title="The patient's own blood, prepared at the point of care",
        trigger="The source is autologous platelet-rich plasma or blood.",
        severity=Severity.CAUTION,
        citation=p.cite_autologous,
        precedence=Precedence.SOURCE,
    )
    def autologous_source(facts: Facts) -> Finding | None:
        """Same-procedure autologous use is a clinical procedure, not a product on the
        market: lawful, but unstandardised and the practitioner's responsibility."""
        if facts.origin is not Origin.AUTOLOGOUS:
            return None
        return Finding.caution(
            title="The patient's own blood, prepared at the point of care",
            explanation=(
                "Using the patient's own platelet-rich plasma or blood in the same procedure is "
                "a clinical procedure rather than a product on the market. There is no "
                "commercial standardisation: quality and safety are the practitioner's "
                f"responsibility, and the preparation kit must be {p.kit_marking}. {autologous}"
            ),
            next_step="Keep the kit's marking certificate on file, follow its instructions, "
            "and record the preparation in the patient's notes.",
        )


def add_undisclosed(rs: Ruleset, p: Profile) -> None:
    """Source, cell status and route not answered (or answered "unknown")."""

    @rs.rule(
        p.rule_id("SRC-UNKNOWN"),
        title="Source not disclosed",
        trigger="The source is “unknown” or the question is unanswered.",
        severity=Severity.MISSING,
        citation=C.DUE_DILIGENCE_Q1,
        precedence=Precedence.UNDISCLOSED,
    )
    def source_unknown(facts: Facts) -> Finding | None:
        """Without the origin no law can be applied: human material is banned in some uses,
        animal material restricted."""
        if not facts.origin_unknown:
            return None
        return Finding.missing(
            title="Source not disclosed",
            explanation=(
                "The supplier has not said where these exosomes come from. The origin decides "
                "which law applies and whether the product may be used at all: human-derived "
                "material, for example, is treated quite differently from plant material."
            ),
            next_step="Do not buy until the supplier discloses the source in writing, with a "
            "signed declaration of origin.",
        )

    @rs.rule(
        p.rule_id("CELL-UNKNOWN"),
        title="Cell status not disclosed",
        trigger="The cell status is “unknown” or the question is unanswered.",
        severity=Severity.MISSING,
        citation=C.DUE_DILIGENCE_Q2,
        precedence=Precedence.UNDISCLOSED,
    )
    def cell_status_unknown(facts: Facts) -> Finding | None:
        """Live cells change the law; cell culture brings mycoplasma and viral risk."""
        if not facts.cell_status_unknown:
            return None
        return Finding.missing(
            title="Cell status not disclosed",
            explanation=(
                "The supplier has not said whether the product contains live cells, is "
                "cell-free, or is a processed culture product (conditioned medium or "
                "secretome). Live cells would make it a cell therapy; culture products carry "
                "mycoplasma and viral risks that need their own tests."
            ),
            next_step="Ask the supplier, in writing, which it is and how cells are removed.",
        )

    @rs.rule(
        p.rule_id("ROUTE-UNKNOWN"),
        title="Route of use not recorded",
        trigger="The clinic has not recorded how it will use the product.",
        severity=Severity.MISSING,
        citation=C.DUE_DILIGENCE_ROUTE,
        precedence=Precedence.UNDISCLOSED,
    )
    def route_unknown(facts: Facts) -> Finding | None:
        """The route decides whether the product is judged as a cosmetic or a medicine."""
        if facts.route is not None:
            return None
        return Finding.missing(
            title="Route of use not recorded",
            explanation=(
                "How the clinic will use the product decides which law applies: on the skin "
                "it is judged as a cosmetic, injected as a medicine, and on broken skin it "
                "needs sterility and endotoxin results."
            ),
            next_step="Record the intended route: intact skin, broken skin (during or after "
            "microneedling, laser or a peel), or injection.",
        )
