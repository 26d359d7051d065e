from django.shortcuts import get_object_or_404, render

from assessments.models import Assessment
from assessments.supplier_request import build_supplier_request
from clinics.decorators import clinic_member_required
from clinics.policy import Action


@clinic_member_required(action=Action.VIEW)
def ask_supplier(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.for_clinic(request.clinic).select_related(
            "clinic", "product__supplier", "source_category", "cell_status", "route"
        ),
        pk=pk,
    )
    supplier_request = build_supplier_request(assessment, sender=request.user)
    return render(
        request,
        "assessments/supplier_request.html",
        {"assessment": assessment, "request_text": supplier_request},
    )
