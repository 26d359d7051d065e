"""Errors the clinic services raise, and the one permission error every service raises.

Each carries a sentence a user can act on, so `str(error)` is what a view shows.
`NotAllowed` (and its `SecondFactorRequired`) is defined here only (assessments.errors
re-exports both): the role matrix (clinics/policy.py) refuses the same way whichever app's
service asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from clinics.models import Invitation


class NotAllowed(PermissionDenied):
    """The role matrix refuses this actor this action in this clinic.

    A PermissionDenied, so one that no view catches is Django's 403 page, never a 500;
    views that can say more catch it and show its message.
    """

    default_message = "Your role in this clinic does not allow this."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)


class SecondFactorRequired(NotAllowed):
    """The role allows the action, but it needs two-factor authentication
    (clinics/policy.py SECOND_FACTOR_ACTIONS) and the actor has no confirmed authenticator
    app, or signed in without entering its code. Raised by
    clinics.services.require_action with a message naming the action; views send the user
    to set the app up."""

    default_message = (
        "This needs two-factor authentication. Turn it on under Two-factor authentication "
        "in your account menu, then try again."
    )


class MembershipError(Exception):
    """A change the membership rules refuse. The message is written for the user."""


class LastAdminError(MembershipError):
    pass


class InvitationInvalid(MembershipError):
    pass


class InvitationForSomeoneElse(MembershipError):
    """The signed-in account is not the one the invitation was sent to."""

    def __init__(self, invitation: Invitation, message: str):
        self.invitation = invitation
        super().__init__(message)
