"""What the rules know about one product, as answered for one assessment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .documents import EvidenceFact, EvidenceStatus, status_of
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
    # Document types the supplier has said it will not provide (a record of absence).
    not_provided: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
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
        set_(self, "not_provided", frozenset(self.not_provided))
        for slug in self.not_provided:
            check("evidence type", slug, EVIDENCE_CATALOGUE)
        for item in self.evidence:
            if not isinstance(item, EvidenceFact):
                raise TypeError(f"evidence items must be EvidenceFact, not {type(item).__name__}")

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

    def evidence_status(self, evidence_type: str) -> EvidenceStatus:
        return status_of(
            self.documents(evidence_type),
            as_of=self.as_of,
            lot=self.lot,
            not_provided=evidence_type in self.not_provided,
        )

    def on_file(self, evidence_type: str) -> bool:
        """A checked, current, passing document of this type (for this lot, where that matters)."""
        return self.evidence_status(evidence_type) is EvidenceStatus.ON_FILE
