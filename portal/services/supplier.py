"""Supplier side: what the supplier does through the link. The request is the actor: each
action is recorded with the request id and the client address, never with a user.

Every write re-reads the request under a row lock and refuses if it has been withdrawn, has
expired or was submitted meanwhile (portal.errors.RequestClosed).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from assessments.uploads import CheckedUpload
from core.saving import save_audited
from portal import limits
from portal.errors import RequestClosed
from portal.models import (
    LibraryDocument,
    RequestedAssessment,
    RequestEvent,
    SupplierAnswer,
    SupplierDocument,
    SupplierRequest,
)
from portal.services.events import record, supplier_actor

ANSWER_FIELDS = {
    "source": ("source_choice", "source_text"),
    "cell_status": ("cell_status_choice", "cell_status_text"),
    "testing": ("testing_text",),
}


def locked_open(supplier_request: SupplierRequest) -> SupplierRequest:
    current = SupplierRequest.objects.select_for_update().get(pk=supplier_request.pk)
    if not current.is_open:
        raise RequestClosed(current)
    return current


def _own_item(supplier_request, item: RequestedAssessment) -> None:
    if item.request_id != supplier_request.pk:
        raise ValueError("The assessment is not part of this request.")


def _asked_slugs(item: RequestedAssessment) -> set[str]:
    return {asked["slug"] for asked in item.documents}


@transaction.atomic
def save_answers(
    *, supplier_request: SupplierRequest, item: RequestedAssessment, ip: str | None, answers: dict
) -> SupplierAnswer:
    """Keep the supplier's answers to the questions `item` asks (others are ignored)."""
    locked_open(supplier_request)
    _own_item(supplier_request, item)
    answer, _ = SupplierAnswer.objects.get_or_create(item=item, clinic_id=item.clinic_id)
    for key in item.questions:
        for name in ANSWER_FIELDS[key]:
            setattr(answer, name, answers.get(name, "") or "")
    answer.updated_ip = ip
    save_audited(
        answer, by=None, reason=f"Saved through {supplier_request.reference}", conflict="Retry."
    )
    record(supplier_request, RequestEvent.Kind.ANSWERS_SAVED, ip=ip, detail=_product(item))
    return answer


def _product(item: RequestedAssessment) -> str:
    return item.assessment.product.name


def _check_caps(supplier_request: SupplierRequest, upload: CheckedUpload) -> None:
    uploads = SupplierDocument.objects.filter(item__request=supplier_request, from_library=False)
    count = uploads.count()
    if count >= limits.max_files():
        raise ValidationError(
            "This request already holds %(count)s files, the most it accepts: remove one, or "
            "ask the clinic for a new request.",
            code="request_files_cap",
            params={"count": count},
        )
    used = uploads.aggregate(total=Sum("size_bytes"))["total"] or 0
    if used + upload.size > limits.max_bytes():
        raise ValidationError(
            "This file would take the request past %(limit)s in all: remove a file, or send "
            "smaller scans.",
            code="request_bytes_cap",
            params={"limit": filesizeformat(limits.max_bytes())},
        )


def _offered(supplier_request, item, slugs):
    return LibraryDocument.objects.for_clinic(supplier_request.clinic_id).offered_for(
        supplier=supplier_request.supplier_id,
        product=item.assessment.product_id,
        slugs=slugs,
        today=timezone.localdate(),
    )


def add_document(
    *,
    supplier_request: SupplierRequest,
    item: RequestedAssessment,
    ip: str | None,
    evidence_type,
    upload: CheckedUpload,
    facts: dict,
) -> SupplierDocument:
    """Store a checked upload (assessments/uploads.py check_upload) with the facts the
    supplier states. A file the library already holds is reused, not stored twice."""
    _own_item(supplier_request, item)
    if evidence_type.slug not in _asked_slugs(item):
        raise ValidationError("This request does not ask for that document.", code="not_asked")
    same = _offered(supplier_request, item, [evidence_type.slug]).filter(sha256=upload.sha256)
    if same.exists():
        return reuse_library(
            supplier_request=supplier_request, item=item, ip=ip, library=same.first()
        )
    document = SupplierDocument(
        clinic_id=item.clinic_id,
        item=item,
        evidence_type=evidence_type,
        original_filename=upload.original_filename,
        content_type=upload.content_type,
        size_bytes=upload.size,
        sha256=upload.sha256,
        uploaded_ip=ip,
        **facts,
    )
    document.full_clean(exclude=["file", "item", "clinic"])
    # The file is written before the transaction (the lock is held for the rows only) and
    # deleted again if the transaction fails.
    document.file.save(upload.as_file().name, upload.as_file(), save=False)
    try:
        with transaction.atomic():
            locked_open(supplier_request)
            _check_caps(supplier_request, upload)
            save_audited(document, by=None, reason="Uploaded by the supplier", conflict="Retry.")
            record(
                supplier_request,
                RequestEvent.Kind.UPLOADED,
                ip=ip,
                detail=f"{document.type_name} for {_product(item)}: {upload.original_filename} "
                f"({upload.size} bytes, sha256 {upload.sha256})",
            )
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def reuse_library(
    *,
    supplier_request: SupplierRequest,
    item: RequestedAssessment,
    ip: str | None,
    library: LibraryDocument,
) -> SupplierDocument:
    """Offer a document from the supplier's library for `item`, without uploading it again."""
    locked_open(supplier_request)
    _own_item(supplier_request, item)
    offered = _offered(supplier_request, item, _asked_slugs(item))
    if not offered.filter(pk=library.pk).exists():
        raise ValidationError("That document cannot be used here.", code="not_offered")
    existing = item.docs.filter(library=library).first()
    if existing is not None:
        return existing
    document = SupplierDocument(
        clinic_id=item.clinic_id,
        item=item,
        **library.copied_fields(),
        library=library,
        from_library=True,
        uploaded_ip=ip,
    )
    save_audited(document, by=None, reason="Chosen from the library", conflict="Retry.")
    record(
        supplier_request,
        RequestEvent.Kind.REUSED,
        ip=ip,
        detail=f"{document.type_name} for {_product(item)}: {library.original_filename} "
        f"(library document {library.pk})",
    )
    return document


@transaction.atomic
def remove_document(
    *, supplier_request: SupplierRequest, document: SupplierDocument, ip: str | None
) -> None:
    """Take a document off the request before it is submitted (a wrong upload)."""
    locked_open(supplier_request)
    if document.item.request_id != supplier_request.pk:
        raise ValueError("The document is not part of this request.")
    # The stored file is kept: the history row still points at it (as for evidence).
    document._change_reason = "Removed by the supplier"
    document.delete()
    record(
        supplier_request,
        RequestEvent.Kind.REMOVED,
        ip=ip,
        detail=f"{document.type_name}: {document.original_filename}",
    )


__all__ = [
    "add_document",
    "locked_open",
    "remove_document",
    "reuse_library",
    "save_answers",
    "supplier_actor",
]
