"""Clinic side, after the supplier submitted: open each file, confirm (or correct) what it
says, and take the supplier's answers into the assessment.

Confirming applies the facts to the assessment's evidence through the assessments documents
service, so the status, the findings and the verdict follow at once. Only the clinic member
who opened the file may confirm it: the facts must come from reading the document.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import EvidenceItem
from assessments.services import record_document_facts
from assessments.services.drafting import save_answers
from clinics.policy import Action
from clinics.services import require_action
from core.saving import save_audited
from portal.asks import OTHER
from portal.models import RequestEvent, SupplierAnswer, SupplierDocument
from portal.services.events import record
from products.models import CellStatus, SourceCategory

FACTS = ("lab", "lot", "issued_on", "expires_on", "result")


@transaction.atomic
def open_document(*, document: SupplierDocument, by) -> EvidenceItem | None:
    """Record that `by` opened the file; the evidence item to download (None if withdrawn)."""
    require_action(clinic=document.clinic, by=by, action=Action.VIEW)
    document.opened_by, document.opened_at = by, timezone.now()
    save_audited(document, by=by, reason="File opened", conflict="Try again.")
    record(
        document.item.request,
        RequestEvent.Kind.FILE_OPENED,
        user=by,
        detail=f"{document.type_name}: {document.original_filename}",
    )
    return document.evidence_item


def _changes(document: SupplierDocument, facts: dict) -> str:
    changed = [
        f"{name} {getattr(document, name) or '—'} → {facts[name] or '—'}"
        for name in FACTS
        if (getattr(document, name) or "") != (facts[name] or "")
    ]
    return "corrected " + "; ".join(changed) if changed else "as stated by the supplier"


@transaction.atomic
def confirm_document(
    *,
    document: SupplierDocument,
    by,
    lab: str = "",
    lot: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    result: str = EvidenceItem.Result.NOT_STATED,
) -> SupplierDocument:
    """Record the facts `by` read in the file on the assessment's evidence."""
    require_action(clinic=document.clinic, by=by, action=Action.EDIT_ASSESSMENTS)
    if document.evidence_item is None:
        raise ValidationError(
            "This document is not on the assessment (it was withdrawn, or the assessment was "
            "no longer a draft when the supplier submitted).",
            code="not_attached",
        )
    if document.opened_by_id != by.pk:
        raise ValidationError(
            "Open the file and read it before confirming what it says.", code="not_opened"
        )
    facts = {"lab": lab, "lot": lot, "issued_on": issued_on, "expires_on": expires_on}
    facts["result"] = result or EvidenceItem.Result.NOT_STATED
    record_document_facts(
        assessment=document.item.assessment, by=by, item=document.evidence_item, **facts
    )
    detail = _changes(document, facts)
    document.confirmed_by, document.confirmed_at = by, timezone.now()
    save_audited(document, by=by, reason="Facts confirmed", conflict="Try again.")
    library = document.library
    if library is not None:
        library.lab, library.issued_on = lab, issued_on
        library.expires_on, library.result = expires_on, facts["result"]
        library.confirmed_by, library.confirmed_at = by, document.confirmed_at
        save_audited(library, by=by, reason="Facts confirmed", conflict="Try again.")
    record(
        document.item.request,
        RequestEvent.Kind.CONFIRMED,
        user=by,
        detail=f"{document.type_name}: {detail}",
    )
    return document


def _reference(model, slug: str):
    if not slug or slug == OTHER:
        return None
    return model.objects.filter(slug=slug).first()


def answers_for_assessment(answer: SupplierAnswer) -> dict:
    """The assessment's answer fields the supplier's answers fill (only those asked)."""
    asked = answer.item.questions
    answers: dict = {}
    if "source" in asked:
        answers["source_answer"] = answer.source_text.strip()
        category = _reference(SourceCategory, answer.source_choice)
        if category is not None:
            answers["source_category"] = category
    if "cell_status" in asked:
        answers["cell_status_answer"] = answer.cell_status_text.strip()
        status = _reference(CellStatus, answer.cell_status_choice)
        if status is not None:
            answers["cell_status"] = status
    if "testing" in asked:
        answers["testing_answer"] = answer.testing_text.strip()
    return answers


@transaction.atomic
def apply_answers(*, answer: SupplierAnswer, by) -> SupplierAnswer:
    """Take the supplier's answers into the assessment (the clinic decides: this is the
    clinician's act, recorded as such)."""
    require_action(clinic=answer.clinic, by=by, action=Action.EDIT_ASSESSMENTS)
    assessment = answer.item.assessment
    save_answers(
        assessment=assessment,
        by=by,
        answers=answers_for_assessment(answer),
        resume_at=assessment.current_step,
    )
    answer.applied_by, answer.applied_at = by, timezone.now()
    save_audited(answer, by=by, reason="Taken into the assessment", conflict="Try again.")
    record(
        answer.item.request,
        RequestEvent.Kind.APPLIED,
        user=by,
        detail=assessment.product.name,
    )
    return answer
