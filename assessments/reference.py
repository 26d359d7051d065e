"""The database's reference data mirrors the rules' vocabulary, slug for slug.

The rules package owns the slugs and what they mean (docs/domain.md §2); the tables in
`products` let staff admins choose how each is shown. `sync_reference_data` creates any
missing row (after every migrate) and `reference_data_mismatches` reports any slug that is
in one and not the other, which the system check in checks.py turns into a start-up error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError

from assessments.rules.vocabulary import (
    CELL_STATUS_DISPLAY,
    EVIDENCE_DISPLAY,
    ROUTE_DISPLAY,
    SOURCE_CATEGORY_DISPLAY,
)
from products.models import CellStatus, EvidenceType, Route, SourceCategory

VOCABULARIES = (
    (SourceCategory, SOURCE_CATEGORY_DISPLAY),
    (CellStatus, CELL_STATUS_DISPLAY),
    (Route, ROUTE_DISPLAY),
    (EvidenceType, EVIDENCE_DISPLAY),
)


@dataclass(frozen=True)
class Mismatch:
    model: str
    slug: str
    problem: str

    def __str__(self) -> str:
        return f"{self.model} {self.slug!r}: {self.problem}"


def sync_reference_data(using: str = "default") -> int:
    """Create the rows the rules know and the database lacks; never touch existing rows
    (their display texts are the admins'). Returns how many rows were created."""
    created = 0
    for model, display in VOCABULARIES:
        existing = set(model.objects.using(using).values_list("slug", flat=True))
        for order, (slug, shown) in enumerate(display.items(), start=1):
            if slug in existing:
                continue
            row = model(slug=slug, name=shown.name, description=shown.description)
            row.display_order = order * 10
            if hasattr(row, "examples"):
                row.examples = shown.examples
            row.save(using=using)
            created += 1
    return created


def reference_data_mismatches(using: str = "default") -> list[Mismatch]:
    """Every slug the database and the rules do not share; [] when they agree or when the
    tables do not exist yet (before the first migrate)."""
    found = []
    for model, display in VOCABULARIES:
        try:
            stored = set(model.objects.using(using).values_list("slug", flat=True))
        except DatabaseError:
            return []
        name = model._meta.verbose_name
        for slug in sorted(stored - set(display)):
            found.append(Mismatch(name, slug, "in the database but unknown to the rules"))
        for slug in sorted(set(display) - stored):
            found.append(Mismatch(name, slug, "known to the rules but missing from the database"))
    return found
