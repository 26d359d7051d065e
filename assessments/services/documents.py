"""The documents of a draft: upload them with what they say, record a refusal, withdraw
one, or save a whole documents-step POST at once (one transaction, one evaluation).

Files are written to storage before a transaction opens, so the write lock is held only
for the rows (SQLite with the worker running); a failed transaction removes them again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from django.db import transaction

from assessments.errors import EvidenceConflict
from assessments.history import supplied_reason
from assessments.models import Assessment, EvidenceItem
from assessments.services.drafting import evaluate_and_save, locked_draft, may_edit
from assessments.steps import clamp

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from assessments.uploads import CheckedUpload
    from clinics.models import User
    from products.models import EvidenceType


@transaction.atomic
def record_evidence(
    *,
    assessment: Assessment,
    by: User,
    evidence_type: EvidenceType,
    upload: CheckedUpload,
    lab: str = "",
    lot: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    result: str = EvidenceItem.Result.NOT_STATED,
    notes: str = "",
    supplied: str = "",
) -> EvidenceItem:
    """Store a checked upload (assessments.uploads.CheckedUpload) as evidence on file.

    A document now on file replaces an earlier "not provided" record of the same type.
    `supplied` says, in words, who outside the clinic provided it (the supplier portal's
    "uploaded by … via request link …"): the item is filed under `by`, a clinic member, and
    the history names both (assessments/history.py), so it stays attributable.
    """
    locked_draft(assessment, by=by)
    _not_provided(assessment, evidence_type).delete()
    document = DocumentUpload(
        evidence_type=evidence_type,
        upload=upload,
        lab=lab,
        lot=lot,
        issued_on=issued_on,
        expires_on=expires_on,
        result=result,
    )
    item = _new_document(assessment, by, document, notes=notes)
    if supplied:
        item._change_reason = supplied_reason(supplied)
    checked = upload.as_file()
    item.file.save(checked.name, checked, save=False)
    item.full_clean()
    item.save()
    evaluate_and_save(assessment, by)
    return item


@dataclass(frozen=True)
class DocumentUpload:
    """One document of a documents-step POST, with what its reader recorded from it."""

    evidence_type: EvidenceType
    upload: CheckedUpload
    lab: str = ""
    lot: str = ""
    issued_on: date | None = None
    expires_on: date | None = None
    result: str = EvidenceItem.Result.NOT_STATED


def _new_document(
    assessment: Assessment, user: User, document: DocumentUpload, *, notes: str = ""
) -> EvidenceItem:
    """An unsaved, unchecked document on file; the caller stores its file and validates."""
    upload = document.upload
    item = EvidenceItem(
        clinic_id=assessment.clinic_id,
        assessment=assessment,
        evidence_type=document.evidence_type,
        provided=True,
        original_filename=upload.original_filename,
        content_type=upload.content_type,
        size_bytes=upload.size,
        sha256=upload.sha256,
        lab=document.lab,
        lot=document.lot,
        issued_on=document.issued_on,
        expires_on=document.expires_on,
        result=document.result or EvidenceItem.Result.NOT_STATED,
        notes=notes,
        uploaded_by=user,
    )
    item._history_user = user
    return item


def _not_provided_record(
    assessment: Assessment, user: User, evidence_type: EvidenceType
) -> EvidenceItem:
    """An unsaved record that the supplier has not provided a document of `evidence_type`."""
    item = EvidenceItem(
        clinic_id=assessment.clinic_id,
        assessment=assessment,
        evidence_type=evidence_type,
        provided=False,
        uploaded_by=user,
    )
    item._history_user = user
    return item


def save_documents_step(
    *,
    assessment: Assessment,
    by: User,
    testing_answer: str,
    uploads: Sequence[DocumentUpload] = (),
    not_provided: Iterable[EvidenceType] = (),
    unmark: Iterable[EvidenceType] = (),
    resume_at: int,
) -> Assessment:
    """Save everything one POST of the documents step carries, all or nothing, with one
    evaluation of the rules at the end (not one per file).

    Files are written to storage before the transaction, so the write lock is held only for
    the rows; if the transaction fails the files just written are deleted again.
    """
    may_edit(clinic=assessment.clinic, by=by)  # before any file is written
    items = [_new_document(assessment, by, document) for document in uploads]
    for item in items:
        item.full_clean(exclude=["file"])  # before any file is written
    stored: list[str] = []
    try:
        for item, document in zip(items, uploads, strict=True):
            checked = document.upload.as_file()
            item.file.save(checked.name, checked, save=False)
            stored.append(item.file.name)
        with transaction.atomic():
            locked_draft(assessment, by=by)
            for item in items:
                _not_provided(assessment, item.evidence_type).delete()
                item.save()
            for evidence_type in not_provided:
                if assessment.evidence_items.filter(evidence_type=evidence_type).exists():
                    continue  # a document on file (perhaps just uploaded) wins
                _not_provided_record(assessment, by, evidence_type).save()
            for evidence_type in unmark:
                for record in _not_provided(assessment, evidence_type):
                    record._history_user = by
                    record.delete()
            assessment.testing_answer = testing_answer
            assessment.current_step = clamp(resume_at)
            return evaluate_and_save(assessment, by)
    except BaseException:
        for name in stored:
            EvidenceItem._meta.get_field("file").storage.delete(name)
        raise


def _not_provided(assessment: Assessment, evidence_type: EvidenceType) -> QuerySet[EvidenceItem]:
    # The models are read as Any (pyproject [tool.mypy]): the reverse relation is untyped.
    return cast(
        "QuerySet[EvidenceItem]",
        assessment.evidence_items.filter(evidence_type=evidence_type, provided=False),
    )


@transaction.atomic
def mark_not_provided(
    *, assessment: Assessment, by: User, evidence_type: EvidenceType
) -> EvidenceItem:
    """Record that the supplier has not provided this document (the rules still count it
    as missing; the record says the clinic asked)."""
    locked_draft(assessment, by=by)
    if assessment.evidence_items.filter(evidence_type=evidence_type, provided=True).exists():
        raise EvidenceConflict(
            f"A {evidence_type.name} is on file: remove it before recording that the "
            "supplier has not provided one."
        )
    item = _not_provided(assessment, evidence_type).first()
    if item is None:
        item = _not_provided_record(assessment, by, evidence_type)
        item.full_clean()
        item.save()
    evaluate_and_save(assessment, by)
    return item


@transaction.atomic
def record_document_facts(
    *,
    assessment: Assessment,
    by: User,
    item: EvidenceItem,
    lab: str = "",
    lot: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    result: str = EvidenceItem.Result.NOT_STATED,
) -> EvidenceItem:
    """Record what an uploaded document says, as its reader found it (e.g. a supplier's bare
    upload, once a clinic member has opened the file): the status and findings follow."""
    locked_draft(assessment, by=by)
    if item.assessment_id != assessment.pk or not item.provided:
        raise ValueError("The document belongs to another assessment or has no file.")
    item.lab, item.lot, item.issued_on, item.expires_on = lab, lot, issued_on, expires_on
    item.result = result or EvidenceItem.Result.NOT_STATED
    item._history_user = by
    item.full_clean()
    item.save()
    evaluate_and_save(assessment, by)
    return item


@transaction.atomic
def withdraw_evidence(*, assessment: Assessment, by: User, item: EvidenceItem) -> None:
    """Take a document (or a "not provided" record) off a draft, e.g. a wrong upload.

    The stored file is kept: the history row still points at it, so the audit trail can
    show what was uploaded and then withdrawn.
    """
    locked_draft(assessment, by=by)
    if item.assessment_id != assessment.pk:
        raise ValueError("The document belongs to another assessment.")
    item._history_user = by
    item.delete()
    evaluate_and_save(assessment, by)
