"""The navbar's counts: the bell's unread notifications and, for practice managers, the
assessments waiting for review (the Review menu item and the dashboard).

Both come from ONE query, run only when a template reads them (`nav_counts.unread`,
`nav_counts.waiting_review`) and only for a signed-in member of a clinic: a page that
never shows the navbar (an HTMX fragment, the error pages) costs nothing.
"""

from functools import cached_property

from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from clinics.models import Clinic
from clinics.policy import Action, can
from notifications.models import Notification


def _count(queryset):
    """COUNT(*) of `queryset` as a scalar subquery (0 when it has no rows)."""
    counted = queryset.order_by().values("clinic").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class NavCounts:
    def __init__(self, request):
        self._request = request

    @cached_property
    def _counts(self) -> dict:
        request = self._request
        user, clinic = getattr(request, "user", None), getattr(request, "clinic", None)
        if user is None or not user.is_authenticated or clinic is None:
            return {"unread": 0, "waiting_review": 0}
        counts = {"unread": _count(Notification.objects.for_clinic(clinic).for_user(user).unread())}
        if can(getattr(request, "membership", None), Action.REVIEW):
            # The review queue's own definition of "waiting" (AssessmentQuerySet.submitted),
            # reached through the clinic's reverse relation: notifications never imports
            # assessments (the layers contract in pyproject.toml).
            counts["waiting_review"] = _count(clinic.assessments.submitted())
        row = Clinic.objects.filter(pk=clinic.pk).values(**counts).first() or {}
        return {"unread": row.get("unread", 0), "waiting_review": row.get("waiting_review", 0)}

    @property
    def unread(self) -> int:
        return self._counts["unread"]

    @property
    def waiting_review(self) -> int:
        return self._counts["waiting_review"]


def nav_counts(request):
    return {"nav_counts": NavCounts(request)}
