"""The staff admin keeps the members page's rule: a clinic is never left without a clinic
admin, whether a role is changed, a membership moved to another clinic or deleted."""

import pytest
from django.urls import reverse

from clinics.models import Membership, Role
from clinics.services import LAST_ADMIN_MESSAGE
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def change_url(membership):
    return reverse("admin:clinics_membership_change", args=[membership.pk])


def membership_of(user):
    return Membership.objects.get(user=user)


def post_membership(staff_client, membership, **changes):
    data = {"user": membership.user_id, "clinic": membership.clinic_id, "role": membership.role}
    data.update(changes)
    return staff_client.post(change_url(membership), {**data, "_save": "Save"})


def test_the_only_admin_cannot_be_demoted(staff_client, clinic_admin):
    membership = membership_of(clinic_admin)

    response = post_membership(staff_client, membership, role=Role.CLINICIAN)

    assert response.status_code == 200  # the form again, with the reason
    assert LAST_ADMIN_MESSAGE in response.content.decode()
    assert membership_of(clinic_admin).role == Role.CLINIC_ADMIN


def test_the_only_admin_cannot_be_moved_to_another_clinic(
    staff_client, clinic_admin, clinic, other_clinic
):
    membership = membership_of(clinic_admin)

    response = post_membership(staff_client, membership, clinic=other_clinic.pk)

    assert LAST_ADMIN_MESSAGE in response.content.decode()
    assert membership_of(clinic_admin).clinic == clinic


def test_the_only_admin_cannot_be_deleted_and_there_is_no_bulk_delete(staff_client, clinic_admin):
    membership = membership_of(clinic_admin)
    delete_url = reverse("admin:clinics_membership_delete", args=[membership.pk])

    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    staff_client.post(
        reverse("admin:clinics_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_with_a_second_admin_the_first_can_be_demoted(staff_client, clinic_admin, clinic):
    make_user("secondadmin", clinic, Role.CLINIC_ADMIN)
    membership = membership_of(clinic_admin)

    response = post_membership(staff_client, membership, role=Role.CLINICIAN)

    assert response.status_code == 302
    assert membership_of(clinic_admin).role == Role.CLINICIAN


def test_the_clinic_page_cannot_demote_or_delete_its_only_admin(staff_client, clinic_admin, clinic):
    membership = membership_of(clinic_admin)
    url = reverse("admin:clinics_clinic_change", args=[clinic.pk])
    base = {
        "name": clinic.name,
        "slug": clinic.slug,
        "default_jurisdiction": clinic.default_jurisdiction,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-clinic": str(clinic.pk),
        "memberships-0-user": str(clinic_admin.pk),
        "_save": "Save",
    }

    demoted = staff_client.post(url, {**base, "memberships-0-role": Role.CLINICIAN})
    deleted = staff_client.post(
        url, {**base, "memberships-0-role": Role.CLINIC_ADMIN, "memberships-0-DELETE": "on"}
    )

    kept = staff_client.post(url, {**base, "memberships-0-role": Role.CLINIC_ADMIN})

    for response in (demoted, deleted):
        assert LAST_ADMIN_MESSAGE in response.content.decode()
    assert kept.status_code == 302  # the same page saves when the admin stays
    assert membership_of(clinic_admin).role == Role.CLINIC_ADMIN
