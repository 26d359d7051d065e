"""A request as the clinic sees it: what the supplier submitted, marked "supplied by…",
apart from what the clinic recorded; each file opened and its facts confirmed (or
corrected); the answers taken into the assessment; every exchange in its history."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.checklist import document_info
from assessments.errors import AssessmentNotEditable
from clinics.decorators import clinic_member_required
from clinics.policy import Action
from core.forms import add_service_error
from portal.asks import QUESTION_TITLES, asked_documents, choice_label
from portal.forms import ConfirmForm
from portal.models import RequestedAssessment, SupplierAnswer, SupplierDocument, SupplierRequest
from portal.services.review import apply_answers, confirm_document, open_document


@dataclass
class ReviewedItem:
    item: RequestedAssessment
    documents: list[tuple[SupplierDocument, ConfirmForm]]
    asked: list = field(default_factory=list)

    @property
    def assessment(self):
        return self.item.assessment

    @property
    def answer(self):
        return getattr(self.item, "answer", None)

    @property
    def questions(self) -> list[str]:
        return [QUESTION_TITLES[key] for key in self.item.questions]

    @property
    def asked_summary(self) -> str:
        """The questions and documents the request asked for, in one line."""
        return "; ".join([*self.questions, *(document.name for document in self.asked)])

    @property
    def answers_shown(self) -> list[tuple[str, str, str]]:
        """(question, chosen option's name, words) for each question asked."""
        answer = self.answer
        if answer is None:
            return []
        shown = []
        for key in self.item.questions:
            choice = getattr(answer, f"{key}_choice", "")
            text = getattr(answer, f"{key}_text")
            shown.append((QUESTION_TITLES[key], choice_label(key, choice), text))
        return shown


def _items(supplier_request, bound: ConfirmForm | None) -> list[ReviewedItem]:
    items = supplier_request.items.select_related(
        "assessment__product", "assessment__clinic", "answer"
    ).prefetch_related("docs__evidence_type", "docs__opened_by", "docs__confirmed_by")
    found = []
    for item in items:
        documents = []
        for document in item.docs.all():
            info = document_info(document.evidence_type, item.assessment.jurisdiction)
            form = ConfirmForm(document=document, info=info)
            if bound is not None and bound.prefix == form.prefix:
                form = bound
            documents.append((document, form))
        found.append(ReviewedItem(item, documents, asked_documents(item)))
    return found


def clinic_request(request, pk):
    """The clinic's own request `pk` (another clinic's is a 404)."""
    return get_object_or_404(
        SupplierRequest.objects.for_clinic(request.clinic).select_related(
            "supplier", "requested_by", "revoked_by", "follows_up"
        ),
        pk=pk,
    )


def _render(request, supplier_request, *, bound=None, status=200):
    context = {
        "supplier_request": supplier_request,
        "items": _items(supplier_request, bound),
        "events": supplier_request.events.select_related("user")[:200],
        "follow_ups": supplier_request.follow_ups.all(),
    }
    return render(request, "portal/clinic/request.html", context, status=status)


@clinic_member_required(action=Action.VIEW)
def request_detail(request, pk):
    return _render(request, clinic_request(request, pk))


def _clinic_document(request, pk):
    return get_object_or_404(
        SupplierDocument.objects.for_clinic(request.clinic).select_related(
            "item__request", "item__assessment", "evidence_type", "evidence_item", "library"
        ),
        pk=pk,
    )


@clinic_member_required(action=Action.VIEW)
def open_file(request, pk):
    """Record who opened the file, then download it through the evidence download (which
    checks its SHA-256 first)."""
    document = _clinic_document(request, pk)
    if document.evidence_item is None:
        messages.error(request, "This file is not on the assessment, so it cannot be opened.")
        return redirect("portal:request", document.item.request_id)
    item = open_document(document=document, by=request.user)
    return redirect("assessments:evidence_download", item.assessment_id, item.pk)


@require_POST
@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def confirm(request, pk):
    document = _clinic_document(request, pk)
    info = document_info(document.evidence_type, document.item.assessment.jurisdiction)
    form = ConfirmForm(request.POST, document=document, info=info)
    if form.is_valid():
        try:
            confirm_document(document=document, by=request.user, **form.facts())
        except AssessmentNotEditable as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{info.name} confirmed: the findings of {document.item.assessment.product} "
                "are updated.",
            )
            return redirect("portal:request", document.item.request_id)
    return _render(request, document.item.request, bound=form)


@require_POST
@clinic_member_required(action=Action.EDIT_ASSESSMENTS)
def apply(request, pk):
    answer = get_object_or_404(
        SupplierAnswer.objects.for_clinic(request.clinic).select_related(
            "item__assessment", "item__request"
        ),
        pk=pk,
    )
    if not answer.item.request.is_submitted:
        messages.error(request, "The supplier has not submitted these answers yet.")
    else:
        try:
            apply_answers(answer=answer, by=request.user)
        except AssessmentNotEditable as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"The supplier's answers are in {answer.item.assessment.product}."
            )
    return redirect("portal:request", answer.item.request_id)
