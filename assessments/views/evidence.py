"""Evidence files: withdrawing a document from a draft, and the guarded download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from assessments.checklist import document_info
from assessments.models import Assessment, EvidenceItem
from assessments.services import AssessmentNotEditable, withdraw_evidence
from assessments.wizard.navigation import step_url
from assessments.wizard.steps import DOCUMENTS_STEP
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
        withdraw_evidence(assessment=assessment, user=request.user, item=item)
    except AssessmentNotEditable as error:
        raise PermissionDenied(str(error)) from error
    name = document_info(item.evidence_type, assessment.jurisdiction).name
    messages.success(request, f"{name} removed from this draft.")
    return redirect(step_url(assessment, DOCUMENTS_STEP))


@clinic_member_required(action=Action.VIEW)
def download(request, pk, item_pk):
    """An evidence file, only to members of the clinic that owns it, never rendered inline."""
    item = get_object_or_404(
        _clinic_evidence(request, pk).filter(provided=True).exclude(file=""), pk=item_pk
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The stored file is missing.") from error
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
