"""The closed vocabularies of the rules (docs/domain.md §2) and the error for a value outside them.

These slugs are stable identifiers. The database's reference data holds exactly the same
slugs (a system check, assessments/checks.py, refuses to start otherwise); staff admins
curate only how they are shown (name, description, examples, order, active).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Origin(StrEnum):
    """What kind of material the vesicles come from; this, not the slug, decides the law."""

    HUMAN = "human"
    AUTOLOGOUS = "autologous"
    PLANT = "plant"
    ANIMAL = "animal"
    MICROBIAL = "microbial"
    SYNTHETIC = "synthetic"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _ORIGIN_LABELS[self]


_ORIGIN_LABELS = {
    Origin.HUMAN: "Human (allogeneic)",
    Origin.AUTOLOGOUS: "Autologous (the patient's own)",
    Origin.PLANT: "Plant",
    Origin.ANIMAL: "Animal",
    Origin.MICROBIAL: "Microbial",
    Origin.SYNTHETIC: "Synthetic",
    Origin.UNKNOWN: "Unknown",
}


SOURCE_CATEGORY_ORIGINS: dict[str, Origin] = {
    "human-msc-adipose": Origin.HUMAN,
    "human-msc-bone-marrow": Origin.HUMAN,
    "human-msc-umbilical-cord": Origin.HUMAN,
    "human-placental-amniotic": Origin.HUMAN,
    "human-platelet": Origin.HUMAN,
    "human-other": Origin.HUMAN,
    "autologous-prp": Origin.AUTOLOGOUS,
    "plant": Origin.PLANT,
    "animal": Origin.ANIMAL,
    "microbial": Origin.MICROBIAL,
    "synthetic": Origin.SYNTHETIC,
    "unknown": Origin.UNKNOWN,
}

# The one source rule keyed on a slug rather than an origin kind: placental and amniotic
# material brings human-tissue law (consent, donor screening, licensing) on top.
PLACENTAL_SLUG = "human-placental-amniotic"

CELL_STATUSES = ("live-cell", "cell-free", "post-culture-processed", "unknown")
ROUTES = ("topical-intact-skin", "topical-compromised-skin", "injection")
TOPICAL_ROUTES = ("topical-intact-skin", "topical-compromised-skin")
MARKETED_AS = ("cosmetic", "medicine", "device", "unknown")
RESULTS = ("pass", "fail", "not-stated")
JURISDICTIONS = ("UK", "EU", "US")

REQUIRED = "required"
RECOMMENDED = "recommended"
LEVELS = (REQUIRED, RECOMMENDED)


class UnknownValueError(ValueError):
    """A value outside its closed vocabulary; str() is one line naming the field and the choices."""

    def __init__(self, field: str, value: object, allowed: Iterable[str]):
        self.field = field
        self.value = value
        self.allowed = tuple(allowed)
        super().__init__(f"Unknown {field} {value!r}; allowed: {', '.join(self.allowed)}")


def check(field: str, value: str, allowed: Iterable[str]) -> str:
    """Return value if it is one of allowed, else raise UnknownValueError."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise UnknownValueError(field, value, allowed)
    return value


def as_origin(value: Origin | str | None) -> Origin | None:
    """Accept an Origin, its string value, or None (not answered)."""
    if value is None or isinstance(value, Origin):
        return value
    try:
        return Origin(value)
    except ValueError:
        raise UnknownValueError("origin", value, [o.value for o in Origin]) from None


def origin_for_slug(slug: str) -> Origin:
    """The origin kind of one of the twelve stable source-category slugs."""
    try:
        return SOURCE_CATEGORY_ORIGINS[slug]
    except KeyError:
        raise UnknownValueError("source category", slug, SOURCE_CATEGORY_ORIGINS) from None
