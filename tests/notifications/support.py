"""Helpers shared by the notifications tests."""

from django.test import Client

from clinics.models import Role
from notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory, log_in

COMMENT = "Please upload this lot's certificate of analysis."


LIST_URL = "/notifications/"


def member(clinic, role=Role.CLINICIAN, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, clinic=clinic, role=role)
    return user


def signed_in(user) -> Client:
    return log_in(Client(), user)


def recipients(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(n.recipient.username for n in rows)


def make(user, clinic, title="Something happened", url="/assessments/", **fields):
    return Notification.objects.create(
        clinic=clinic, recipient=user, title=title, url=url, **fields
    )
