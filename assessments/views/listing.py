from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from assessments.checklist import checklist_for, named_documents
from assessments.history import assessment_story
from assessments.models import VERDICT_CHOICES, Assessment
from clinics.decorators import clinic_member_required
from clinics.kept import kept_for, kept_page, without_forms
from core.listing import lazy_page, search_term


def _listed(clinic, *, term: str, status: str, verdict: str):
    assessments = Assessment.objects.for_clinic(clinic).listed().search(term, clinic=clinic)
    if status:
        assessments = assessments.filter(status=status)
    if verdict:
        assessments = assessments.filter(verdict=verdict)
    return assessments


@clinic_member_required
def assessment_list(request):
    term = search_term(request)
    status = request.GET.get("status", "")
    status = status if status in Assessment.Status.values else ""
    verdict = request.GET.get("verdict", "")
    verdict = verdict if verdict in dict(VERDICT_CHOICES) else ""
    filters = urlencode([pair for pair in (("status", status), ("verdict", verdict)) if pair[1]])
    context = {
        # Built (a search reads its matching products first) and read only where the page
        # is not kept (templates/assessments/list.html).
        "page": lazy_page(
            request, lambda: _listed(request.clinic, term=term, status=status, verdict=verdict)
        ),
        "q": term,
        "extra_query": f"{filters}&" if filters else "",
        "status": status,
        "verdict": verdict,
        "statuses": Assessment.Status.choices,
        "verdicts": VERDICT_CHOICES,
    }
    # The whole page is kept for the menu and the query (clinics/kept.py).
    return kept_page(
        request,
        "assessment-list",
        template="assessments/list.html",
        context=lambda: context,
    )


# The id of the form, outside the kept body, that the new-version button submits.
NEW_VERSION_FORM = "new-version-form"


@clinic_member_required
def assessment_detail(request, pk):
    """The assessment's page, kept whole (clinics/kept.py) for its clinic, the menu and the
    day until one of the clinic's rows changes: a kept page is one cache read. A kept page
    proves tenancy by its key (it was worked out under this clinic's queryset, and a deleted
    row restamps the clinic). Its body is kept on its own too, for the role and day, so a
    change of the menu's counts renders only the page around it; the body holds no form (a
    new version's is outside it)."""
    role = request.membership.role
    today = timezone.localdate()
    # Worked out (or read) when the template first reads it; an unknown id raises Http404
    # from there.
    body = SimpleLazyObject(
        lambda: kept_for(
            request,
            "assessment-page",
            parts=[pk, role, today],
            work=lambda: _detail_page(request, pk, today),
        )
    )
    return kept_page(
        request,
        "assessment",
        parts=[pk, today],
        template="assessments/detail.html",
        context=lambda: {"page": body, "pk": pk, "new_version_form": NEW_VERSION_FORM},
    )


def _detail_page(request, pk, today) -> dict:
    assessment = get_object_or_404(
        # The version it supersedes, joined: the page links back to it (as the PDF names it).
        Assessment.objects.for_clinic(request.clinic)
        .with_related()
        .select_related("previous_version"),
        pk=pk,
    )
    evidence = SimpleLazyObject(
        lambda: list(assessment.evidence_items.select_related("evidence_type"))
    )
    newer = assessment.next_versions.first() if assessment.is_finalised else None
    context = {
        "assessment": assessment,
        "newer": newer,
        "today": today,
        "evidence": SimpleLazyObject(lambda: named_documents(evidence, assessment.jurisdiction)),
        "checklist": SimpleLazyObject(lambda: checklist_for(assessment, items=evidence)),
        # What happened, in sentences; the full technical trail is a page of its own
        # (assessments/views/trail.py), so this page does not grow with the record's history.
        "history_summary": SimpleLazyObject(lambda: assessment_story(assessment)),
        "new_version_form": NEW_VERSION_FORM,
    }
    body = render_to_string("assessments/_detail_body.html", context, request=request)
    return {
        "title": str(assessment.names.product),
        "body": without_forms("assessment-page", body),
        # The form the "Start a new version" button names, rendered outside the kept body.
        "new_version": assessment.is_finalised and newer is None,
    }
