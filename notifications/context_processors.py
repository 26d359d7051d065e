"""The navbar's counts: the bell's unread notifications and, for practice managers, the
assessments waiting for review (the Review menu item and the dashboard).

Both come from ONE query, run only when a template reads them (`nav_counts.unread`,
`nav_counts.waiting_review`) and only for a signed-in member of a clinic: a page that
never shows the navbar (an HTMX fragment, the error pages) costs nothing. Every page
shows the navbar, so the query is built by the ORM once and then only run with the
request's clinic and user (core/prepared.py): building it cost more than running it.
The same query reads the clinic's stamp, which the page's kept parts need next (the navbar
itself is kept for the counts it shows: templates/base.html), so they need no query of their
own (`clinics.kept.read_stamp_with`).
"""

from functools import cached_property

from django.db.models import OuterRef

from clinics.kept import read_stamp_with, stamp_of_clinic
from clinics.models import Clinic
from clinics.policy import Action, can
from core.prepared import PreparedQuery, count_of
from notifications.models import Notification


def _counts_query(*, clinic_id: int, user_id: int, with_review: bool):
    clinic = Clinic(pk=clinic_id)
    unread = Notification.objects.for_clinic(clinic).for_user(user_id).unread()
    counts = {"unread": count_of(unread)}
    if with_review:
        # The review queue's own definition of "waiting" (AssessmentQuerySet.submitted),
        # reached through the clinic's reverse relation: notifications never imports
        # assessments (the layers contract in pyproject.toml).
        counts["waiting_review"] = count_of(clinic.assessments.submitted())
    # The last column: the clinic's stamp, which the kept parts of the page need next.
    counts["stamp"] = stamp_of_clinic(OuterRef("pk"))
    return Clinic.objects.filter(pk=clinic_id).order_by().values(**counts)[:1]


COUNTS = PreparedQuery(_counts_query, ids=("clinic_id", "user_id"))


class NavCounts:
    def __init__(self, request):
        self._request = request

    @cached_property
    def _counts(self) -> dict:
        request = self._request
        user, clinic = getattr(request, "user", None), getattr(request, "clinic", None)
        if user is None or not user.is_authenticated or clinic is None:
            return {"unread": 0, "waiting_review": 0, "stamp": None}
        with_review = can(getattr(request, "membership", None), Action.REVIEW)
        row = COUNTS.first_row(clinic_id=clinic.pk, user_id=user.pk, with_review=with_review)
        unread, *waiting, stamp = row or (0, None)
        return {"unread": unread, "waiting_review": waiting[0] if waiting else 0, "stamp": stamp}

    @property
    def unread(self) -> int:
        return self._counts["unread"]

    @property
    def waiting_review(self) -> int:
        return self._counts["waiting_review"]

    @property
    def menu_parts(self) -> tuple[object, ...]:
        """What the menu shows that varies: templates/base.html keeps the menu for these, and
        a kept page (clinics.kept.kept_page) for these and its own."""
        request = self._request
        user, membership = request.user, getattr(request, "membership", None)
        role = membership.role if membership is not None else None
        return (user.pk, user.is_staff, role, request.path, self.unread, self.waiting_review)

    def stamp(self) -> str | None:
        """The clinic's stamp, read by the same query (clinics.kept.read_stamp_with)."""
        stamp: str | None = self._counts["stamp"]
        return stamp


def navbar(request) -> NavCounts:
    """The request's one NavCounts, whether a view asks first (for a kept page's key) or the
    templates do; the stamp comes with its query."""
    counts: NavCounts | None = getattr(request, "_nav_counts", None)
    if counts is None:
        counts = request._nav_counts = NavCounts(request)
        read_stamp_with(request, counts.stamp)
    return counts


def menu_parts(request) -> tuple[object, ...]:
    """What a kept page's key holds of the menu (settings.KEPT_PAGE_MENU_PARTS, read by
    `clinics.kept.kept_page`): the same parts templates/base.html keeps the menu for."""
    return navbar(request).menu_parts


def nav_counts(request):
    return {"nav_counts": navbar(request)}
