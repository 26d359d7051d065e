"""core/prepared.py: a query built once runs with each request's ids and gives what the
ORM gives, for every clinic and user (two clinics), on both databases."""

import pytest
from django.utils import timezone

from assessments.models import Assessment
from assessments.views.dashboard import TOTALS
from clinics.models import Clinic, ClinicStamp
from core.prepared import PreparedQuery
from notifications.context_processors import COUNTS
from notifications.models import Notification
from products.models import ExosomeProduct
from suppliers.models import Supplier
from tests.factories import AssessmentFactory
from tests.notifications.support import make

pytestmark = pytest.mark.django_db


def orm_counts(clinic, user) -> tuple[int, int]:
    unread = Notification.objects.for_clinic(clinic).for_user(user).unread().count()
    return unread, clinic.assessments.submitted().count()


def stamp(clinic) -> tuple[str | None]:
    """The last column: the clinic's stamp, for the page's kept parts."""
    return (
        ClinicStamp.objects.filter(clinic_id=clinic.pk).values_list("stamp", flat=True).first(),
    )


def test_the_prepared_navbar_counts_match_the_orm_for_each_clinic_and_user(
    clinic, other_clinic, manager, other_manager, clinician, plant_product
):
    make(manager, clinic)
    make(manager, clinic)
    make(manager, clinic, read_at=timezone.now())
    make(clinician, clinic)
    make(other_manager, other_clinic)
    AssessmentFactory(product=plant_product, created_by=clinician, submitted=True)
    AssessmentFactory(product=plant_product, created_by=clinician)

    for place, user in ((clinic, manager), (clinic, clinician), (other_clinic, other_manager)):
        row = COUNTS.first_row(clinic_id=place.pk, user_id=user.pk, with_review=True)
        assert tuple(row) == orm_counts(place, user) + stamp(place)
        row = COUNTS.first_row(clinic_id=place.pk, user_id=user.pk, with_review=False)
        assert tuple(row) == orm_counts(place, user)[:1] + stamp(place)
    assert orm_counts(clinic, manager) == (2, 1)  # the data above is not all zeros


def test_no_row_gives_none(db):
    assert COUNTS.first_row(clinic_id=0, user_id=0, with_review=True) is None


def test_a_query_that_does_not_take_an_id_as_a_parameter_is_refused(db):
    # The id is dropped: the SQL would run with whatever was compiled, so it never runs.
    unused = PreparedQuery(lambda *, clinic_id: Clinic.objects.values("pk")[:1], ids=("clinic_id",))
    with pytest.raises(ValueError, match="clinic_id"):
        unused.first_row(clinic_id=1)


def test_each_shape_is_compiled_once_per_database(clinic):
    built = []

    def build(*, clinic_id, named):
        built.append(named)
        return Clinic.objects.filter(pk=clinic_id).values("name" if named else "slug")[:1]

    query = PreparedQuery(build, ids=("clinic_id",))
    for _ in range(3):
        assert query.first_row(clinic_id=clinic.pk, named=True) == (clinic.name,)
        assert query.first_row(clinic_id=clinic.pk, named=False) == (clinic.slug,)
    assert built == [True, False]


def test_the_dashboards_totals_are_each_clinics_own(
    clinic, other_clinic, plant_product, other_product, clinician
):
    AssessmentFactory(product=plant_product, created_by=clinician)
    AssessmentFactory(product=plant_product, created_by=clinician, submitted=True)

    for place in (clinic, other_clinic):
        expected = (
            Supplier.objects.for_clinic(place).count(),
            ExosomeProduct.objects.for_clinic(place).count(),
            Assessment.objects.for_clinic(place).count(),
        )
        assert TOTALS.first_row(clinic_id=place.pk) == expected
    assert TOTALS.first_row(clinic_id=clinic.pk) == (1, 1, 2)
