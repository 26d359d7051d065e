"""Word lists the rules read ingredient lists and marketing claims against.

Kept short and explicit on purpose: each entry is something a regulator has treated as
decisive, and a clinician can read the list on the "How ExoCheck decides" page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# INCI names that declare material of human origin. CosIng links names containing "HUMAN"
# (e.g. HUMAN ADIPOCYTE CONDITIONED MEDIA EXTRACT, HYDROLYZED HUMAN PLACENTAL PROTEIN) and the
# recombinant-human "rh-" peptides to Annex II entry 416.
HUMAN_INCI_PATTERNS = (
    re.compile(r"HUMAN", re.IGNORECASE),
    re.compile(r"\bRH-(?:POLY|OLIGO)PEPTIDE(?:-\d+)?\b", re.IGNORECASE),
)

# Disease, injury or healing words: claiming to treat, heal, cure or prevent these presents a
# product as a medicine (UK/EU presentation limb; US intended use).
MEDICINAL_TERMS = {
    "acne scars": r"acne[- ]scar(?:s|ring)?",
    "alopecia": r"alopecia",
    "hair loss": r"hair[- ]loss",
    "eczema": r"eczema",
    "psoriasis": r"psoriasis",
    "rosacea": r"rosacea",
    "dermatitis": r"dermatitis",
    "vitiligo": r"vitiligo",
    "wounds": r"wound(?:s|[- ]healing)?",
    "scars": r"(?<!acne )(?<!acne-)scar(?:s|ring|red)?",
    "keloids": r"keloids?",
    "ulcers": r"ulcers?",
    "infection": r"infections?",
    "anti-inflammatory": r"anti-?inflammatory",
    "heals": r"heal(?:s|ing|ed)?",
    "cures": r"cure(?:s|d)?",
}

# Borderline wording: not a disease claim on its face, but regulators have read it as one in
# context ("regenerates", "repairs"). A caution, so that a person reads the whole claim.
BORDERLINE_TERMS = {
    "regenerates": r"regenerat\w*",
    "repairs": r"repair\w*",
    "stem cell": r"stem[- ]cells?",
}

_MEDICINAL = {name: re.compile(rf"\b{rx}\b", re.IGNORECASE) for name, rx in MEDICINAL_TERMS.items()}
_BORDERLINE = {
    name: re.compile(rf"\b{rx}\b", re.IGNORECASE) for name, rx in BORDERLINE_TERMS.items()
}


def human_inci_names(inci: Iterable[str]) -> list[str]:
    """The ingredient names that declare human-origin material, in list order."""
    return [name for name in inci if any(p.search(name) for p in HUMAN_INCI_PATTERNS)]


def _terms(claims: Iterable[str], patterns: dict[str, re.Pattern[str]]) -> list[str]:
    text = " | ".join(claims)
    return [name for name, pattern in patterns.items() if pattern.search(text)]


def medicinal_terms(claims: Iterable[str]) -> list[str]:
    """The medicinal terms (by their list name) that the claims use."""
    return _terms(claims, _MEDICINAL)


def borderline_terms(claims: Iterable[str]) -> list[str]:
    return _terms(claims, _BORDERLINE)


def quoted(items: Iterable[str]) -> str:
    """'a', 'b' and 'c' — for naming what was found inside an explanation."""
    items = [f"“{i}”" for i in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
