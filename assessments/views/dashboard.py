"""The clinic's dashboard: assessments returned to you, drafts to finish, recent
assessments, suppliers and products. For practice managers, how many assessments wait for
review (nav_counts.waiting_review, from notifications/context_processors.py: no extra query).

It lives with the assessments because it reads them (and the products and suppliers below
them); clinics/ holds tenancy only and imports no app above it.
"""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from assessments.models import Assessment
from clinics.decorators import clinic_member_required
from clinics.kept import kept_page
from clinics.models import Clinic
from core.prepared import PreparedQuery, count_of
from products.models import ExosomeProduct
from suppliers.models import Supplier

DASHBOARD_ROWS = 8


def _totals_query(*, clinic_id: int):
    return (
        Clinic.objects.filter(pk=clinic_id)
        .order_by()
        .values(
            supplier_count=count_of(Supplier.objects.for_clinic(clinic_id)),
            product_count=count_of(ExosomeProduct.objects.for_clinic(clinic_id)),
            assessment_count=count_of(Assessment.objects.for_clinic(clinic_id)),
        )[:1]
    )


# The three headings' totals: one query, compiled once (core/prepared.py).
TOTALS = PreparedQuery(_totals_query, ids=("clinic_id",))


def _totals(clinic_id: int) -> dict[str, int]:
    suppliers, products, assessments = TOTALS.first_row(clinic_id=clinic_id)
    return {"suppliers": suppliers, "products": products, "assessments": assessments}


def _lists(request, minute: str) -> dict:
    """The page's lists, as lazy querysets, and the totals, a lazy row: built only when the
    page is worked out, and the template keeps its lists (templates/assessments/
    dashboard.html), so a kept list runs none of its queries."""
    clinic = request.clinic
    assessments = Assessment.objects.for_clinic(clinic).listed()
    return {
        "totals": SimpleLazyObject(lambda: _totals(clinic.pk)),
        "minute": minute,
        "suppliers": Supplier.objects.for_clinic(clinic).order_by("-updated_at")[:DASHBOARD_ROWS],
        "products": ExosomeProduct.objects.for_clinic(clinic)
        .select_related("supplier", "source_category")
        .order_by("-updated_at")[:DASHBOARD_ROWS],
        # The user's own drafts a practice manager returned, with the comment: listed first,
        # and not again under "Drafts to finish".
        "returned_to_you": assessments.returned_to(request.user).order_by("-updated_at")[
            :DASHBOARD_ROWS
        ],
        "drafts": assessments.drafts_not_returned_to(request.user).order_by("-updated_at")[
            :DASHBOARD_ROWS
        ],
        "recent_assessments": assessments.order_by("-updated_at")[:DASHBOARD_ROWS],
    }


@clinic_member_required
def dashboard(request):
    # The user's own lists say "updated 5 minutes ago": kept for the minute at most. The
    # whole page is kept for the menu and the minute (clinics/kept.py); the approved
    # products' counts change with the day, which the minute holds too.
    minute = timezone.now().strftime("%Y%m%d%H%M")
    return kept_page(
        request,
        "dashboard",
        parts=[minute],
        template="assessments/dashboard.html",
        context=lambda: _lists(request, minute),
    )
