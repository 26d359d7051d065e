"""Evidence files: recording what an uploaded document says, withdrawing a document from a
draft, and the guarded download."""

import hashlib
import logging
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.checklist import document_info
from assessments.forms.evidence import DocumentFactsForm
from assessments.models import Assessment, EvidenceItem
from assessments.services import AssessmentNotEditable, record_document_facts, withdraw_evidence
from assessments.steps import DOCUMENTS_STEP
from assessments.wizard.navigation import step_url
from clinics.decorators import clinic_member_required
from clinics.policy import Action


def _clinic_evidence(request, pk):
    return EvidenceItem.objects.for_clinic(request.clinic).filter(assessment_id=pk)


@require_POST
@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def withdraw(request, pk, item_pk):
    assessment = get_object_or_404(Assessment.objects.for_clinic(request.clinic), pk=pk)
    item = get_object_or_404(_clinic_evidence(request, pk), pk=item_pk)
    try:
        withdraw_evidence(assessment=assessment, by=request.user, item=item)
    except AssessmentNotEditable as error:
        raise PermissionDenied(str(error)) from error
    name = document_info(item.evidence_type, assessment.jurisdiction).name
    messages.success(request, f"{name} removed from this draft.")
    return redirect(step_url(assessment, DOCUMENTS_STEP))


@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def record_facts(request, pk, item_pk):
    """Record what an uploaded document says (its issue date, result…) from the file, without
    uploading it again: an upload without them counts as not checked until they are."""
    assessment = get_object_or_404(Assessment.objects.for_clinic(request.clinic), pk=pk)
    item = get_object_or_404(
        _clinic_evidence(request, pk).filter(provided=True).select_related("evidence_type"),
        pk=item_pk,
    )
    if not assessment.is_draft:
        messages.error(request, "This assessment is no longer a draft: its documents are fixed.")
        return redirect(assessment.get_absolute_url())
    info = document_info(item.evidence_type, assessment.jurisdiction)
    form = DocumentFactsForm(
        request.POST if request.method == "POST" else None,
        lot_specific=info.lot_specific,
        test_report=info.test_report,
        # A lot-specific document not yet given a lot: the assessment's lot, as on step 4.
        initial={
            **DocumentFactsForm.facts_of(item),
            "lot": item.lot or assessment.batch_lot,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            record_document_facts(assessment=assessment, by=request.user, item=item, **form.facts())
        except AssessmentNotEditable as error:
            messages.error(request, str(error))
            return redirect(assessment.get_absolute_url())
        messages.success(request, f"Recorded what the {info.name} says.")
        return redirect(step_url(assessment, DOCUMENTS_STEP))
    context = {
        "assessment": assessment,
        "item": item,
        "info": info,
        "form": form,
        "documents_url": step_url(assessment, DOCUMENTS_STEP),
    }
    return render(request, "assessments/evidence_facts.html", context)


security_log = logging.getLogger("exocheck.security")

# Files are hashed and copied in chunks of this size; a copy up to SPOOL_IN_MEMORY bytes stays
# in memory, a larger one goes to a temporary file.
HASH_CHUNK_BYTES = 64 * 1024
SPOOL_IN_MEMORY = 2 * 1024 * 1024


class StoredEvidenceCorrupt(Exception):
    """The stored file is missing, unreadable, or no longer hashes to the recorded SHA-256."""


def _verified_copy(item: EvidenceItem):
    """A copy of the stored file, made while hashing it, if it hashes to the SHA-256
    recorded at upload; the response serves this copy, so the bytes sent are exactly the
    bytes checked (a file changed on disk after the check is never served)."""
    if not item.sha256:
        raise StoredEvidenceCorrupt("no SHA-256 was recorded for this file")
    digest = hashlib.sha256()
    # Not a `with`: on success the copy is handed to the FileResponse, which closes it.
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        with item.file.open("rb") as stored:
            while chunk := stored.read(HASH_CHUNK_BYTES):
                digest.update(chunk)
                copy.write(chunk)
    except OSError as error:
        copy.close()
        raise StoredEvidenceCorrupt(f"cannot read the stored file: {error}") from error
    if digest.hexdigest() != item.sha256:
        copy.close()
        raise StoredEvidenceCorrupt(f"sha256 {digest.hexdigest()} != recorded {item.sha256}")
    copy.seek(0)
    return copy


@clinic_member_required(action=Action.VIEW)
def download(request, pk, item_pk):
    """An evidence file, only to members of the clinic that owns it, never rendered inline,
    and only if it is still the file that was uploaded (its SHA-256 is checked first)."""
    item = get_object_or_404(
        _clinic_evidence(request, pk).filter(provided=True).exclude(file=""), pk=item_pk
    )
    try:
        handle = _verified_copy(item)
    except StoredEvidenceCorrupt as error:
        security_log.error(
            "Evidence integrity check failed, file not served: evidence=%s assessment=%s "
            "clinic=%s file=%r user=%r: %s",
            item.pk,
            item.assessment_id,
            item.clinic_id,
            item.file.name,
            request.user.get_username(),
            error,
        )
        return render(
            request,
            "errors/integrity.html",
            {"item": item, "assessment_pk": item.assessment_id},
            status=500,
        )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_filename or item.file.name.rsplit("/", 1)[-1],
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response
