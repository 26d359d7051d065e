"""The notifications page: the user's own, in the current clinic, marked read when opened."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import Role
from notifications.models import Notification
from tests.factories import MembershipFactory
from tests.notifications.support import LIST_URL, make, member, signed_in

pytestmark = pytest.mark.django_db


# --- The notifications page -----------------------------------------------------------------


def test_the_page_lists_the_users_own_notifications_newest_first(
    clinic, clinician, manager, clinician_client
):
    old = make(clinician, clinic, "Older news", created_at=timezone.now() - timedelta(days=1))
    new = make(clinician, clinic, "Newer news")
    make(manager, clinic, "The manager's own news")

    page = clinician_client.get(LIST_URL).content.decode()

    assert page.index(new.title) < page.index(old.title)
    assert "The manager&#x27;s own news" not in page
    assert reverse("notifications:open", args=[new.pk]) in page


def test_the_page_has_an_empty_state(clinician_client):
    page = clinician_client.get(LIST_URL).content.decode()

    assert "No notifications yet." in page
    assert "Mark all as read" not in page


def test_the_page_is_paginated(clinic, clinician, clinician_client, settings):
    for number in range(settings.PAGINATE_BY + 3):
        make(clinician, clinic, f"Notice number {number:02d}")

    first = clinician_client.get(LIST_URL)
    second = clinician_client.get(LIST_URL, {"page": 2})

    assert len(first.context["page"].object_list) == settings.PAGINATE_BY
    assert len(second.context["page"].object_list) == 3
    assert "Page 1 of 2" in first.content.decode()


def test_a_user_of_another_clinic_never_sees_this_clinics_notifications(
    clinic, clinician, other_clinician_client
):
    notification = make(clinician, clinic, "Harley only")

    assert "Harley only" not in other_clinician_client.get(LIST_URL).content.decode()
    opened = other_clinician_client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 404
    other_clinician_client.post(reverse("notifications:mark_all_read"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_member_of_two_clinics_sees_only_the_current_clinics(clinic, other_clinic):
    both = member(clinic, username="two-clinics")
    MembershipFactory(user=both, clinic=other_clinic, role=Role.CLINICIAN)
    make(both, clinic, "From Harley")
    elsewhere = make(both, other_clinic, "From the other clinic")
    client = signed_in(both)  # the first membership, Harley, is the current clinic

    page = client.get(LIST_URL).content.decode()

    assert "From Harley" in page
    assert "From the other clinic" not in page
    assert "Notifications, 1 unread" in page
    assert client.post(reverse("notifications:open", args=[elsewhere.pk])).status_code == 404


def test_opening_one_marks_it_read_and_goes_to_its_page(clinic, clinician, clinician_client):
    notification = make(clinician, clinic, url="/assessments/42/")

    response = clinician_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/assessments/42/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_needs_a_post(clinic, clinician, clinician_client):
    notification = make(clinician, clinic)

    response = clinician_client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_someone_elses_is_a_404(clinic, manager, clinician_client):
    notification = make(manager, clinic)

    assert (
        clinician_client.post(reverse("notifications:open", args=[notification.pk])).status_code
        == 404
    )


def test_opening_one_with_an_outside_url_stays_in_the_app(clinic, clinician, clinician_client):
    for url in ["https://evil.example/", "//evil.example/x", ""]:
        notification = make(clinician, clinic, url=url)
        response = clinician_client.post(reverse("notifications:open", args=[notification.pk]))
        assert response["Location"] == LIST_URL, url


def test_mark_all_read_marks_only_the_users_own_in_this_clinic(
    clinic, other_clinic, clinician, manager, clinician_client
):
    mine = [make(clinician, clinic), make(clinician, clinic)]
    theirs = make(manager, clinic)
    already = make(clinician, clinic, read_at=timezone.now() - timedelta(days=1))
    read_before = already.read_at

    response = clinician_client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert Notification.objects.get(pk=already.pk).read_at == read_before
