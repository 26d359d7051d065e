"""Retention erasure: the one way an assessment that was finalised leaves the database.

A finalised assessment is never deleted (assessments/immutability.py). When its retention
period ends, a clinic admin of its clinic (or a staff superuser) erases it here, giving a
reason. The erasure is audited: the history keeps a deletion row for the assessment and
each document, with who and why, and the `exocheck.security` log records it. The guard
(and, on PostgreSQL, the triggers) are lifted for these deletes only, inside one transaction.

Stored files (the signed report, the documents, documents withdrawn while it was a draft)
are deleted once the transaction commits, except those another remaining record still
uses: a newer version shares its predecessor's documents.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from assessments.errors import AssessmentError, NotAllowed
from assessments.immutability import allow_erasure
from assessments.models import Assessment, EvidenceItem
from clinics.policy import Action
from clinics.services import require_action
from core.saving import fit_change_reason

if TYPE_CHECKING:
    from clinics.models import User

security_log = logging.getLogger("exocheck.security")
logger = logging.getLogger("exocheck.retention")

REASON_MAX_CHARS = 500


class ErasureRefused(AssessmentError):  # type: ignore[misc]  # errors are read as Any
    default_message = "This record cannot be erased."


@dataclass(frozen=True)
class Erasure:
    """What was erased: for the caller's message and the tests."""

    document_id: str
    assessment_pk: int
    clinic_id: int
    evidence_items: int
    # Its stored files: deleted once the erasure commits, unless a remaining record uses one.
    files: tuple[str, ...]


def _require_eraser(current: Assessment, by: User) -> None:
    """A clinic admin of the record's clinic, or the operator (clinics/policy.py
    OPERATOR_ACTIONS): refused attempts are security events."""
    try:
        require_action(clinic=current.clinic, by=by, action=Action.ERASE_RECORDS)
    except NotAllowed:
        security_log.warning(
            "Retention erasure refused, not allowed: user=%r assessment=%s clinic=%s",
            getattr(by, "username", None),
            current.pk,
            current.clinic_id,
        )
        raise


def erase_for_retention(*, assessment: Assessment, by: User, reason: str) -> Erasure:
    """Delete `assessment` (finalised or not) and its evidence for retention, with a reason.

    Refuses (NotAllowed) anyone but a staff superuser or a clinic admin of its clinic, and
    (ErasureRefused) a missing or over-long reason, or a record a newer version still links
    to (erase the newest version first).
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _require_eraser(current, by)
        if not reason:
            raise ErasureRefused(
                "Give the reason for erasing this record, e.g. the retention rule that applies."
            )
        if len(reason) > REASON_MAX_CHARS:
            raise ErasureRefused(f"Keep the reason to at most {REASON_MAX_CHARS} characters.")
        newer = current.next_versions.first()
        if newer is not None:
            raise ErasureRefused(
                f"{newer.document_id} is a newer version of this record and links to it: "
                "erase the newest version first."
            )
        items = list(current.evidence_items.all())
        files = _stored_files(current, items)
        change_reason = fit_change_reason(f"Erased for retention: {reason}")
        erasure = Erasure(
            document_id=current.document_id,
            assessment_pk=current.pk,
            clinic_id=current.clinic_id,
            evidence_items=len(items),
            files=tuple(sorted(files)),
        )
        status = current.status
        with allow_erasure():
            for item in items:
                item._history_user = by
                item._change_reason = change_reason
                item.delete()
            current._history_user = by
            current._change_reason = change_reason
            current.delete()
        transaction.on_commit(lambda: _after_commit(erasure, status=status, by=by, reason=reason))
    return erasure


def _stored_files(assessment: Assessment, items: list[EvidenceItem]) -> set[str]:
    names = {item.file.name for item in items if item.file}
    # Documents withdrawn while it was a draft: kept for the audit trail until now.
    withdrawn = EvidenceItem.history.filter(assessment_id=assessment.pk).exclude(file="")
    names.update(withdrawn.values_list("file", flat=True))
    if assessment.report_pdf:
        names.add(assessment.report_pdf.name)
    return names


def _still_used(names: set[str]) -> set[str]:
    """Files a remaining record points at (a newer version shares its documents)."""
    used = set(EvidenceItem.objects.filter(file__in=names).values_list("file", flat=True))
    used.update(
        Assessment.objects.filter(report_pdf__in=names).values_list("report_pdf", flat=True)
    )
    return used


def _after_commit(erasure: Erasure, *, status: str, by: User, reason: str) -> None:
    security_log.warning(
        "Record erased for retention: document=%s assessment=%s status=%s clinic=%s "
        "evidence_items=%d by=%r reason=%r",
        erasure.document_id,
        erasure.assessment_pk,
        status,
        erasure.clinic_id,
        erasure.evidence_items,
        by.username,
        reason,
    )
    names = set(erasure.files) - _still_used(set(erasure.files))
    storage = EvidenceItem._meta.get_field("file").storage
    for name in sorted(names):
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete the erased record's file %s", name)
