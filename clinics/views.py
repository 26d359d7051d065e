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
    return render(request, "clinics/dashboard.html", context)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # No context processors that touch the database: the failure may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({}))
