"""The review page's per-document "checked" marks: mark one, or take a mark off (POST only).

Each form posts here and comes back to the same document on the review page; the services
(assessments/services/evidence_checks.py) decide whether the mark may change.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.checklist import document_info
from assessments.errors import AssessmentError, NotAllowed
from assessments.models import EvidenceItem
from assessments.services.evidence_checks import clear_check, mark_checked
from clinics.decorators import clinic_member_required
from clinics.policy import Action


def _document(request, pk, item_pk) -> EvidenceItem:
    """The clinic's document of this assessment: another clinic's is a 404."""
    return get_object_or_404(
        EvidenceItem.objects.for_clinic(request.clinic)
        .filter(assessment_id=pk)
        .select_related("evidence_type", "assessment"),
        pk=item_pk,
    )


def _back_to(item: EvidenceItem):
    return redirect(
        f"{reverse('assessments:review', args=[item.assessment_id])}#document-{item.pk}"
    )


def _change(request, pk, item_pk, service, done: str):
    item = _document(request, pk, item_pk)
    name = document_info(item.evidence_type, item.assessment.jurisdiction).name
    try:
        service(evidence=item, by=request.user)
    except (AssessmentError, NotAllowed) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(name=name))
    return _back_to(item)


@clinic_member_required(action=Action.REVIEW)
@require_POST
def check_document(request, pk, item_pk):
    return _change(request, pk, item_pk, mark_checked, "{name} marked as checked.")


@clinic_member_required(action=Action.REVIEW)
@require_POST
def clear_document_check(request, pk, item_pk):
    return _change(request, pk, item_pk, clear_check, "The check on the {name} was taken off.")
