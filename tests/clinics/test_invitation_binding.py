"""An invitation is for the email address it was sent to, not for whoever holds the link.

Before: a user of clinic B who opened clinic A's invitation link while signed in became a
practice manager of clinic A. Now only the invited address can accept: a new account made
from the link (its email fixed to the invitation's), or a signed-in account with that email
(any case). Anyone else signed in is refused with a page naming the masked address, and the
attempt is logged.
"""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from clinics import services
from clinics.models import Invitation, Membership, Role, User
from tests.factories import PASSWORD, log_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-77"
INVITED = "jane.doe@example.com"
MASKED = "j***@example.com"


@pytest.fixture
def invitation_link(clinic_admin):
    """Clinic A (Harley Skin Clinic) invites jane.doe@example.com as practice manager."""
    links = []

    def build_link(token):
        links.append(reverse("members:invitation", args=[token]))
        return links[-1]

    services.invite_member(
        clinic=clinic_admin.memberships.get().clinic,
        by=clinic_admin,
        email=INVITED,
        role=Role.PRACTICE_MANAGER,
        build_link=build_link,
    )
    return links[-1]


def accept_page(client, link):
    assert client.get(link).status_code == 302
    return client.get(reverse("members:accept_invitation"))


def test_another_clinics_user_cannot_take_the_invitation(
    invitation_link, clinic, other_manager, caplog
):
    client = log_in(Client(), other_manager)

    with caplog.at_level(logging.WARNING, logger="exocheck.security"):
        page = accept_page(client, invitation_link)
        post = client.post(reverse("members:accept_invitation"), follow=True)

    assert page.status_code == 403
    body = page.content.decode()
    assert f"This invitation was sent to {MASKED}." in body
    assert "Sign out and open the link again" in body
    assert INVITED not in body  # the full address is not shown to the wrong person
    assert post.status_code == 403
    assert not Membership.objects.filter(user=other_manager, clinic=clinic).exists()
    # The invitation is not used up: the invited person can still accept it.
    assert Invitation.objects.pending().filter(email=INVITED).exists()
    refusals = [
        r.getMessage()
        for r in caplog.records
        if r.name == "exocheck.security" and "Invitation refused" in r.getMessage()
    ]
    assert len(refusals) == 2
    assert all("'othermanager'" in m for m in refusals)


def test_the_service_refuses_an_account_with_another_email(invitation_link, clinic, other_manager):
    token = invitation_link.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(services.InvitationForSomeoneElse) as refused:
        services.accept_invitation(token=token, user=other_manager)
    assert MASKED in str(refused.value)
    assert not Membership.objects.filter(user=other_manager, clinic=clinic).exists()


def test_logging_in_as_another_account_from_the_link_is_refused(
    invitation_link, clinic, other_clinician
):
    client = Client()
    client.get(invitation_link)
    client.post(reverse("login"), {"username": other_clinician.username, "password": PASSWORD})
    response = client.post(reverse("members:accept_invitation"))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=other_clinician, clinic=clinic).exists()


def test_signed_in_account_with_the_invited_email_joins_in_any_case(
    invitation_link, clinic, other_clinician
):
    other_clinician.email = "Jane.Doe@Example.COM"
    other_clinician.save()
    client = Client()
    client.force_login(other_clinician)

    assert accept_page(client, invitation_link).status_code == 200
    response = client.post(reverse("members:accept_invitation"), follow=True)

    assert response.status_code == 200
    membership = Membership.objects.get(user=other_clinician, clinic=clinic)
    assert membership.role == Role.PRACTICE_MANAGER
    assert Invitation.objects.get(email=INVITED).accepted_by == other_clinician


def test_new_account_from_the_link_gets_the_invited_email_whatever_is_posted(
    invitation_link, clinic
):
    client = Client()
    client.get(invitation_link)
    response = client.post(
        reverse("members:accept_invitation"),
        {
            "username": "janedoe",
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "attacker@evil.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.status_code == 200
    user = User.objects.get(username="janedoe")
    assert user.email == INVITED
    assert Membership.objects.get(user=user, clinic=clinic).role == Role.PRACTICE_MANAGER


def test_after_signing_out_the_invited_person_can_still_join(
    invitation_link, clinic, other_manager
):
    client = log_in(Client(), other_manager)
    assert accept_page(client, invitation_link).status_code == 403
    client.post(reverse("logout"))

    client.get(invitation_link)
    client.post(
        reverse("members:accept_invitation"),
        {
            "username": "janedoe",
            "first_name": "Jane",
            "last_name": "Doe",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert Membership.objects.filter(user__username="janedoe", clinic=clinic).exists()
    assert not Membership.objects.filter(user=other_manager, clinic=clinic).exists()


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("jane.doe@example.com", "j***@example.com"),
        ("x@clinic.example", "x***@clinic.example"),
        ("not-an-address", "***"),
    ],
)
def test_masked_address(email, masked):
    assert services.mask_email(email) == masked


def test_an_invitation_to_a_long_address_is_accepted_and_its_history_reason_fits(
    clinic_admin, clinic
):
    # The history's reason names the address; PostgreSQL refuses one over 100 characters.
    email = ("a" * 60) + "@" + ("long-clinic-domain." * 4) + "example.com"
    tokens = []
    services.invite_member(
        clinic=clinic,
        by=clinic_admin,
        email=email,
        role=Role.CLINICIAN,
        build_link=lambda token: tokens.append(token) or "/link",
    )
    user = User(username="longaddress", email=email)
    user.set_password(NEW_PASSWORD)
    membership = services.accept_invitation_as_new_user(token=tokens[0], user=user)

    reason = membership.history.latest().history_change_reason
    assert len(reason) <= 100 and reason.startswith("Accepted invitation sent to a")
    assert reason.endswith("…")
