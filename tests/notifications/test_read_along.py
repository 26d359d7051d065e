"""The navbar's counts and the clinic's stamp are read in the same query as the request's
membership (clinics/middleware.py, settings.MEMBERSHIP_READ_ALONG): for the active clinic and
the signed-in user only; shown to reviewers only where they are theirs to see; and read afresh
for a request that may have changed them (anything but GET and HEAD)."""

import pytest
from django.test import RequestFactory

from clinics.middleware import active_membership
from clinics.models import ClinicStamp, Membership, Role
from notifications.context_processors import NavCounts
from tests.factories import AssessmentFactory, ClinicFactory
from tests.notifications.support import make

pytestmark = pytest.mark.django_db


def request_for(user, *, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    request.membership = active_membership(user, None)
    request.clinic = request.membership.clinic
    return request


def test_the_counts_are_the_active_clinics_and_the_users_own(clinic, manager, clinician):
    second = ClinicFactory(name="Second Clinic")
    Membership.objects.create(user=manager, clinic=second, role=Role.CLINICIAN)
    make(manager, clinic)
    make(manager, clinic)
    make(manager, second)  # another clinic of the same user
    make(clinician, clinic)  # another user of the same clinic
    AssessmentFactory(clinic=clinic, submitted=True)
    AssessmentFactory(clinic=second, submitted=True)

    along = active_membership(manager, None).read_along
    in_second = active_membership(manager, second.pk).read_along

    assert (along["unread"], along["waiting_review"]) == (2, 1)
    assert (in_second["unread"], in_second["waiting_review"]) == (1, 1)
    stamps = dict(ClinicStamp.objects.values_list("clinic_id", "stamp"))
    assert along["stamp"] == stamps.get(clinic.pk)
    assert in_second["stamp"] == stamps.get(second.pk)


def test_a_get_reads_them_with_the_membership_and_runs_no_query(
    clinic, manager, django_assert_num_queries
):
    make(manager, clinic)
    request = request_for(manager)

    with django_assert_num_queries(0):
        counts = NavCounts(request)
        assert (counts.unread, counts.stamp()) == (1, request.membership.read_along["stamp"])


def test_a_clinician_is_not_shown_the_review_queues_count(clinic, clinician):
    AssessmentFactory(clinic=clinic, submitted=True)
    request = request_for(clinician)

    assert request.membership.read_along["waiting_review"] == 1
    assert NavCounts(request).waiting_review == 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_that_may_change_them_reads_them_afresh(clinic, manager, method):
    request = request_for(manager, method=method)
    make(manager, clinic)  # after the membership was read, as a view's own write would be
    AssessmentFactory(clinic=clinic, submitted=True)

    counts = NavCounts(request)

    assert request.membership.read_along["unread"] == 0
    assert (counts.unread, counts.waiting_review) == (1, 1)
