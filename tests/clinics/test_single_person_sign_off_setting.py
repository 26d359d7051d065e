"""Single-person sign-off (Clinic.single_person_sign_off) switches the four-eyes rule off, so
only a staff admin may set it, in the Django admin, where the change is recorded with who
made it. No clinic page offers it, and posting it to every clinic form changes nothing
(issue 11, finding 10)."""

import copy

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.urls import reverse

from clinics.models import Clinic
from tests.fuzz_support import World, clinic_objects, endpoints, scan

pytestmark = pytest.mark.django_db

FIELD = "single_person_sign_off"


def change_url(clinic: Clinic) -> str:
    return reverse("admin:clinics_clinic_change", args=[clinic.pk])


def admin_form(clinic: Clinic, **changes) -> dict:
    return {
        "name": clinic.name,
        "slug": clinic.slug,
        "address": clinic.address,
        "registration_number": clinic.registration_number,
        "default_jurisdiction": clinic.default_jurisdiction,
        # The memberships inline, unchanged.
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **changes,
    }


def post_and_check(client, path: str, data: dict, clinic: Clinic) -> None:
    """POST, check the setting is still off, then undo whatever the POST did (removing a
    member, say) so every form is tried against the same clinic."""
    cookies = copy.deepcopy(client.cookies)
    savepoint = transaction.savepoint()
    try:
        client.post(path, data)
        assert Clinic.objects.get(pk=clinic.pk).single_person_sign_off is False, path
    finally:
        transaction.savepoint_rollback(savepoint)
        client.cookies = cookies


def test_no_clinic_page_offers_it_and_posting_it_to_every_form_changes_nothing(
    clinic, clinic_admin, clinic_admin_client
):
    world = World({}, own=clinic_objects(clinic, [clinic_admin]), other={})
    offered = []
    for endpoint in endpoints():
        if endpoint.name == "logout":
            continue
        for args in world.args(endpoint, own_only=True, limit=3):
            path = reverse(endpoint.name, kwargs=args)
            page = scan(clinic_admin_client.get(path), path)
            offered += [path for form in page.forms if FIELD in form.fields]
            for form in page.forms or [None]:
                data = {n: sorted(v)[-1] for n, v in form.fields.items()} if form else {}
                target = form.targets[0] if form else path
                post_and_check(clinic_admin_client, target, {**data, FIELD: "on"}, clinic)
    assert offered == []


def test_a_clinic_admin_cannot_reach_it_in_the_django_admin(clinic, clinic_admin_client):
    response = clinic_admin_client.post(change_url(clinic), admin_form(clinic, **{FIELD: "on"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    clinic.refresh_from_db()
    assert clinic.single_person_sign_off is False


def test_staff_set_it_in_the_admin_and_the_change_is_recorded_with_who(
    clinic, staff_user, staff_client
):
    response = staff_client.post(change_url(clinic), admin_form(clinic, **{FIELD: "on"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    clinic.refresh_from_db()
    assert clinic.single_person_sign_off is True

    entry = LogEntry.objects.get(object_id=str(clinic.pk), action_flag=CHANGE)
    assert entry.user == staff_user
    assert "Single person sign off" in entry.get_change_message()
    history = staff_client.get(reverse("admin:clinics_clinic_history", args=[clinic.pk]))
    assert "Single person sign off" in history.content.decode()
    assert staff_user.username in history.content.decode()
