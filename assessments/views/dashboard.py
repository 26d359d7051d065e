"""The clinic's dashboard: drafts to finish, recent assessments, suppliers and products.

It lives with the assessments because it reads them (and the products and suppliers below
them); clinics/ holds tenancy only and imports no app above it.
"""

from django.shortcuts import render

from assessments.models import Assessment
from clinics.decorators import clinic_member_required
from products.models import ExosomeProduct
from suppliers.models import Supplier

DASHBOARD_ROWS = 8


@clinic_member_required
def dashboard(request):
    clinic = request.clinic
    assessments = Assessment.objects.for_clinic(clinic).with_related()
    context = {
        "suppliers": Supplier.objects.for_clinic(clinic).order_by("-updated_at")[:DASHBOARD_ROWS],
        "supplier_count": Supplier.objects.for_clinic(clinic).count(),
        "products": ExosomeProduct.objects.for_clinic(clinic)
        .select_related("supplier", "source_category")
        .order_by("-updated_at")[:DASHBOARD_ROWS],
        "product_count": ExosomeProduct.objects.for_clinic(clinic).count(),
        "drafts": assessments.drafts().order_by("-updated_at")[:DASHBOARD_ROWS],
        "recent_assessments": assessments.order_by("-updated_at")[:DASHBOARD_ROWS],
        "assessment_count": assessments.count(),
    }
    return render(request, "assessments/dashboard.html", context)
