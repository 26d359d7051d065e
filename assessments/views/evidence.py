"""Q3 evidence: the checklist step, withdrawing a document, and the guarded download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from assessments.checklist import checklist_for, document_info
from assessments.forms import EvidenceItemForm, TestingStepForm
from assessments.models import Assessment, EvidenceItem
from assessments.services import (
    AssessmentNotEditable,
    DocumentUpload,
    save_documents_step,
    withdraw_evidence,
)
from assessments.views.wizard import (
    after_save,
    chosen_action,
    render_step,
    resume_at,
    step_url,
)
from clinics.decorators import clinic_member_required
from clinics.policy import Action

TESTING_STEP = 4


def _forms(request, checklist, *, bound: bool) -> list[EvidenceItemForm]:
    return [
        EvidenceItemForm(
            request.POST if bound else None,
            request.FILES if bound else None,
            row=row,
        )
        for row in checklist.documents
    ]


def _upload(form: EvidenceItemForm) -> DocumentUpload:
    data = form.cleaned_data
    return DocumentUpload(
        evidence_type=form.evidence_type,
        upload=data["file"],
        lab=data["lab"],
        lot=data["lot"],
        issued_on=data["issued_on"],
        expires_on=data["expires_on"],
        result=data["result"],
    )


def testing_step(request, assessment):
    checklist = checklist_for(assessment)
    if request.method != "POST":
        return _render(request, assessment, checklist, TestingStepForm(instance=assessment))

    action = chosen_action(request)
    item_forms = _forms(request, checklist, bound=True)
    valid = [form for form in item_forms if form.is_valid()]
    refused = [form for form in item_forms if form.errors]
    answer_form = TestingStepForm(request.POST, instance=assessment, clinic=request.clinic)
    if answer_form.is_valid():
        # Whatever else was refused, the answer and every valid document are kept: one call,
        # one transaction, one evaluation of the rules.
        save_documents_step(
            assessment=assessment,
            by=request.user,
            testing_answer=answer_form.cleaned_data["testing_answer"],
            uploads=[_upload(form) for form in valid if form.wants_upload],
            not_provided=[form.evidence_type for form in valid if form.wants_not_provided],
            unmark=[form.evidence_type for form in valid if form.wants_unmark],
            resume_at=TESTING_STEP if refused else resume_at(TESTING_STEP, action),
        )
    if refused or answer_form.errors:
        # Fresh forms show what is now on file; a refused item keeps everything typed.
        checklist = checklist_for(Assessment.objects.get(pk=assessment.pk))
        kept = {form.evidence_type.pk: form for form in refused}
        fresh = _forms(request, checklist, bound=False)
        forms = [kept.get(form.evidence_type.pk, form) for form in fresh]
        return _render(request, assessment, checklist, answer_form, forms, refused=len(refused))
    return after_save(request, assessment, TESTING_STEP, action)


def _render(request, assessment, checklist, answer_form, item_forms=None, *, refused: int = 0):
    item_forms = item_forms or _forms(request, checklist, bound=False)
    context = {
        "form": answer_form,
        "item_forms": item_forms,
        "checklist": checklist,
        "other_items": checklist.others,
        "refused": refused,
        "form_list": [answer_form, *item_forms],
    }
    return render_step(request, assessment, TESTING_STEP, context)


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
    return redirect(step_url(assessment, TESTING_STEP))


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
