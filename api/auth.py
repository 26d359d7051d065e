"""Who a request is: the live token in `Authorization: Bearer …`, its user and clinic.

After authentication a request looks to the services and querysets exactly as a signed-in
web request does: `request.user`, `request.clinic` and `request.membership` (the token's
clinic, with the user's role there now — a role changed or a membership removed since the
token was made applies at once). Permissions are then asked of clinics.policy, as pages do.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from ninja.security import HttpBearer

from api.models import ApiToken
from api.problems import InsufficientScope, RateLimited
from api.tokens import find_live_token
from clinics.models import Membership

WRITE_REFUSAL = "This token has the read scope; writes need a token with the write scope."


def rate_limit() -> int:
    return int(getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120))


def count_request(token: ApiToken) -> None:
    """Count one request in the token's current minute, or raise RateLimited.

    Fixed one-minute windows, counted in the token's row with one UPDATE (atomic in both
    databases), so parallel requests and several servers share the count."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    rows = ApiToken.objects.filter(pk=token.pk)
    counted = rows.filter(window_started_at=window).update(
        window_count=F("window_count") + 1, last_used_at=now
    )
    if not counted:
        rows.exclude(window_started_at=window).update(
            window_started_at=window, window_count=1, last_used_at=now
        )
    used = rows.values_list("window_count", flat=True).first() or 0
    if used > rate_limit():
        raise RateLimited(retry_after=60 - now.second)


class TokenAuth(HttpBearer):
    """A live token of an active user who is still a member of the token's clinic. With
    `write=True`, the token must also have the write scope."""

    def __init__(self, *, write: bool = False):
        self.write = write
        super().__init__()

    def authenticate(self, request, token: str):
        api_token = find_live_token(token)
        if api_token is None or not api_token.user.is_active:
            return None
        membership = (
            Membership.objects.filter(user=api_token.user, clinic=api_token.clinic)
            .select_related("clinic")
            .first()
        )
        if membership is None:
            return None
        count_request(api_token)
        if self.write and "write" not in api_token.scopes:
            raise InsufficientScope(WRITE_REFUSAL)
        membership.user = api_token.user
        request.user = api_token.user
        request.membership = membership
        request.clinic = membership.clinic
        request.api_token = api_token
        return api_token


read_auth = TokenAuth()
write_auth = TokenAuth(write=True)
