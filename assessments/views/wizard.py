"""The questionnaire: start an assessment, then five steps, each with Back / Save draft /
Continue. Every save is server-side, so a draft resumes on any device at the step where
the user stopped (Assessment.current_step)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.checklist import checklist_for
from assessments.evaluation import evaluate_assessment
from assessments.forms import (
    CellStatusStepForm,
    ProductStepForm,
    ReviewStepForm,
    SourceStepForm,
    StartAssessmentForm,
    TestingStepForm,
)
from assessments.forms.start import new_start_token, start_token_id
from assessments.models import Assessment
from assessments.services import (
    AssessmentIncomplete,
    AssessmentNotEditable,
    save_step,
    start_assessment,
    start_assessment_for_new_product,
    submit_assessment,
)
from clinics.decorators import clinic_member_required
from clinics.policy import Action
from products.models import ExosomeProduct
from suppliers.models import Supplier


@dataclass(frozen=True)
class Step:
    number: int
    short: str
    title: str


STEPS = (
    Step(1, "Product and use", "The product, the batch and how your clinic will use it"),
    Step(2, "Q1 Source", "Where are these exosomes derived from?"),
    Step(3, "Q2 Cells", "Are they live-cell, cell-free, or processed post-cell culture?"),
    Step(4, "Q3 Testing", "What testing is performed for sterility, content and consistency?"),
    Step(5, "Review", "Review and submit"),
)
LAST_STEP = len(STEPS)
STEP_FORMS = {
    1: ProductStepForm,
    2: SourceStepForm,
    3: CellStatusStepForm,
    4: TestingStepForm,
    5: ReviewStepForm,
}
# Steps whose answers change the findings as they are typed (step 4 changes them by uploads).
LIVE_STEPS = {1, 2, 3}
ACTIONS = {"back", "save", "continue"}


def step_url(assessment, step: int) -> str:
    return reverse("assessments:step", args=[assessment.pk, step])


def outcome_of(assessment) -> dict:
    """The stored findings and verdict, as `_findings.html` expects them."""
    return {
        "findings": assessment.findings or [],
        "verdict": assessment.verdict,
        "verdict_label": assessment.get_verdict_display(),
        "ruleset": assessment.ruleset_version,
    }


def outcome_from_result(result) -> dict:
    return {
        "findings": [finding.to_dict() for finding in result.findings],
        "verdict": result.verdict.value,
        "verdict_label": result.verdict.label,
        "ruleset": result.ruleset,
    }


def editable_assessments(request):
    return Assessment.objects.for_clinic(request.clinic).select_related(
        "product", "product__supplier", "source_category", "cell_status", "route"
    )


def chosen_action(request) -> str:
    action = request.POST.get("action", "continue")
    return action if action in ACTIONS else "continue"


def resume_at(step: int, action: str) -> int:
    if action == "back":
        return max(1, step - 1)
    if action == "continue":
        return min(LAST_STEP, step + 1)
    return step


def after_save(request, assessment, step: int, action: str):
    if action == "back" and step == 1:
        messages.success(request, "Draft saved. Resume it any time from the dashboard.")
        return redirect(assessment)
    if action == "save":
        messages.success(
            request,
            f"Draft saved at step {step} of {LAST_STEP}. Resume it any time from the dashboard.",
        )
    return redirect(step_url(assessment, resume_at(step, action)))


def render_step(request, assessment, step: int, context: dict):
    base = {
        "assessment": assessment,
        "step": STEPS[step - 1],
        "steps": STEPS,
        "last_step": LAST_STEP,
        "live": step in LIVE_STEPS,
        "outcome": outcome_of(assessment),
        "form_list": [context["form"]] if "form" in context else [],
    }
    return render(request, f"assessments/wizard/step_{step}.html", {**base, **context})


# --- Starting -------------------------------------------------------------------------


def _start_initial(request) -> dict:
    initial = {"token": new_start_token(request.user)}
    product_id, supplier_id = request.GET.get("product", ""), request.GET.get("supplier", "")
    if product_id.isdigit():
        initial["product"] = (
            ExosomeProduct.objects.for_clinic(request.clinic).filter(pk=product_id).first()
        )
    if supplier_id.isdigit():
        initial["supplier"] = (
            Supplier.objects.for_clinic(request.clinic).filter(pk=supplier_id).first()
        )
    return initial


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
                    user=request.user,
                    product=data["product"],
                    public_id=data["token"],
                )
            else:
                assessment = start_assessment_for_new_product(
                    clinic=request.clinic,
                    user=request.user,
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
    if not 1 <= step <= LAST_STEP:
        raise Http404("No such step.")
    assessment = get_object_or_404(editable_assessments(request), pk=pk)
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
        if step == 4:
            from assessments.views.evidence import testing_step

            return testing_step(request, assessment)
        if step == LAST_STEP:
            return _review_step(request, assessment)
        return _form_step(request, assessment, step)
    except AssessmentNotEditable as error:
        # Submitted from another tab between loading and saving this page.
        messages.error(request, str(error))
        return redirect(assessment)


def _form_step(request, assessment, step: int):
    form_class = STEP_FORMS[step]
    if request.method == "POST":
        action = chosen_action(request)
        form = form_class(
            request.POST, instance=assessment, clinic=request.clinic, strict=action == "continue"
        )
        if form.is_valid():
            save_step(
                assessment=assessment,
                user=request.user,
                form=form,
                resume_at=resume_at(step, action),
            )
            return after_save(request, assessment, step, action)
        # The instance now holds the typed values; show the findings as last saved.
        assessment.refresh_from_db(fields=["findings", "verdict", "ruleset_version"])
    else:
        form = form_class(instance=assessment, clinic=request.clinic)
    return render_step(request, assessment, step, {"form": form})


def _review_step(request, assessment):
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "submit":
            try:
                submit_assessment(assessment=assessment, user=request.user)
            except AssessmentIncomplete as error:
                messages.error(request, str(error))
                return redirect(step_url(assessment, LAST_STEP))
            messages.success(
                request,
                "Submitted for review. A practice manager will review and sign it off; "
                "its answers are now read-only.",
            )
            return redirect(assessment)
        action = action if action in ACTIONS else "save"
        form = ReviewStepForm(request.POST, instance=assessment, clinic=request.clinic)
        form.is_valid()
        save_step(
            assessment=assessment,
            user=request.user,
            form=form,
            resume_at=resume_at(LAST_STEP, action),
        )
        return after_save(request, assessment, LAST_STEP, action)
    checklist = checklist_for(assessment)
    context = {
        "checklist": checklist,
        "missing": [(a.step, a.before_submitting) for a in checklist.blocking],
    }
    return render_step(request, assessment, LAST_STEP, context)


@require_POST
@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def preview(request, pk, step):
    """The findings the answers on screen would give, without saving them (htmx)."""
    if step not in LIVE_STEPS:
        raise Http404("This step has no live preview.")
    assessment = get_object_or_404(editable_assessments(request), pk=pk)
    if assessment.is_draft:
        form = STEP_FORMS[step](request.POST, instance=assessment, clinic=request.clinic)
        form.is_valid()  # copies every valid answer onto the (unsaved) instance
        outcome = outcome_from_result(evaluate_assessment(form.instance))
    else:
        outcome = outcome_of(assessment)
    return render(request, "assessments/_findings.html", {**outcome, "live": True})
