"""The documents step (Q3): the checklist's documents, each uploaded with what it says or
recorded as not provided, all saved by one service call per POST."""

from assessments.checklist import checklist_for
from assessments.forms import EvidenceItemForm, TestingStepForm
from assessments.models import Assessment, EvidenceItem
from assessments.services import DocumentUpload, save_documents_step
from assessments.steps import DOCUMENTS_STEP
from assessments.wizard.navigation import after_save, chosen_action, render_step, resume_at


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
        # Only a test report is asked its result (the form has no field otherwise).
        result=data.get("result") or EvidenceItem.Result.NOT_STATED,
    )


def documents_step(request, assessment):
    checklist = checklist_for(assessment)
    if request.method != "POST":
        return _render(request, assessment, checklist, TestingStepForm(instance=assessment))

    action = chosen_action(request)
    item_forms = _forms(request, checklist, bound=True)
    valid = [form for form in item_forms if form.is_valid()]
    refused = [form for form in item_forms if form.errors]
    answer_form = TestingStepForm(request.POST, instance=assessment, clinic=request.clinic)
    uploads = [_upload(form) for form in valid if form.wants_upload] if valid else []
    if answer_form.is_valid():
        # Whatever else was refused, the answer and every valid document are kept: one call,
        # one transaction, one evaluation of the rules.
        save_documents_step(
            assessment=assessment,
            by=request.user,
            testing_answer=answer_form.cleaned_data["testing_answer"],
            uploads=uploads,
            not_provided=[form.evidence_type for form in valid if form.wants_not_provided],
            unmark=[form.evidence_type for form in valid if form.wants_unmark],
            resume_at=DOCUMENTS_STEP if refused else resume_at(DOCUMENTS_STEP, action),
        )
    if refused or answer_form.errors:
        # Fresh forms show what is now on file; a refused item keeps everything typed.
        checklist = checklist_for(Assessment.objects.get(pk=assessment.pk))
        kept = {form.evidence_type.pk: form for form in refused}
        fresh = _forms(request, checklist, bound=False)
        forms = [kept.get(form.evidence_type.pk, form) for form in fresh]
        # The summary says which chosen files were kept, so none is uploaded twice.
        saved = len(uploads) if answer_form.is_valid() else 0
        return _render(
            request, assessment, checklist, answer_form, forms, refused=len(refused), saved=saved
        )
    return after_save(request, assessment, DOCUMENTS_STEP, action)


def _render(request, assessment, checklist, answer_form, item_forms=None, *, refused=0, saved=0):
    item_forms = item_forms or _forms(request, checklist, bound=False)
    context = {
        "saved_uploads": saved,
        "form": answer_form,
        "item_forms": item_forms,
        "checklist": checklist,
        "other_items": checklist.others,
        "refused": refused,
        "form_list": [answer_form, *item_forms],
    }
    return render_step(request, assessment, DOCUMENTS_STEP, context)
