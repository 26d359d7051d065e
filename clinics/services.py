"""Membership changes: invite, accept, change role, remove. Each is atomic and audited.

`by` is always the acting user (the request's user, so django-otp's `is_verified()` is
there to read); the role matrix and
two-factor authentication are checked here as well as in the view, so no other caller can
skip them. Every write sets `_history_user`, so the membership history says who did it. The
errors are in clinics/errors.py; `require_action` is the permission check every app's
services make (role, operator and second-factor rules in one place).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from clinics import mfa
from clinics.errors import (
    InvitationForSomeoneElse,
    InvitationInvalid,
    LastAdminError,
    MembershipError,
    NotAllowed,
    SecondFactorRequired,
)
from clinics.models import Clinic, Invitation, Membership, Role, User
from clinics.policy import Action, can, needs_second_factor, operator_may
from core.saving import fit_change_reason

security_log = logging.getLogger("exocheck.security")

LAST_ADMIN_MESSAGE = (
    "A clinic needs at least one clinic admin. Make someone else a clinic admin first."
)
INVALID_INVITATION_MESSAGE = (
    "This invitation link is not valid: it may have been used already, withdrawn or expired. "
    "Ask your clinic admin for a new one."
)


def mask_email(email: str) -> str:
    """'jo.bloggs@example.com' -> 'j***@example.com': enough to recognise one's own address."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def wrong_account_message(invitation: Invitation) -> str:
    return (
        f"This invitation was sent to {mask_email(invitation.email)}. Sign out and open the "
        "link again, or ask the clinic admin who invited you to invite the email address of "
        "the account you are signed in with."
    )


def is_invited_account(invitation: Invitation, user) -> bool:
    """An invitation is for its email address: the account must have that address."""
    email = (getattr(user, "email", "") or "").strip()
    return bool(email) and email.casefold() == invitation.email.strip().casefold()


# Refusals for an action that needs two-factor authentication (clinics/policy.py); the
# sign-off wording is the one signers have always seen (assessments/views/review.py).
SECOND_FACTOR_REFUSALS = {
    Action.SIGN_OFF: (
        "Signing needs two-factor authentication. Turn it on under Two-factor authentication "
        "in your account menu, then sign."
    ),
    Action.MANAGE_MEMBERS: (
        "Managing the clinic's members needs two-factor authentication. Turn it on under "
        "Two-factor authentication in your account menu, then try again."
    ),
}
UNVERIFIED_SESSION_REFUSAL = (
    "You signed in without a code from your authenticator app. Sign out, sign in again and "
    "enter the code, then try again."
)
MANAGE_MEMBERS_REFUSAL = "Only a clinic admin can manage this clinic's members."


def require_action(
    *, clinic: Clinic, by: User, action: Action, refusal: str = ""
) -> Membership | None:
    """`by`'s membership of `clinic` if `by` may do `action` there; NotAllowed (with
    `refusal` as its message, if given) otherwise. Every app's services start here, so
    calling a service is never a way around the checks the view made:

    - the role matrix, for an active user (clinics/policy.py `can`); or the operator, an
      active staff superuser, for OPERATOR_ACTIONS (then the membership may be None);
    - for SECOND_FACTOR_ACTIONS, two-factor authentication (`second_factor_state`):
      SecondFactorRequired, a NotAllowed, says what to do.
    """
    membership = Membership.objects.filter(user_id=getattr(by, "pk", None), clinic=clinic).first()
    active = bool(getattr(by, "is_active", False))
    if not (active and can(membership, action)) and not operator_may(by, action):
        raise NotAllowed(refusal or None)
    if needs_second_factor(action):
        _require_second_factor(by, action=action, clinic=clinic)
    return membership


def second_factor_state(user: User) -> tuple[bool, bool]:
    """(has a confirmed authenticator app, this session entered a code from it).

    In a request django-otp's OTPMiddleware gives `request.user` an `is_verified()`; a
    service reads it from the `by` it is given, so a view must pass `request.user` (or a
    membership whose `.user` it is: clinics/middleware.py). Outside a request (the shell, a
    management command, a test) there is no session to verify: the caller is server code
    acting for `by`, and only the confirmed app is required.
    """
    if not mfa.has_authenticator(user):
        return False, False
    is_verified = getattr(user, "is_verified", None)
    return True, is_verified is None or bool(is_verified())


def _require_second_factor(by: User, *, action: Action, clinic: Clinic) -> None:
    enrolled, verified = second_factor_state(by)
    if enrolled and verified:
        return
    security_log.warning(
        "%s refused, %s: user=%r clinic=%s",
        action.value,
        "session not verified with a code" if enrolled else "no two-factor authentication",
        getattr(by, "username", None),
        getattr(clinic, "pk", clinic),
    )
    if enrolled:
        raise SecondFactorRequired(UNVERIFIED_SESSION_REFUSAL)
    raise SecondFactorRequired(SECOND_FACTOR_REFUSALS.get(action))


def _require_manager_of(by: User, clinic: Clinic) -> None:
    """`by` may manage `clinic`'s members: checked as a member of `clinic` itself, so a
    clinic admin of another clinic has no rights here."""
    require_action(
        clinic=clinic, by=by, action=Action.MANAGE_MEMBERS, refusal=MANAGE_MEMBERS_REFUSAL
    )


def _clinic_keeps_an_admin(membership: Membership, *, new_role: str | None) -> None:
    """Refuse to leave the clinic without a clinic admin (new_role None = removal)."""
    if membership.role != Role.CLINIC_ADMIN or new_role == Role.CLINIC_ADMIN:
        return
    # Lock the admins' rows so two admins demoting each other at once cannot both succeed.
    admins = list(Membership.objects.select_for_update().for_clinic(membership.clinic_id).admins())
    if len(admins) <= 1:
        raise LastAdminError(LAST_ADMIN_MESSAGE)


@transaction.atomic
def invite_member(
    *, clinic: Clinic, by: User, email: str, role: str, build_link: Callable[[str], str]
) -> Invitation:
    """Create a one-time invitation and email its link. Earlier pending ones for the email lapse."""
    _require_manager_of(by, clinic)
    email = email.strip().lower()
    if Membership.objects.for_clinic(clinic).filter(user__email__iexact=email).exists():
        raise MembershipError(f"{email} is already a member of {clinic}.")
    now = timezone.now()
    Invitation.objects.for_clinic(clinic).pending().filter(email__iexact=email).update(
        expires_at=now
    )
    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        clinic=clinic,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=by,
        expires_at=Invitation.default_expiry(),
    )
    invitation.full_clean()
    invitation.save()
    context = {"invitation": invitation, "link": build_link(token), "inviter": by}
    send_mail(
        subject=f"You are invited to join {clinic} on ExoCheck",
        message=render_to_string("clinics/members/invitation_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
    return invitation


def find_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The pending invitation for a token, or InvitationInvalid. Only the hash is looked up."""
    invitations = Invitation.objects.pending().select_related("clinic")
    if lock:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(token_hash=Invitation.hash_token(token or "")).first()
    if invitation is None:
        raise InvitationInvalid(INVALID_INVITATION_MESSAGE)
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user) -> Membership:
    """Join the invitation's clinic as `user`, whose email must be the invited address (the
    link alone is not enough: it can be forwarded or seen). The link then stops working."""
    invitation = find_invitation(token, lock=True)
    if not is_invited_account(invitation, user):
        raise InvitationForSomeoneElse(invitation, wrong_account_message(invitation))
    if Membership.objects.filter(clinic=invitation.clinic, user=user).exists():
        raise MembershipError(f"You are already a member of {invitation.clinic}.")
    membership = Membership(user=user, clinic=invitation.clinic, role=invitation.role)
    membership._history_user = user
    membership._change_reason = fit_change_reason(f"Accepted invitation sent to {invitation.email}")
    membership.full_clean()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def accept_invitation_as_new_user(*, token: str, user: User) -> Membership:
    """Save the new, unsaved account (from a valid sign-up form, its password set) under the
    invited address, then accept. All or nothing."""
    invitation = find_invitation(token, lock=True)
    if user.pk is not None:
        raise MembershipError("This account exists already: sign in to accept.")
    user.email = invitation.email
    user.full_clean(exclude=["password"])
    user.save()
    return accept_invitation(token=token, user=user)


@transaction.atomic
def change_role(*, by: User, membership: Membership, role: str) -> Membership:
    _require_manager_of(by, membership.clinic)
    if role not in Role.values:
        raise MembershipError("Choose one of the listed roles.")
    if role == membership.role:
        return membership
    _clinic_keeps_an_admin(membership, new_role=role)
    membership.role = role
    membership._history_user = by
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, by: User, membership: Membership) -> None:
    _require_manager_of(by, membership.clinic)
    _clinic_keeps_an_admin(membership, new_role=None)
    membership._history_user = by
    membership.delete()


@transaction.atomic
def revoke_invitation(*, by: User, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working, the record stays."""
    _require_manager_of(by, invitation.clinic)
    invitation.expires_at = timezone.now()
    invitation.save(update_fields=["expires_at"])
    return invitation
