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

On a GET or HEAD even that query is not run: the tenancy middleware reads the same columns in
the query that finds the request's membership (`read_along_membership`).
"""

from functools import cached_property

from django.db.models import OuterRef

from clinics.kept import read_stamp_with, stamp_of_clinic
from clinics.models import Clinic
from clinics.policy import Action, can
from core.prepared import PreparedQuery, count_of
from notifications.models import Notification


def _count_columns(*, clinic, user, with_review: bool) -> dict:
    """The navbar's counts and, last, the clinic's stamp, as columns of a query whose rows
    know the clinic and the user (`clinic`, `user`: ids or `OuterRef`s)."""
    unread = Notification.objects.for_clinic(clinic).for_user(user).unread()
    columns = {"unread": count_of(unread)}
    if with_review:
        # The review queue's own definition of "waiting" (AssessmentQuerySet.submitted),
        # reached through the clinic's reverse relation: notifications never imports
        # assessments (the layers contract in pyproject.toml).
        assessments = Clinic.assessments.rel.related_model.objects
        columns["waiting_review"] = count_of(assessments.filter(clinic=clinic).submitted())
    # The last column: the clinic's stamp, which the kept parts of the page need next.
    columns["stamp"] = stamp_of_clinic(clinic)
    return columns


def read_along_membership(*, clinic, user) -> dict:
    """The same columns, read by the tenancy middleware in the query that finds the
    request's membership (settings.MEMBERSHIP_READ_ALONG), so a page's navbar and its kept
    parts need no query of their own. "Waiting for review" is counted for everyone; the
    navbar shows it to reviewers only."""
    return _count_columns(clinic=clinic, user=user, with_review=True)


def _counts_query(*, clinic_id: int, user_id: int, with_review: bool):
    columns = _count_columns(clinic=OuterRef("pk"), user=user_id, with_review=with_review)
    return Clinic.objects.filter(pk=clinic_id).order_by().values(**columns)[:1]


COUNTS = PreparedQuery(_counts_query, ids=("clinic_id", "user_id"))
# Requests that change nothing, whose counts are as the request began.
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


class NavCounts:
    def __init__(self, request):
        self._request = request

    @cached_property
    def _counts(self) -> dict:
        request = self._request
        user, clinic = getattr(request, "user", None), getattr(request, "clinic", None)
        if user is None or not user.is_authenticated or clinic is None:
            return {"unread": 0, "waiting_review": 0, "stamp": None}
        membership = getattr(request, "membership", None)
        with_review = can(membership, Action.REVIEW)
        along = getattr(membership, "read_along", None)
        if along and request.method in READ_ONLY_METHODS:
            # Read with the membership as the request began (clinics/middleware.py): a
            # GET or HEAD changes no count, so they are still what the page would read.
            unread, waiting, stamp = along["unread"], along["waiting_review"], along["stamp"]
        else:
            row = COUNTS.first_row(clinic_id=clinic.pk, user_id=user.pk, with_review=with_review)
            unread, *rest, stamp = row or (0, None)
            waiting = rest[0] if rest else 0
        return {"unread": unread, "waiting_review": waiting if with_review else 0, "stamp": stamp}

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
