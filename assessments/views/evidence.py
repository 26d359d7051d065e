"""Q3 evidence: the checklist step, withdrawing a document, and the guarded download."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from assessments.evaluation import requirements_for
from assessments.forms import EvidenceItemForm, TestingStepForm
from assessments.models import Assessment, EvidenceItem
from assessments.services import (
    AssessmentNotEditable,
    EvidenceConflict,
    mark_not_provided,
    record_evidence,
    save_step,
    withdraw_evidence,
)
from assessments.supplier_request import document_gaps
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


def _items_by_type(assessment) -> dict[int, list[EvidenceItem]]:
    grouped = defaultdict(list)
    for item in assessment.evidence_items.select_related("evidence_type"):
        grouped[item.evidence_type_id].append(item)
    return grouped


def checklist_rows(assessment) -> list[dict]:
    """Each document the rules ask for, what is on file for it, and what is still wanted."""
    items = _items_by_type(assessment)
    gaps = {gap.evidence_type.pk: gap for gap in document_gaps(assessment)}
    return [
        {
            "requirement": requirement,
            "evidence_type": evidence_type,
            "on_file": [item for item in items[evidence_type.pk] if item.provided],
            "not_provided": any(not item.provided for item in items[evidence_type.pk]),
            "gap": gaps.get(evidence_type.pk),
        }
        for requirement, evidence_type in requirements_for(assessment)
    ]


def _forms(request, assessment, *, bound: bool) -> list[EvidenceItemForm]:
    items = _items_by_type(assessment)
    return [
        EvidenceItemForm(
            request.POST if bound else None,
            request.FILES if bound else None,
            requirement=requirement,
            evidence_type=evidence_type,
            items=items[evidence_type.pk],
            assessment_lot=assessment.batch_lot,
        )
        for requirement, evidence_type in requirements_for(assessment)
    ]


def _apply(request, assessment, form: EvidenceItemForm) -> None:
    """Store what one checklist item asks for; a refusal becomes an error on that item."""
    user, evidence_type = request.user, form.evidence_type
    try:
        if form.wants_upload:
            data = form.cleaned_data
            record_evidence(
                assessment=assessment,
                user=user,
                evidence_type=evidence_type,
                upload=data["file"],
                lab=data["lab"],
                lot=data["lot"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                result=data["result"],
            )
        elif form.wants_not_provided:
            mark_not_provided(assessment=assessment, user=user, evidence_type=evidence_type)
        elif form.wants_unmark:
            for item in assessment.evidence_items.filter(
                evidence_type=evidence_type, provided=False
            ):
                withdraw_evidence(assessment=assessment, user=user, item=item)
    except EvidenceConflict as error:
        form.add_error("not_provided", str(error))


def testing_step(request, assessment):
    if request.method != "POST":
        return _render(request, assessment, TestingStepForm(instance=assessment), None)

    action = chosen_action(request)
    item_forms = _forms(request, assessment, bound=True)
    for form in item_forms:
        if form.is_valid():
            _apply(request, assessment, form)
    refused = [form for form in item_forms if form.errors]
    answer_form = TestingStepForm(request.POST, instance=assessment, clinic=request.clinic)
    if answer_form.is_valid():
        # Whatever else was refused, the supplier's answer and the accepted documents are kept.
        save_step(
            assessment=assessment,
            user=request.user,
            form=answer_form,
            resume_at=TESTING_STEP if refused else resume_at(TESTING_STEP, action),
        )
    if refused or answer_form.errors:
        # Fresh forms show what is now on file; a refused item keeps everything typed.
        kept = {form.evidence_type.pk: form for form in refused}
        fresh = _forms(request, assessment, bound=False)
        forms = [kept.get(form.evidence_type.pk, form) for form in fresh]
        return _render(request, assessment, answer_form, forms, refused=len(refused))
    return after_save(request, assessment, TESTING_STEP, action)


def _render(request, assessment, answer_form, item_forms, *, refused: int = 0):
    item_forms = item_forms or _forms(request, assessment, bound=False)
    checklist_types = {form.evidence_type.pk for form in item_forms}
    others = [
        item
        for item in assessment.evidence_items.select_related("evidence_type")
        if item.evidence_type_id not in checklist_types and item.provided
    ]
    context = {
        "form": answer_form,
        "item_forms": item_forms,
        "other_items": others,
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
    messages.success(request, f"{item.evidence_type.name} removed from this draft.")
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
