"""The practice manager's review: the queue, one assessment's review page, and the actions
(return with a comment, sign off, start a new version). Actions are POST-only."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.checklist import checklist_for, named_documents
from assessments.errors import (
    AssessmentError,
    NewVersionExists,
    NotAllowed,
    SecondFactorRequired,
    SelfSignOff,
    WrongCode,
    WrongPassword,
)
from assessments.evidence_checks import attach_checks
from assessments.forms_review import ReturnForm, SignOffForm
from assessments.models import Assessment
from assessments.services.signoff import (
    needs_another_signer,
    return_to_clinician,
    sign_off,
    start_new_version,
)
from clinics import mfa, throttle
from clinics.decorators import clinic_member_required, second_factor_setup
from clinics.kept import kept_page
from clinics.policy import Action, can
from core.listing import lazy_page

RECENTLY_FINALISED = 10


def _clinic_assessments(request):
    return Assessment.objects.for_clinic(request.clinic).with_related()


@clinic_member_required(action=Action.REVIEW)
def review_queue(request):
    # The whole page is kept for the menu (clinics/kept.py); its lists are read only
    # where it is not (templates/assessments/review/queue.html).
    return kept_page(
        request,
        "review-queue",
        template="assessments/review/queue.html",
        context=lambda: _queue_lists(request),
    )


def _queue_lists(request) -> dict:
    assessments = Assessment.objects.for_clinic(request.clinic).listed()
    waiting = assessments.submitted().select_related("submitted_by").order_by("submitted_at", "pk")
    return {
        "page": lazy_page(request, lambda: waiting),
        "recently_finalised": assessments.finalised().order_by("-finalised_at")[
            :RECENTLY_FINALISED
        ],
    }


def _review_page(request, assessment, *, return_form=None, sign_off_form=None, status=200):
    evidence = list(assessment.evidence_items.select_related("evidence_type"))
    context = {
        "assessment": assessment,
        "evidence": named_documents(evidence, assessment.jurisdiction),
        "checklist": checklist_for(assessment, items=evidence),
        # Each document's "checked" mark (item.mark) and "7 of 9 documents checked".
        "check_count": attach_checks(evidence),
        "newer": assessment.next_versions.first() if assessment.is_finalised else None,
        "return_form": return_form or ReturnForm(),
        "sign_off_form": sign_off_form
        or SignOffForm.for_user(request.user, request.membership, verdict=assessment.verdict),
        # The submitter of a four-eyes clinic is told so instead of the form (the service's rule).
        "self_sign_off": str(SelfSignOff())
        if needs_another_signer(assessment, request.user)
        else "",
        # A signer needs two-factor authentication: without it the panel says how to set it up.
        "signer_needs_second_factor": can(request.membership, Action.SIGN_OFF)
        and not mfa.has_authenticator(request.user),
    }
    return render(request, "assessments/review/detail.html", context, status=status)


@clinic_member_required(action=Action.REVIEW)
def review_detail(request, pk):
    assessment = get_object_or_404(
        _clinic_assessments(request).select_related("submitted_by", "signed_by"), pk=pk
    )
    return _review_page(request, assessment)


@clinic_member_required(action=Action.REVIEW)
@require_POST
def return_assessment(request, pk):
    assessment = get_object_or_404(_clinic_assessments(request), pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _review_page(request, assessment, return_form=form)
    try:
        return_to_clinician(
            assessment=assessment, by=request.user, comment=form.cleaned_data["comment"]
        )
    except (AssessmentError, NotAllowed) as error:
        messages.error(request, str(error))
        return redirect("assessments:review", pk=assessment.pk)
    messages.success(
        request, f"{assessment.product} was returned to the clinician with your comment."
    )
    return redirect("assessments:review_queue")


@clinic_member_required(action=Action.SIGN_OFF)
@require_POST
def sign_off_assessment(request, pk):
    assessment = get_object_or_404(_clinic_assessments(request), pk=pk)
    form = SignOffForm.for_user(
        request.user, request.membership, data=request.POST, verdict=assessment.verdict
    )
    if not form.is_valid():
        return _review_page(request, assessment, sign_off_form=form)
    data = form.cleaned_data
    # The password and the code are throttled like log-in (clinics/throttle.py): after
    # AXES_FAILURE_LIMIT wrong ones even the right ones are refused until the cool-off ends.
    try:
        attempt = throttle.begin(request.user, purpose="sign-off", ip=throttle.request_ip(request))
    except throttle.ReauthLocked as locked:
        form.add_error("password", str(locked))
        return _review_page(request, assessment, sign_off_form=form, status=429)
    try:
        signed = sign_off(
            assessment=assessment,
            by=request.user,
            password=data["password"],
            otp_code=data["otp_code"],
            meaning=data["meaning"],
            signed_name=data["signed_name"],
            signed_role=data["signed_role"],
            statement=data["statement"],
            # Printed in the PDF: the configured address, never the request's Host header.
            site_url=settings.SITE_URL,
        )
    except WrongPassword as error:
        return _wrong_signature(request, assessment, form, attempt, error)
    except SecondFactorRequired:
        attempt.abandoned()
        return second_factor_setup(request, Action.SIGN_OFF)
    except NotAllowed as error:
        # Refused before the password was checked.
        attempt.abandoned()
        messages.error(request, str(error))
        return redirect("assessments:review", pk=assessment.pk)
    except AssessmentError as error:
        # The password was right; the assessment itself could not be signed.
        attempt.succeeded()
        messages.error(request, str(error))
        return redirect("assessments:review", pk=assessment.pk)
    except BaseException:
        attempt.abandoned()
        raise
    attempt.succeeded()
    messages.success(
        request,
        f"Signed off. {signed.document_id} is finalised and its PDF report is stored.",
    )
    return redirect("assessments:review", pk=signed.pk)


def _wrong_signature(request, assessment, form, attempt, error: WrongPassword):
    """A wrong password or authenticator code: both count towards the same lockout."""
    wrong_code = isinstance(error, WrongCode)
    field = "otp_code" if wrong_code else "password"
    if attempt.failed("authenticator code" if wrong_code else "password"):
        form.add_error(field, str(attempt.lockout()))
        return _review_page(request, assessment, sign_off_form=form, status=429)
    form.add_error(field, str(error))
    return _review_page(request, assessment, sign_off_form=form)


@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
@require_POST
def new_version(request, pk):
    assessment = get_object_or_404(_clinic_assessments(request), pk=pk)
    try:
        draft = start_new_version(assessment=assessment, by=request.user)
    except NewVersionExists as error:
        messages.info(request, str(error))
        target = error.newer or assessment
        return redirect(target.get_absolute_url())
    except (AssessmentError, NotAllowed) as error:
        messages.error(request, str(error))
        return redirect(assessment.get_absolute_url())
    messages.success(
        request,
        f"Version {draft.version} started as a draft from {assessment.document_id}. "
        "The signed version is kept unchanged.",
    )
    return redirect(draft.get_absolute_url())
