"""The reviewer's per-document "checked" marks (assessments/evidence_checks.py).

Both services take the document and `by`, need Action.REVIEW in the document's clinic, run in
one transaction that locks the assessment row (so a mark cannot land beside a sign-off or a
return), work only while the assessment is submitted, and are audited (simple-history).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from assessments.errors import AssessmentError, AssessmentLocked, NotSubmitted
from assessments.models import Assessment, EvidenceCheck, EvidenceItem
from clinics.policy import Action
from clinics.services import require_action

if TYPE_CHECKING:
    from clinics.models import User


NOTHING_TO_CHECK = "The supplier did not provide this document: there is nothing to check."


def _submitted_assessment_of(evidence: EvidenceItem, by: User) -> Assessment:
    require_action(clinic=evidence.clinic, by=by, action=Action.REVIEW)
    current = Assessment.objects.select_for_update().get(pk=evidence.assessment_id)
    if current.is_finalised:
        raise AssessmentLocked(
            "This assessment is signed off: its documents' checks are part of the record."
        )
    if current.status != Assessment.Status.SUBMITTED:
        raise NotSubmitted("Documents are marked as checked while the assessment is in review.")
    return current


@transaction.atomic
def mark_checked(*, evidence: EvidenceItem, by: User) -> EvidenceCheck:
    """Mark one document as checked by `by`, now. Marking it again keeps the first mark."""
    _submitted_assessment_of(evidence, by)
    if not evidence.provided:
        raise AssessmentError(NOTHING_TO_CHECK)
    existing = EvidenceCheck.objects.filter(evidence_item=evidence).first()
    if existing is not None:
        return existing
    check = EvidenceCheck(
        clinic_id=evidence.clinic_id,
        evidence_item=evidence,
        checked_by=by,
        checked_at=timezone.now(),
    )
    check._history_user = by
    check.save()
    return check


@transaction.atomic
def clear_check(*, evidence: EvidenceItem, by: User) -> None:
    """Take the checked mark off one document (any reviewer may; the history keeps both)."""
    _submitted_assessment_of(evidence, by)
    check = EvidenceCheck.objects.filter(evidence_item=evidence).first()
    if check is None:
        return
    check._history_user = by
    check.delete()
