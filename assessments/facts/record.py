"""From a stored assessment to the rules' Facts.

Policy, shared with json_input.py: a value the rules do not know is refused
(UnknownValueError), never dropped or read as "not answered". The reference data holds
exactly the rules' slugs (assessments/checks.py), so such a value is a bug to surface.
Evidence is passed in explicitly when the caller already holds it (`items=`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from assessments.rules import EvidenceFact, Facts, origin_for_slug
from products.models import split_inci, split_lines

if TYPE_CHECKING:
    from assessments.models import Assessment, EvidenceItem


def evidence_items(assessment: Assessment) -> list[EvidenceItem]:
    """The assessment's documents as stored now (one query). A caller that already holds
    them passes them to facts_for(items=...) instead."""
    return list(assessment.evidence_items.select_related("evidence_type"))


def _evidence_facts(items: Iterable[EvidenceItem]) -> tuple[EvidenceFact, ...]:
    return tuple(
        EvidenceFact(
            type=item.evidence_type.slug,
            lot=item.lot,
            issued=item.issued_on,
            expires=item.expires_on,
            result=item.result,
        )
        for item in items
        if item.provided
    )


def assessment_date(assessment: Assessment) -> date:
    """The date the stored findings were worked out for (today if never evaluated); the
    checklist of a record is read as of the same day, so the two always agree."""
    if assessment.evaluated_at is not None:
        return timezone.localdate(assessment.evaluated_at)
    return timezone.localdate()


def facts_for(
    assessment: Assessment,
    *,
    as_of: date | None = None,
    items: Sequence[EvidenceItem] | None = None,
) -> Facts:
    """The rules' view of an assessment; `items` are its documents if already loaded."""
    items = evidence_items(assessment) if items is None else items
    source = assessment.source_category
    return Facts(
        jurisdiction=assessment.jurisdiction,
        as_of=as_of or timezone.localdate(),
        source_category=source.slug if source else None,
        origin=origin_for_slug(source.slug) if source else None,
        cell_status=getattr(assessment.cell_status, "slug", None),
        route=getattr(assessment.route, "slug", None),
        marketed_as=assessment.marketed_as or "unknown",
        lot=assessment.batch_lot,
        inci=tuple(split_inci(assessment.inci)),
        claims=tuple(split_lines(assessment.claims)),
        evidence=_evidence_facts(items),
        not_provided=frozenset(item.evidence_type.slug for item in items if not item.provided),
    )
