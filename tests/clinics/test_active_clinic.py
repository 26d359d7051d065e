"""Which clinic a request acts for (clinics.middleware.active_membership): the one chosen in
the session (joining a clinic chooses it), else the user's first membership; never a clinic
the user does not belong to."""

import pytest
from django.test import Client

from clinics.middleware import ACTIVE_CLINIC_SESSION_KEY, active_membership
from clinics.models import Membership, Role
from tests.factories import ClinicFactory, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_clinics(clinic, manager):
    second = ClinicFactory(name="Second Clinic")
    Membership.objects.create(user=manager, clinic=second, role=Role.CLINICIAN)
    return clinic, second


def test_without_a_choice_the_first_membership_is_active(manager, two_clinics):
    first, _ = two_clinics
    membership = active_membership(manager, None)
    assert membership.clinic == first and membership.role == Role.PRACTICE_MANAGER
    assert membership.clinic.name == first.name  # the clinic comes with it


def test_the_chosen_clinic_is_active(manager, two_clinics):
    _, second = two_clinics
    membership = active_membership(manager, second.pk)
    assert (membership.clinic, membership.role) == (second, Role.CLINICIAN)


def test_a_chosen_clinic_the_user_left_falls_back_to_the_first(manager, two_clinics):
    first, second = two_clinics
    Membership.objects.filter(user=manager, clinic=second).delete()
    assert active_membership(manager, second.pk).clinic == first


def test_a_clinic_the_user_never_joined_is_never_active(manager, two_clinics, other_clinic):
    assert active_membership(manager, other_clinic.pk).clinic == two_clinics[0]


def test_a_user_of_no_clinic_has_no_membership(django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x-long-password-1")
    assert active_membership(loner, None) is None


def test_the_session_choice_decides_the_page(manager, two_clinics):
    _, second = two_clinics
    client = log_in(Client(), manager)
    session = client.session
    session[ACTIVE_CLINIC_SESSION_KEY] = second.pk
    session.save()
    assert "Second Clinic" in client.get("/").content.decode()
