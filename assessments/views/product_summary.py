"""What the latest signed assessment of a product established, for the product's page.

The product page (products app) loads this with htmx: products never import assessments,
the apps depend one way (assessments → products). Without JavaScript the product page's
link opens the same summary as a page of its own.
"""

from django.shortcuts import get_object_or_404, render
from django.template import engines
from django.utils.cache import patch_vary_headers

from assessments.models import Assessment
from clinics.decorators import clinic_member_required
from products.models import ExosomeProduct, split_inci, split_lines

# The parent of the summary when htmx asks for it: the fragment alone, no page around it.
_FRAGMENT_ONLY = engines["django"].from_string("{% block content %}{% endblock %}")


def latest_signed(clinic, product) -> Assessment | None:
    """The clinic's most recently signed (finalised) assessment of `product`, if any."""
    return (
        Assessment.objects.for_clinic(clinic)
        .finalised()
        .filter(product=product)
        # Its names are read from its signed record (assessments/signed_record.py): no joins.
        .order_by("-finalised_at", "-pk")
        .first()
    )


@clinic_member_required
def product_summary(request, pk):
    product = get_object_or_404(
        ExosomeProduct.objects.for_clinic(request.clinic).select_related("supplier"), pk=pk
    )
    signed = latest_signed(request.clinic, product)
    context = {
        "layout": _FRAGMENT_ONLY if request.htmx else "base.html",
        "product": product,
        "signed": signed,
        "inci_items": split_inci(signed.inci) if signed else [],
        "claim_items": split_lines(signed.claims) if signed else [],
    }
    response = render(request, "assessments/_product_summary.html", context)
    # One URL, two bodies (the fragment for htmx, the page without it): never mix them up.
    patch_vary_headers(response, ["HX-Request"])
    return response
