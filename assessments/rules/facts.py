"""What the rules know about one product, as answered for one assessment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .evidence import EVIDENCE_CATALOGUE
from .values import (
    CELL_STATUSES,
    JURISDICTIONS,
    MARKETED_AS,
    RESULTS,
    ROUTES,
    SOURCE_CATEGORY_ORIGINS,
    TOPICAL_ROUTES,
    Origin,
    UnknownValueError,
    as_origin,
    check,
    origin_for_slug,
)

__all__ = [
    "CELL_STATUSES",
    "MARKETED_AS",
    "RESULTS",
    "ROUTES",
    "EvidenceFact",
    "Facts",
    "Origin",
    "UnknownValueError",
]


def _same_lot(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


@dataclass(frozen=True)
class EvidenceFact:
    """One document on file for the product."""

    type: str
    lot: str = ""
    issued: date | None = None
    expires: date | None = None
    result: str = "not-stated"

    def __post_init__(self):
        check("evidence type", self.type, EVIDENCE_CATALOGUE)
        check("result", self.result, RESULTS)

    @property
    def lot_specific(self) -> bool:
        return EVIDENCE_CATALOGUE[self.type].lot_specific

    @property
    def failed(self) -> bool:
        return self.result == "fail"

    def expired(self, as_of: date) -> bool:
        """Past its expiry date; a document expiring today still counts."""
        return self.expires is not None and self.expires < as_of

    def wrong_lot(self, lot: str) -> bool:
        """Lot-specific and not for the lot assessed (or naming no lot at all).

        With no lot assessed there is nothing to compare against, so nothing is wrong.
        """
        return self.lot_specific and bool(lot.strip()) and not _same_lot(self.lot, lot)

    def counts(self, *, as_of: date, lot: str) -> bool:
        """Whether this document can be relied on for the assessed lot on as_of."""
        return not (self.failed or self.expired(as_of) or self.wrong_lot(lot))


@dataclass(frozen=True, kw_only=True)
class Facts:
    """The answers of one assessment. None means the question has not been answered."""

    jurisdiction: str = "UK"
    as_of: date = field(default_factory=date.today)
    source_category: str | None = None
    origin: Origin | None = None
    cell_status: str | None = None
    route: str | None = None
    marketed_as: str = "unknown"
    lot: str = ""
    inci: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    evidence: tuple[EvidenceFact, ...] = ()

    def __post_init__(self):
        set_ = object.__setattr__  # frozen: normalise in place once, here only
        set_(self, "jurisdiction", check("jurisdiction", self.jurisdiction, JURISDICTIONS))
        origin = as_origin(self.origin)
        if origin is None and self.source_category in SOURCE_CATEGORY_ORIGINS:
            origin = SOURCE_CATEGORY_ORIGINS[self.source_category]
        set_(self, "origin", origin)
        if self.cell_status is not None:
            check("cell status", self.cell_status, CELL_STATUSES)
        if self.route is not None:
            check("route", self.route, ROUTES)
        set_(self, "marketed_as", check("marketed as", self.marketed_as or "unknown", MARKETED_AS))
        set_(self, "lot", self.lot or "")
        set_(self, "inci", tuple(self.inci))
        set_(self, "claims", tuple(self.claims))
        set_(self, "evidence", tuple(self.evidence))
        for item in self.evidence:
            if not isinstance(item, EvidenceFact):
                raise TypeError(f"evidence items must be EvidenceFact, not {type(item).__name__}")

    @classmethod
    def from_source_slug(cls, source_category: str, **answers) -> Facts:
        """Facts for one of the stable source slugs; an unknown slug raises UnknownValueError."""
        return cls(
            source_category=source_category, origin=origin_for_slug(source_category), **answers
        )

    @property
    def is_topical(self) -> bool:
        return self.route in TOPICAL_ROUTES

    @property
    def is_injection(self) -> bool:
        return self.route == "injection"

    @property
    def origin_unknown(self) -> bool:
        return self.origin in (None, Origin.UNKNOWN)

    @property
    def cell_status_unknown(self) -> bool:
        return self.cell_status in (None, "unknown")

    def documents(self, evidence_type: str) -> tuple[EvidenceFact, ...]:
        return tuple(e for e in self.evidence if e.type == evidence_type)

    def on_file(self, evidence_type: str) -> bool:
        """A current, passing document of this type (for this lot, where that matters)."""
        return any(e.counts(as_of=self.as_of, lot=self.lot) for e in self.documents(evidence_type))
