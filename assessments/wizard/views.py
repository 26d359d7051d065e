"""The questionnaire's pages: start an assessment, then each step of the table in steps.py,
each with Back / Save draft / Continue. Every save is server-side, so a draft resumes on any
device at the step where the user stopped (Assessment.current_step)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from assessments.checklist import checklist_for
from assessments.evaluation import evaluate_assessment
from assessments.forms import (
    CellStatusStepForm,
    ProductStepForm,
    ReviewStepForm,
    SourceStepForm,
    StartAssessmentForm,
)
from assessments.forms.start import new_start_token, start_token_id
from assessments.models import Assessment
from assessments.services import (
    AssessmentIncomplete,
    AssessmentNotEditable,
    save_answers,
    start_assessment,
    start_assessment_for_new_product,
    submit_assessment,
)
from assessments.steps import REVIEW_STEP, STEPS, step_numbered
from assessments.wizard.documents import documents_step
from assessments.wizard.navigation import (
    LIVE_STEPS,
    after_save,
    chosen_action,
    clinic_assessments,
    outcome_from_result,
    outcome_of,
    render_step,
    resume_at,
    step_url,
)
from clinics.decorators import clinic_member_required
from clinics.policy import Action
from core.params import parse_id
from products.models import ExosomeProduct
from suppliers.models import Supplier

STEP_FORMS = {
    "product": ProductStepForm,
    "source": SourceStepForm,
    "cells": CellStatusStepForm,
}


# --- Starting -------------------------------------------------------------------------


def _start_initial(request) -> dict:
    initial = {"token": new_start_token(request.user)}
    product_id, supplier_id = (
        parse_id(request.GET.get("product")),
        parse_id(request.GET.get("supplier")),
    )
    if product_id:
        initial["product"] = (
            ExosomeProduct.objects.for_clinic(request.clinic).filter(pk=product_id).first()
        )
    if supplier_id:
        initial["supplier"] = (
            Supplier.objects.for_clinic(request.clinic).filter(pk=supplier_id).first()
        )
    return initial


def _warn_of_other_drafts(request, assessment) -> None:
    """Two drafts of one product are allowed (two lots, say), but a second one is more often
    a mistake: say so, with a link to the other, so nobody answers the same questions twice."""
    others = (
        Assessment.objects.for_clinic(request.clinic)
        .drafts()
        .filter(product_id=assessment.product_id)
        .exclude(pk=assessment.pk)
        .order_by("-pk")
    )
    other = others.first()
    if other is not None:
        messages.warning(
            request,
            format_html(
                "Another draft of this product is already open: "
                '<a href="{}">{} (lot {})</a>. Resume that one instead if this was a mistake.',
                step_url(other, other.current_step),
                other.document_id,
                other.batch_lot or "not recorded",
            ),
        )


def _already_started(request):
    """The assessment this exact form already created (a double click or a resent POST)."""
    public_id = start_token_id(request.POST.get("token", ""), request.user)
    if public_id is None:
        return None
    return (
        Assessment.objects.for_clinic(request.clinic)
        .filter(public_id=public_id, created_by=request.user)
        .first()
    )


@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def start(request):
    if request.method != "POST":
        form = StartAssessmentForm(
            initial=_start_initial(request), clinic=request.clinic, user=request.user
        )
        return render(
            request, "assessments/wizard/start.html", {"form": form, "start_forms": [form]}
        )

    existing = _already_started(request)
    if existing is not None:
        messages.info(request, "This assessment was already started: here it is.")
        return redirect(step_url(existing, existing.current_step))

    form = StartAssessmentForm(request.POST, clinic=request.clinic, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["product"]:
                assessment = start_assessment(
                    clinic=request.clinic,
                    by=request.user,
                    product=data["product"],
                    public_id=data["token"],
                )
            else:
                assessment = start_assessment_for_new_product(
                    clinic=request.clinic,
                    by=request.user,
                    public_id=data["token"],
                    product_name=data["new_product_name"],
                    supplier=data["supplier"],
                    supplier_name=data["new_supplier_name"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Assessment of “{assessment.product}” started and saved as a draft."
            )
            _warn_of_other_drafts(request, assessment)
            return redirect(step_url(assessment, 1))
    # A fresh token, so that correcting the form and sending it again can succeed.
    form.data = form.data.copy()
    form.data["token"] = new_start_token(request.user)
    return render(request, "assessments/wizard/start.html", {"form": form, "start_forms": [form]})


@clinic_member_required(action=Action.VIEW)
def resume(request, pk):
    assessment = get_object_or_404(Assessment.objects.for_clinic(request.clinic), pk=pk)
    if not assessment.is_draft:
        return redirect(assessment)
    return redirect(step_url(assessment, assessment.current_step))


# --- The steps ------------------------------------------------------------------------


@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def step(request, pk, step):
    if step_numbered(step) is None:
        raise Http404("No such step.")
    assessment = get_object_or_404(clinic_assessments(request), pk=pk)
    if not assessment.is_draft:
        if request.method == "POST":
            raise PermissionDenied("Only drafts can be changed.")
        messages.info(
            request,
            f"This assessment is {assessment.get_status_display().lower()}: "
            "its answers can no longer be changed.",
        )
        return redirect(assessment)
    try:
        return HANDLERS[STEPS[step - 1].key](request, assessment, step)
    except AssessmentNotEditable as error:
        # Submitted from another tab between loading and saving this page.
        messages.error(request, str(error))
        return redirect(assessment)


def _form_step(request, assessment, step: int):
    form_class = STEP_FORMS[STEPS[step - 1].key]
    if request.method == "POST":
        action = chosen_action(request)
        form = form_class(
            request.POST, instance=assessment, clinic=request.clinic, strict=action == "continue"
        )
        if form.is_valid():
            save_answers(
                assessment=assessment,
                by=request.user,
                answers=form.answers(),
                resume_at=resume_at(step, action),
            )
            return after_save(request, assessment, step, action)
        # The instance now holds the typed values; show the findings as last saved.
        assessment.refresh_from_db(fields=["findings", "verdict", "ruleset_version"])
    else:
        form = form_class(instance=assessment, clinic=request.clinic)
    return render_step(request, assessment, step, {"form": form})


def _review_step(request, assessment, step: int = REVIEW_STEP):
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "submit":
            try:
                submit_assessment(assessment=assessment, by=request.user)
            except AssessmentIncomplete as error:
                messages.error(request, str(error))
                return redirect(step_url(assessment, REVIEW_STEP))
            messages.success(
                request,
                "Submitted for review. A practice manager will review and sign it off; "
                "its answers are now read-only.",
            )
            return redirect(assessment)
        action = chosen_action(request, default="save")
        form = ReviewStepForm(request.POST, instance=assessment, clinic=request.clinic)
        form.is_valid()
        save_answers(
            assessment=assessment,
            by=request.user,
            answers=form.answers(),
            resume_at=resume_at(REVIEW_STEP, action),
        )
        return after_save(request, assessment, REVIEW_STEP, action)
    checklist = checklist_for(assessment)
    context = {
        "checklist": checklist,
        "missing": [(a.step, a.before_submitting) for a in checklist.blocking],
    }
    return render_step(request, assessment, REVIEW_STEP, context)


@require_POST
@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def preview(request, pk, step):
    """The findings the answers on screen would give, without saving them (htmx)."""
    if step not in LIVE_STEPS:
        raise Http404("This step has no live preview.")
    assessment = get_object_or_404(clinic_assessments(request), pk=pk)
    if assessment.is_draft:
        form = STEP_FORMS[STEPS[step - 1].key](
            request.POST, instance=assessment, clinic=request.clinic
        )
        form.is_valid()  # copies every valid answer onto the (unsaved) instance
        outcome = outcome_from_result(evaluate_assessment(form.instance))
    else:
        outcome = outcome_of(assessment)
    return render(request, "assessments/_findings.html", {**outcome, "live": True})


def _documents_step(request, assessment, step: int):
    return documents_step(request, assessment)


# Each step's handler, by the step table's key.
HANDLERS = {
    "product": _form_step,
    "source": _form_step,
    "cells": _form_step,
    "documents": _documents_step,
    "review": _review_step,
}
