"""The evidence catalogue (docs/domain.md §3.5, §3.7) and which documents a product needs (§3.6).

Unanswered questions (None, or the answer "unknown") are read conservatively: a clinic is
never told a document is unnecessary on the strength of a question nobody answered.

- origin unanswered: the documents every product needs; the autologous exemption is not
  applied; donor screening and kit marking wait for a definite human or autologous answer
  (the origin declaration, always required, is what settles it); mycoplasma is asked for,
  because mammalian cell culture cannot be ruled out.
- cell status unanswered: mycoplasma is asked for unless the origin rules it out.
- route unanswered: the cosmetic documents (when marketed as a cosmetic or unknown) and the
  sterility and endotoxin tests are asked for, since microneedling and injection cannot be
  ruled out; a marketing authorisation needs a definite injection or medicine answer.
- marketed as "unknown" counts as a cosmetic, as docs/domain.md §3.6 says.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import TypedDict

from . import citations as C
from .dated import Period, periods
from .values import (
    CELL_STATUSES,
    JURISDICTIONS,
    LEVELS,
    MARKETED_AS,
    RECOMMENDED,
    REQUIRED,
    ROUTES,
    Origin,
    as_origin,
    check,
)


@dataclass(frozen=True)
class EvidenceInfo:
    slug: str
    name: str
    proves: str
    standard: str
    lot_specific: bool = False
    # A test report states a result (pass or fail); it is not checked until that is recorded.
    test_report: bool = False


def _info(
    slug: str,
    name: str,
    proves: str,
    standard: str,
    lot_specific: bool = False,
    test_report: bool = False,
) -> tuple[str, EvidenceInfo]:
    return slug, EvidenceInfo(slug, name, proves, standard, lot_specific, test_report)


EVIDENCE_CATALOGUE: dict[str, EvidenceInfo] = dict(
    [
        _info(
            "certificate-of-analysis",
            "Certificate of analysis",
            "the lot supplied meets its specifications, with the results",
            "GMP; ISO/IEC 17025 laboratory preferred",
            lot_specific=True,
            test_report=True,
        ),
        _info(
            "gmp-certificate",
            "GMP certificate",
            "the manufacturing site is certified and the certificate is in date",
            "ISO 22716 (cosmetics, Art. 8); UK/EU GMP (medicines)",
        ),
        _info(
            "origin-declaration",
            "Declaration of origin",
            "the species, plant or strain and tissue; no cells, tissues or products of human "
            "origin, culture media included; no Category 1/2 animal by-products",
            "UK Cosmetics Regulation Annex II entries 416, 419",
        ),
        _info(
            "ev-characterisation",
            "Vesicle characterisation",
            "particle concentration and size distribution (NTA or similar) with protein content",
            "MISEV2023",
            test_report=True,
        ),
        _info(
            "ev-markers",
            "Vesicle marker panel",
            "at least one transmembrane (CD9/CD63/CD81) and one cytosolic (TSG101/ALIX) marker "
            "plus a negative marker; for plant vesicles, a plant-EV framework instead",
            "MISEV2023",
            test_report=True,
        ),
        _info(
            "cpsr",
            "Cosmetic Product Safety Report",
            "a safety assessor has signed off the product for its intended use",
            "UK Cosmetics Regulation Art. 10, Annex I",
        ),
        _info(
            "scpn-notification",
            "SCPN notification",
            "the product is notified in Great Britain with a GB Responsible Person",
            "UK Cosmetics Regulation Art. 4, 13",
        ),
        _info(
            "microbial-limits",
            "Microbiological quality test",
            "the finished product is within microbiological limits",
            "ISO 17516",
            test_report=True,
        ),
        _info(
            "preservative-efficacy",
            "Preservative efficacy (challenge) test",
            "the product resists contamination in use, or is justified as single-use or sterile",
            "ISO 11930 / ISO 29621",
            test_report=True,
        ),
        _info(
            "stability",
            "Stability data",
            "the shelf life, and stability after reconstitution",
            "ISO/TR 18811; ICH Q5C",
            test_report=True,
        ),
        _info(
            "sterility",
            "Sterility test",
            "the lot is sterile",
            "Ph. Eur. 2.6.1 / USP <71>",
            lot_specific=True,
            test_report=True,
        ),
        _info(
            "endotoxin",
            "Bacterial endotoxin test",
            "the lot's endotoxin level, as a number against a limit",
            "Ph. Eur. 2.6.14 / USP <85>",
            lot_specific=True,
            test_report=True,
        ),
        _info(
            "mycoplasma",
            "Mycoplasma test",
            "the cell bank or harvest is free of mycoplasma",
            "Ph. Eur. 2.6.7",
            test_report=True,
        ),
        _info(
            "donor-screening",
            "Donor consent and screening",
            "donor consent and virology (HIV-1/2, HBV, HCV, syphilis, HTLV)",
            "HT(QSHA) Regs 2007; Dir. 2006/17/EC; 21 CFR 1271 subpart C",
        ),
        _info(
            "marketing-authorisation",
            "Marketing authorisation",
            "an MHRA marketing or clinical-trial authorisation number",
            "HMR 2012 reg. 46",
        ),
        _info(
            "device-conformity",
            "Device conformity marking",
            "the preparation kit carries UKCA or CE marking",
            "UK MDR 2002",
        ),
    ]
)


class _Override(TypedDict, total=False):
    """The texts of an EvidenceInfo a jurisdiction may word differently."""

    name: str
    proves: str
    standard: str


# Where a jurisdiction names a document differently, or judges it by another law.
_OVERRIDES: dict[str, dict[str, _Override]] = {
    "EU": {
        "gmp-certificate": {
            "standard": "ISO 22716 (cosmetics, Reg. (EC) 1223/2009 Art. 8); EU GMP (medicines)"
        },
        "origin-declaration": {"standard": "Reg. (EC) 1223/2009 Annex II entries 416, 419"},
        "cpsr": {"standard": "Reg. (EC) 1223/2009 Art. 10, Annex I"},
        "scpn-notification": {
            "name": "CPNP notification",
            "proves": "the product is notified on the CPNP with an EU Responsible Person",
            "standard": "Reg. (EC) 1223/2009 Art. 4, 13",
        },
        "donor-screening": {"standard": C.EU_DONOR_SCREENING},
        "marketing-authorisation": {
            "proves": "an EU or national marketing authorisation, or a clinical-trial "
            "authorisation",
            "standard": "Dir. 2001/83/EC Art. 6; Reg. (EU) 536/2014",
        },
        "device-conformity": {
            "proves": "the preparation kit carries CE marking",
            "standard": "Reg. (EU) 2017/745 (MDR)",
        },
    },
    "US": {
        "gmp-certificate": {
            "standard": "ISO 22716 / cosmetic GMP (FD&C Act s. 606, MoCRA); 21 CFR 210-211 (drugs)"
        },
        "origin-declaration": {
            "proves": "the species, plant or strain and tissue; whether any material is of "
            "human origin; no prohibited cattle materials",
            "standard": "21 CFR 700.27; supplier declaration",
        },
        "cpsr": {
            "name": "Safety substantiation record",
            "proves": "adequate substantiation that the product is safe in its intended use",
            "standard": "FD&C Act s. 608 (MoCRA)",
        },
        "scpn-notification": {
            "name": "FDA registration and listing",
            "proves": "the facility is registered and the product is listed with FDA",
            "standard": "FD&C Act s. 607 (MoCRA)",
        },
        "donor-screening": {"standard": "21 CFR 1271 subpart C"},
        "marketing-authorisation": {
            "name": "IND or BLA",
            "proves": "an FDA investigational new drug application or biologics licence",
            "standard": "PHS Act s. 351; 21 CFR 312, 601",
        },
        "device-conformity": {
            "name": "Device clearance",
            "proves": "the preparation kit is FDA 510(k)-cleared",
            "standard": "21 CFR 807 subpart E",
        },
    },
}


_CATALOGUES = {
    code: {
        slug: replace(info, **_OVERRIDES.get(code, {}).get(slug, {}))
        for slug, info in EVIDENCE_CATALOGUE.items()
    }
    for code in JURISDICTIONS
}


# A document judged by another law from a known day (dated.py): jurisdiction → slug → the
# texts that change, from each day on, in date order.
_AMENDED: dict[str, dict[str, tuple[tuple[date, _Override], ...]]] = {
    "EU": {"donor-screening": ((C.SOHO_APPLIES, {"standard": C.EU_DONOR_SCREENING_SOHO}),)},
}


def catalogue_for(jurisdiction: str = "UK", as_of: date | None = None) -> dict[str, EvidenceInfo]:
    """The catalogue with the names and standards used in one jurisdiction on `as_of` (an
    assessment's date; today when not given)."""
    code = check("jurisdiction", jurisdiction, JURISDICTIONS)
    day = as_of or date.today()
    catalogue = dict(_CATALOGUES[code])
    for slug, changes in _AMENDED.get(code, {}).items():
        for start, texts in changes:
            if start <= day:
                catalogue[slug] = replace(catalogue[slug], **texts)
    return catalogue


def dated_standards(jurisdiction: str) -> dict[str, list[tuple[Period, str]]]:
    """For each document whose standard changes on a known day: every standard with the
    period it applies (the "How ExoCheck decides" page shows them all)."""
    code = check("jurisdiction", jurisdiction, JURISDICTIONS)
    out = {}
    for slug, changes in _AMENDED.get(code, {}).items():
        texts = [_CATALOGUES[code][slug].standard, *(t["standard"] for _, t in changes)]
        out[slug] = list(zip(periods([start for start, _ in changes]), texts, strict=True))
    return out


@dataclass(frozen=True)
class Requirement:
    type: str
    level: str  # "required" | "recommended"
    reason: str

    def __post_init__(self) -> None:
        check("evidence type", self.type, EVIDENCE_CATALOGUE)
        check("level", self.level, LEVELS)

    @property
    def is_required(self) -> bool:
        return self.level == REQUIRED


def evidence_requirements(
    *,
    origin: Origin | str | None,
    cell_status: str | None,
    route: str | None,
    marketed_as: str | None = "unknown",
    jurisdiction: str = "UK",
) -> list[Requirement]:
    """The documents a product needs for these answers, in catalogue order (docs/domain.md §3.6)."""
    origin = as_origin(origin)
    if cell_status is not None:
        check("cell status", cell_status, CELL_STATUSES)
    if route is not None:
        check("route", route, ROUTES)
    marketed_as = check("marketed as", marketed_as or "unknown", MARKETED_AS)
    check("jurisdiction", jurisdiction, JURISDICTIONS)

    if origin is Origin.AUTOLOGOUS:
        # The patient's own blood, prepared and used in the same procedure, is not a product
        # on the market: what the clinic can check is the marking of the preparation kit.
        return [
            Requirement(
                "device-conformity",
                REQUIRED,
                "Needed for the patient's own blood prepared at the point of care: the kit is "
                "the product to check.",
            )
        ]
    needed = _needed(origin, cell_status, route, marketed_as)
    return [Requirement(slug, level, reason) for slug, level, reason in needed]


def _needed(
    origin: Origin | None, cell_status: str | None, route: str | None, marketed_as: str
) -> Iterator[tuple[str, str, str]]:
    """(slug, level, reason) of every document a non-autologous product needs, in catalogue
    order; unanswered questions widen the list (the module docstring)."""
    unknown_origin = origin in (None, Origin.UNKNOWN)
    unknown_cells = cell_status in (None, "unknown")
    topical = route in (None, *ROUTES[:2])
    cosmetic = marketed_as in ("cosmetic", "unknown") and topical
    needs_sterile = route in (None, "topical-compromised-skin", "injection")
    cultured = unknown_cells or cell_status in ("live-cell", "post-culture-processed")
    mammalian = unknown_origin or origin in (Origin.HUMAN, Origin.ANIMAL)

    yield "certificate-of-analysis", REQUIRED, "Needed for every product, lot by lot."
    yield "gmp-certificate", REQUIRED, "Needed for every product."
    yield (
        "origin-declaration",
        REQUIRED,
        "Needed for every product: its legal status rests on the source.",
    )
    yield "ev-characterisation", REQUIRED, "Needed for every product sold as containing vesicles."
    yield "ev-markers", RECOMMENDED, "Recommended for every product sold as containing vesicles."
    if cosmetic:
        why = "Needed for a cosmetic used on the skin"
        if route is None:
            why += " (the route is not recorded)"
        yield "cpsr", REQUIRED, f"{why}."
        yield "scpn-notification", REQUIRED, f"{why}."
        yield "microbial-limits", REQUIRED, f"{why}."
        yield "preservative-efficacy", RECOMMENDED, "Recommended for a cosmetic."
    yield "stability", RECOMMENDED, "Recommended for every product."
    if needs_sterile:
        why = (
            "Needed because the route is not recorded, so use on broken skin or injection "
            "is not ruled out."
            if route is None
            else "Needed because it is used on broken skin or injected."
        )
        yield "sterility", REQUIRED, why
        yield "endotoxin", REQUIRED, why
    if cultured and mammalian:
        yield (
            "mycoplasma",
            REQUIRED,
            "Needed because it comes from human or animal cell culture, or that has not "
            "been ruled out.",
        )
    if origin is Origin.HUMAN:
        yield "donor-screening", REQUIRED, "Needed for human starting material."
    if route == "injection" or marketed_as == "medicine":
        why = "it is injected" if route == "injection" else "it is sold as a medicine"
        yield "marketing-authorisation", REQUIRED, f"Needed because {why}."
