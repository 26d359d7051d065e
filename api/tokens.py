"""API tokens: make one (shown once), revoke one, and find the live token a request carries.

Services like every app's: keyword-only, the actor `by`, the role matrix through
clinics.services.require_action, one transaction, audited (api.models.ApiAuditEvent).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import ApiAuditEvent, ApiToken, Scope
from clinics.models import Clinic, Membership, User
from clinics.policy import Action
from clinics.services import require_action

PREFIX = "exo"
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
SECRET_BYTES = 32  # 256 bits
OTHERS_REFUSAL = "Only a clinic admin can make a token for another member of the clinic."
REVOKE_REFUSAL = "Only the token's owner or a clinic admin can revoke this token."


@dataclass(frozen=True)
class NewToken:
    """A token just made: `plain` is shown to its maker once and never stored."""

    token: ApiToken
    plain: str


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def default_expiry(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=DEFAULT_LIFETIME_DAYS)


def _expiry(expires_on: date | None) -> datetime:
    """The end of the chosen day, between tomorrow and a year from today."""
    today = timezone.localdate()
    expires_on = expires_on or default_expiry(today)
    if expires_on <= today or expires_on > today + timedelta(days=MAX_LIFETIME_DAYS):
        raise ValidationError(
            {"expires_on": "Choose a date between tomorrow and a year from today."}
        )
    return timezone.make_aware(datetime.combine(expires_on, time.max))


def audit(token: ApiToken, action: str, *, by: User | None, **fields: object) -> None:
    ApiAuditEvent.objects.create(
        clinic_id=token.clinic_id,
        user=by,
        token=token,
        token_name=token.name,
        token_prefix=token.prefix,
        action=action,
        **fields,
    )


@transaction.atomic
def create_token(
    *,
    clinic: Clinic,
    by: User,
    name: str,
    scope: str = Scope.READ,
    expires_on: date | None = None,
    for_user: User | None = None,
) -> NewToken:
    """A token for `by` (any member) or, made by a clinic admin, for another member of
    `clinic` (e.g. an account the clinic keeps for its stock system)."""
    owner = for_user or by
    if owner.pk == by.pk:
        require_action(clinic=clinic, by=by, action=Action.VIEW)
    else:
        require_action(clinic=clinic, by=by, action=Action.MANAGE_MEMBERS, refusal=OTHERS_REFUSAL)
        if not Membership.objects.for_clinic(clinic).filter(user=owner).exists():
            raise ValidationError({"for_user": "Choose a member of this clinic."})
    if scope not in Scope.values:
        raise ValidationError({"scope": "Choose read or write."})
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        name=(name or "").strip(),
        user=owner,
        clinic=clinic,
        scope=scope,
        secret_sha256=_sha256(secret),
        created_by=by,
        expires_at=_expiry(expires_on),
    )
    for _attempt in range(5):  # 8 hex digits: a clash is rare, and retried
        token.prefix = secrets.token_hex(4)
        token.full_clean()
        try:
            with transaction.atomic():
                token.save()
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError("Could not make a unique token: please try again.")
    audit(token, "token.created", by=by)
    return NewToken(token=token, plain=f"{PREFIX}_{token.prefix}_{secret}")


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    """Stop a token working at once; the row stays for the audit trail."""
    if token.user_id != by.pk:
        require_action(
            clinic=token.clinic, by=by, action=Action.MANAGE_MEMBERS, refusal=REVOKE_REFUSAL
        )
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit(current, "token.revoked", by=by)
    return current


def find_live_token(plain: str) -> ApiToken | None:
    """The live token `plain` is, or None. The prefix finds the row; the secret's hash is
    compared in constant time, so a wrong secret says nothing about the right one."""
    parts = (plain or "").split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    token = (
        ApiToken.objects.live()
        .select_related("user", "clinic")
        .filter(prefix=parts[1][:12])
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_sha256, _sha256(parts[2])):
        return None
    return token


def tokens_visible_to(*, clinic: Clinic, user: User, manages: bool):
    """The tokens a page lists: one's own in this clinic, or every one if a clinic admin."""
    tokens = ApiToken.objects.for_clinic(clinic).select_related("user")
    return tokens if manages else tokens.filter(user=user)
