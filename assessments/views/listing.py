from django.shortcuts import get_object_or_404, render

from assessments.models import Assessment, Verdict
from clinics.decorators import clinic_member_required
from clinics.listing import paginate, search_term


@clinic_member_required
def assessment_list(request):
    term = search_term(request)
    assessments = Assessment.objects.for_clinic(request.clinic).with_related().search(term)
    status = request.GET.get("status", "")
    if status in Assessment.Status.values:
        assessments = assessments.filter(status=status)
    verdict = request.GET.get("verdict", "")
    if verdict in Verdict.values:
        assessments = assessments.filter(verdict=verdict)
    context = {
        "page": paginate(request, assessments),
        "q": term,
        "status": status,
        "verdict": verdict,
        "statuses": Assessment.Status.choices,
        "verdicts": Verdict.choices,
    }
    return render(request, "assessments/list.html", context)


@clinic_member_required
def assessment_detail(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.for_clinic(request.clinic).with_related(), pk=pk
    )
    evidence = assessment.evidence_items.select_related("evidence_type")
    return render(
        request, "assessments/detail.html", {"assessment": assessment, "evidence": evidence}
    )
