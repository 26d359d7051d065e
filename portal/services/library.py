"""The supplier's document library, clinic side: a manager retires a document so it is no
longer offered for reuse (superseded, revoked by its issuer, found wrong).

Retiring changes the library row only. The requests it was used on keep pointing at it, and
the assessments keep their own evidence items (their own copies of the file): a signed
record is never touched (assessments/immutability.py), so it stays exactly as signed.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinics.policy import Action
from clinics.services import require_action
from core.saving import save_audited
from portal.models import LibraryDocument

security_log = logging.getLogger("exocheck.security")


@transaction.atomic
def retire_library_document(*, document: LibraryDocument, by, reason: str) -> LibraryDocument:
    """Stop offering `document` for reuse, with the reason kept in its history. Deciding a
    document no longer counts is a reviewer's judgement: practice managers (REVIEW)."""
    require_action(
        clinic=document.clinic,
        by=by,
        action=Action.REVIEW,
        refusal="Only a practice manager can retire a document on file.",
    )
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(
            {"reason": "Say why it is retired: the clinic's history keeps it."}, code="reason"
        )
    current = LibraryDocument.objects.select_for_update().get(pk=document.pk)
    if current.is_retired:
        return current  # retired already (a second click, or a colleague first): no change
    current.withdrawn_at, current.withdrawn_by = timezone.now(), by
    current.withdrawn_reason = reason
    save_audited(current, by=by, reason=f"Retired: {reason}", conflict="Try again.")
    security_log.info(
        "Library document retired: document=%s clinic=%s supplier=%s user=%r",
        current.pk,
        current.clinic_id,
        current.supplier_id,
        by.get_username(),
    )
    return current
