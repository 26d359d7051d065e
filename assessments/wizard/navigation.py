"""Moving through the questionnaire: Back / Save draft / Continue, the step URLs, and the
page every step renders. Every step handler uses these, so the steps behave alike."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments.models import Assessment
from assessments.steps import (
    CELLS_STEP,
    FIRST_STEP,
    LAST_STEP,
    PRODUCT_STEP,
    SOURCE_STEP,
    STEPS,
    clamp,
)

ACTIONS = {"back", "save", "continue"}
# Steps whose answers change the findings as they are typed (documents change them by upload).
LIVE_STEPS = {PRODUCT_STEP, SOURCE_STEP, CELLS_STEP}


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


def clinic_assessments(request):
    return Assessment.objects.for_clinic(request.clinic).select_related(
        "product", "product__supplier", "source_category", "cell_status", "route"
    )


def chosen_action(request, default: str = "continue") -> str:
    action = request.POST.get("action", default)
    return action if action in ACTIONS else default


def resume_at(step: int, action: str) -> int:
    if action == "back":
        return clamp(step - 1)
    if action == "continue":
        return clamp(step + 1)
    return step


def after_save(request, assessment, step: int, action: str):
    if action == "back" and step == FIRST_STEP:
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
    return render(request, STEPS[step - 1].template, {**base, **context})
