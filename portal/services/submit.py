"""The supplier submits with a declaration: the answers and documents go to the clinic.

Each document becomes a bare upload on its assessment (the file and its stated lot, no issue
date, expiry, laboratory or result) through the assessments documents service, so the one
status definition counts it "not checked" until a clinic member has opened it and confirmed
what it says (portal/services/review.py). Documents
that are not lot-specific join the supplier's library for reuse.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from assessments.checklist import document_info
from assessments.errors import AssessmentNotEditable
from assessments.services import record_evidence
from assessments.uploads import ALLOWED_TYPES, CheckedUpload
from clinics.errors import NotAllowed
from core.saving import save_audited
from notifications.services import notify
from portal.asks import DECLARATION
from portal.models import (
    SUPPLIER_WIDE,
    LibraryDocument,
    RequestEvent,
    SupplierDocument,
    SupplierRequest,
)
from portal.services.events import record
from portal.services.supplier import locked_open

security_log = logging.getLogger("exocheck.security")


def unanswered(supplier_request: SupplierRequest) -> list[str]:
    """The products whose asked questions are not all answered."""
    missing = []
    for item in supplier_request.items.select_related("assessment__product"):
        answer = getattr(item, "answer", None)
        for key in item.questions:
            if answer is None or not _answered(answer, key):
                missing.append(item.assessment.product.name)
                break
    return missing


def _answered(answer, key: str) -> bool:
    if key == "testing":
        return bool(answer.testing_text.strip())
    choice, text = getattr(answer, f"{key}_choice"), getattr(answer, f"{key}_text")
    return bool(choice or text.strip())


@transaction.atomic
def submit(
    *, supplier_request: SupplierRequest, ip: str | None, name: str, role: str, company: str
) -> SupplierRequest:
    current = locked_open(supplier_request)
    missing = unanswered(current)
    if missing:
        raise ValidationError(
            "Answer every question first (or say in the answer why you cannot): %(products)s.",
            code="unanswered",
            params={"products": ", ".join(missing)},
        )
    current.declared_name, current.declared_role = name.strip(), role.strip()
    current.declared_company, current.declaration = company.strip(), DECLARATION
    current.submitted_at, current.declared_ip = timezone.now(), ip
    save_audited(current, by=None, reason="Submitted by the supplier", conflict="Retry.")
    documents = SupplierDocument.objects.filter(item__request=current).select_related(
        "item__assessment__product", "evidence_type", "library"
    )
    for document in documents:
        _attach(current, document)
        _to_library(current, document)
    record(
        current,
        RequestEvent.Kind.SUBMITTED,
        ip=ip,
        detail=f"{name.strip()}, {role.strip()}, {company.strip()}: {DECLARATION}",
    )
    notify(
        clinic=current.clinic,
        recipients=[current.requested_by],
        title=f"{current.supplier} answered your request {current.reference}",
        # capfirst, not str.capitalize: only the first letter is raised, the names and the
        # month keep their case.
        body=f"{capfirst(current.supplied_by)}. Open the request to check the documents.",
        url=reverse("portal:request", args=[current.pk]),
    )
    return current


def _attach(supplier_request: SupplierRequest, document: SupplierDocument) -> None:
    """The document as a bare upload on its assessment, if that is still a draft."""
    assessment = document.item.assessment
    with document.file.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != document.sha256:
        security_log.error(
            "Supplier document changed in storage, not attached: document=%s request=%s",
            document.pk,
            supplier_request.pk,
        )
        return
    upload = CheckedUpload(
        content=content,
        content_type=document.content_type,
        extension=ALLOWED_TYPES[document.content_type][0],
        original_filename=document.original_filename,
    )
    try:
        item = record_evidence(
            assessment=assessment,
            # The assessments app files every document under a clinic member: the clinician
            # who asked answers for it. Who provided it is the SupplierDocument's to say
            # (provided_by, on the request's page, its history and the assessment's panel).
            by=supplier_request.requested_by,
            evidence_type=document.evidence_type,
            upload=upload,
            # The stated lot only: a lot-specific document naming no lot would count as
            # "other lot" (docs/domain.md §4.1 row 3) rather than "not checked". With no
            # issue date and no result it is "not checked" until a clinic member confirms.
            lot=document.lot,
            notes=f"Supplied through {supplier_request.reference}, not by a clinic member: "
            f"{document.provided_by}, submitted with the supplier's declaration. Filed under "
            f"{supplier_request.requested_by}, who sent the request. Not checked until a "
            "clinic member confirms what it says.",
            supplied=document.provided_via,
        )
    except AssessmentNotEditable:
        return  # submitted or signed meanwhile: the document stays with the request
    except NotAllowed:
        # The clinician who asked has left the clinic: the document stays with the request
        # for a clinic member to confirm and put on the assessment from its page.
        return
    document.evidence_item = item
    document.save(update_fields=["evidence_item"])
    # The assessments app files the evidence under the requesting clinician (it records a
    # member as the uploader); the request's history says who really provided it.
    record(
        supplier_request,
        RequestEvent.Kind.ATTACHED,
        ip=supplier_request.declared_ip,
        detail=f"{document.type_name} for {assessment.product.name}: "
        f"{document.provided_by}; filed on the assessment under "
        f"{supplier_request.requested_by}, who sent the request",
    )


def _to_library(supplier_request: SupplierRequest, document: SupplierDocument) -> None:
    """A document that is not lot-specific joins the supplier's library."""
    jurisdiction = document.item.assessment.jurisdiction
    if document.from_library or document_info(document.evidence_type, jurisdiction).lot_specific:
        return
    slug = document.evidence_type.slug
    library = LibraryDocument(
        clinic_id=supplier_request.clinic_id,
        supplier_id=supplier_request.supplier_id,
        product=None if slug in SUPPLIER_WIDE else document.item.assessment.product,
        **document.copied_fields(),
    )
    save_audited(library, by=None, reason=f"From {supplier_request.reference}", conflict="Retry.")
    document.library = library
    document.save(update_fields=["library"])
