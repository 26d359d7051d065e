"""A clinic's settings are audited: single-person sign-off decides whether the four-eyes
rule applies to the reports the clinic signs, so who changed it, and when, is kept."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

pytestmark = pytest.mark.django_db

FIELDS = ["name", "slug", "address", "registration_number", "default_jurisdiction"]


def change_in_admin(client, clinic, **changes):
    """POST the clinic's admin change form with `changes`, its members inline untouched."""
    data = {**model_to_dict(clinic, fields=FIELDS), **changes}
    data.update({f"memberships-{key}": "0" for key in ("TOTAL_FORMS", "INITIAL_FORMS")})
    return client.post(reverse("admin:clinics_clinic_change", args=[clinic.pk]), data)


def test_turning_on_single_person_sign_off_is_recorded_with_who_did_it(
    clinic, staff_client, staff_user
):
    assert not clinic.single_person_sign_off

    response = change_in_admin(staff_client, clinic, single_person_sign_off="on")

    assert response.status_code == 302, response.content.decode()[:2000]
    latest, created = clinic.history.all()[:2]
    assert latest.history_type == "~" and created.history_type == "+"
    assert latest.history_user == staff_user
    assert latest.single_person_sign_off and not created.single_person_sign_off
    changes = [(c.field, c.old, c.new) for c in latest.diff_against(created).changes]
    assert changes == [("single_person_sign_off", False, True)]


def test_a_change_outside_a_request_names_the_user_the_caller_gives(clinic, clinic_admin):
    clinic.single_person_sign_off = True
    clinic._history_user = clinic_admin
    clinic.save()

    assert clinic.history.first().history_user == clinic_admin


def test_the_admin_shows_the_clinic_history_read_only(clinic, staff_client):
    page = staff_client.get(f"/admin/clinics/clinic/{clinic.pk}/history/")

    assert page.status_code == 200
    assert "Harley Skin Clinic" in page.content.decode()
    revert = staff_client.post(
        f"/admin/clinics/clinic/{clinic.pk}/history/{clinic.history.first().pk}/"
    )
    assert revert.status_code == 403
