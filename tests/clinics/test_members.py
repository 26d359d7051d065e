"""Clinic admins invite people by a one-time link, change roles and remove members."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinics import services
from clinics.models import Invitation, Membership, Role, User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-77"
LINK = re.compile(r"http://testserver(/clinic/invitations/[\w-]+/)")


def invite(client, email="newcomer@example.org", role=Role.CLINICIAN):
    response = client.post(reverse("members:invite"), {"email": email, "role": role})
    assert response.status_code == 302, response.content.decode()
    return LINK.search(mail.outbox[-1].body).group(1)


def sign_up(client, link, username="newcomer", password=NEW_PASSWORD):
    client.get(link)
    return client.post(
        reverse("members:accept_invitation"),
        {
            "username": username,
            "first_name": "Nia",
            "last_name": "Newcomer",
            "password1": password,
            "password2": password,
        },
        follow=True,
    )


def test_clinic_admin_sees_members_roles_and_pending_invitations(
    clinic_admin_client, clinician, manager
):
    invite(clinic_admin_client, "pending@example.org")
    body = clinic_admin_client.get(reverse("members:list")).content.decode()
    assert "Clinician" in body and "Practice manager" in body and "Clinic admin" in body
    assert "pending@example.org" in body
    assert "Membership history" in body


def test_members_nav_item_only_for_clinic_admins(clinic_admin_client, clinician_client):
    assert ">Members</a>" in clinic_admin_client.get("/").content.decode()
    assert ">Members</a>" not in clinician_client.get("/").content.decode()


def test_invitation_email_holds_a_one_time_link_and_only_its_hash_is_stored(
    clinic_admin_client, clinic
):
    link = invite(clinic_admin_client)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get(email="newcomer@example.org")
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in invitation.token_hash
    assert mail.outbox[-1].to == ["newcomer@example.org"]
    assert str(clinic) in mail.outbox[-1].subject


def test_new_person_accepts_invitation_and_lands_in_the_clinic(clinic_admin_client, clinic):
    link = invite(clinic_admin_client, role=Role.PRACTICE_MANAGER)
    client = Client()
    opened = client.get(link)
    # The token leaves the address bar at once (no Referer or history leak).
    assert opened.status_code == 302
    assert opened["Location"] == reverse("members:accept_invitation")
    response = sign_up(client, link)
    assert response.redirect_chain[-1][0] == "/"
    assert "Welcome to Harley Skin Clinic" in response.content.decode()
    user = User.objects.get(username="newcomer")
    assert user.email == "newcomer@example.org"
    membership = Membership.objects.get(user=user, clinic=clinic)
    assert membership.role == Role.PRACTICE_MANAGER
    assert membership.history.get().history_user == user


def test_invitation_link_works_only_once(clinic_admin_client):
    link = invite(clinic_admin_client)
    sign_up(Client(), link)
    second = Client().get(link)
    assert second.status_code == 404
    assert "This invitation link is not valid" in second.content.decode()


def test_expired_invitation_is_refused(clinic_admin_client):
    link = invite(clinic_admin_client)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(link).status_code == 404


def test_accept_page_without_a_link_is_not_found(client):
    assert client.get(reverse("members:accept_invitation")).status_code == 404


def test_withdrawn_invitation_stops_working(clinic_admin_client):
    link = invite(clinic_admin_client)
    invitation = Invitation.objects.get()
    response = clinic_admin_client.post(reverse("members:revoke_invitation", args=[invitation.pk]))
    assert response.status_code == 302
    assert Client().get(link).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()  # the record is kept


def test_a_new_invitation_replaces_the_earlier_one(clinic_admin_client):
    first = invite(clinic_admin_client)
    second = invite(clinic_admin_client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 302


def test_existing_user_joins_a_second_clinic_while_logged_in(
    clinic_admin_client, clinic, other_clinician_client, other_clinician
):
    link = invite(clinic_admin_client, email=other_clinician.email)
    other_clinician_client.get(link)
    page = other_clinician_client.get(reverse("members:accept_invitation"))
    assert "Join Harley Skin Clinic" in page.content.decode()
    response = other_clinician_client.post(reverse("members:accept_invitation"), follow=True)
    assert response.status_code == 200
    assert Membership.objects.filter(user=other_clinician, clinic=clinic).exists()
    # The clinic just joined becomes the active one.
    assert "Harley Skin Clinic" in response.content.decode()


def test_weak_password_at_sign_up_is_refused_and_input_kept(clinic_admin_client):
    link = invite(clinic_admin_client)
    response = sign_up(Client(), link, password="password")
    body = response.content.decode()
    assert "This password is too short" in body
    assert 'value="newcomer"' in body
    assert not User.objects.filter(username="newcomer").exists()


def test_inviting_an_existing_member_says_so(clinic_admin_client, clinician):
    response = clinic_admin_client.post(
        reverse("members:invite"), {"email": clinician.email, "role": Role.CLINICIAN}
    )
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert mail.outbox == []


def test_admin_changes_a_role_and_history_says_who(clinic_admin_client, clinic_admin, clinician):
    membership = clinician.memberships.get()
    response = clinic_admin_client.post(
        reverse("members:detail", args=[membership.pk]), {"role": Role.PRACTICE_MANAGER}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.PRACTICE_MANAGER
    latest = membership.history.first()
    assert latest.history_user == clinic_admin
    page = clinic_admin_client.get(reverse("members:detail", args=[membership.pk]))
    body = page.content.decode()
    assert "Clinician" in body and "Practice manager" in body
    assert "Clinicadmin" in body  # who changed it


def test_posting_a_clinic_with_the_role_change_is_ignored(
    clinic_admin_client, clinician, other_clinic, clinic
):
    membership = clinician.memberships.get()
    clinic_admin_client.post(
        reverse("members:detail", args=[membership.pk]),
        {"role": Role.CLINICIAN, "clinic": other_clinic.pk, "user": 999},
    )
    membership.refresh_from_db()
    assert membership.clinic == clinic and membership.user == clinician


def test_last_clinic_admin_cannot_demote_themselves(clinic_admin_client, clinic_admin):
    membership = clinic_admin.memberships.get()
    response = clinic_admin_client.post(
        reverse("members:detail", args=[membership.pk]), {"role": Role.CLINICIAN}
    )
    assert response.status_code == 200
    assert "at least one clinic admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.CLINIC_ADMIN


def test_admin_who_demotes_themselves_lands_on_the_dashboard(
    clinic_admin_client, clinic_admin, clinic
):
    make_user("secondadmin", clinic, Role.CLINIC_ADMIN)
    membership = clinic_admin.memberships.get()
    response = clinic_admin_client.post(
        reverse("members:detail", args=[membership.pk]),
        {"role": Role.PRACTICE_MANAGER},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.status_code == 200
    body = response.content.decode()
    assert "is now practice manager" in body
    assert "You do not have permission" not in body


def test_last_clinic_admin_cannot_remove_themselves(clinic_admin_client, clinic_admin):
    membership = clinic_admin.memberships.get()
    response = clinic_admin_client.post(
        reverse("members:remove", args=[membership.pk]), follow=True
    )
    assert "at least one clinic admin" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_can_leave_when_another_admin_remains(clinic_admin_client, clinic_admin, clinic):
    make_user("secondadmin", clinic, Role.CLINIC_ADMIN)
    membership = clinic_admin.memberships.get()
    response = clinic_admin_client.post(reverse("members:remove", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert clinic_admin_client.get(reverse("suppliers:list")).status_code == 403


def test_removed_member_loses_access_at_once(
    clinic_admin_client, clinic_admin, clinician_client, clinician
):
    membership = clinician.memberships.get()
    assert clinician_client.get(reverse("suppliers:list")).status_code == 200
    clinic_admin_client.post(reverse("members:remove", args=[membership.pk]))
    assert clinician_client.get(reverse("suppliers:list")).status_code == 403
    deleted = Membership.history.filter(id=membership.pk, history_type="-").get()
    assert deleted.history_user == clinic_admin


def test_clinic_admin_cannot_touch_another_clinics_members(clinic_admin_client, other_clinician):
    other = other_clinician.memberships.get()
    assert clinic_admin_client.get(reverse("members:detail", args=[other.pk])).status_code == 404
    assert clinic_admin_client.post(reverse("members:remove", args=[other.pk])).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_services_refuse_a_member_who_is_not_clinic_admin(clinician, manager):
    with pytest.raises(services.NotAllowed):
        services.change_role(
            by=clinician,
            membership=manager.memberships.get(),
            role=Role.CLINIC_ADMIN,
        )
    with pytest.raises(services.NotAllowed):
        services.remove_member(by=manager, membership=clinician.memberships.get())


def test_invitation_log_in_link_returns_to_the_invitation(clinic_admin_client, other_clinician):
    link = invite(clinic_admin_client, email=other_clinician.email)
    client = Client()
    client.get(link)
    page = client.get(reverse("members:accept_invitation")).content.decode()
    assert f"?next={reverse('members:accept_invitation')}" in page
    client.post(reverse("login"), {"username": other_clinician.username, "password": PASSWORD})
    # Logging in keeps the invitation (the session key changes, its data does not).
    assert client.get(reverse("members:accept_invitation")).status_code == 200
