"""What every endpoint module shares: cursor pages, reference values by slug, the
permission check, and the audit of writes."""

from __future__ import annotations

import base64
import binascii
from functools import wraps

from django.core.exceptions import ValidationError
from ninja import Query, Schema, Status
from pydantic import Field

from api.audit import acting_with
from api.models import ApiAuditEvent
from api.problems import status_for
from clinics.policy import Action
from clinics.services import require_action

MAX_PAGE = 100
NO_NUL = r"^[^\x00]*$"
BAD_CURSOR = "Not a cursor this API gave: pass next_cursor from the previous page as it is."


class PageQuery(Schema):
    cursor: str | None = Field(default=None, max_length=40, pattern=NO_NUL)
    limit: int = Field(default=25, ge=1, le=MAX_PAGE)


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
        kind, _, pk = text.partition(":")
        if kind != "after" or not pk.isdigit() or len(pk) > 18:
            raise ValueError(text)
        return int(pk)
    except (ValueError, UnicodeError, binascii.Error):
        raise ValidationError({"cursor": BAD_CURSOR}) from None


def cursor_page(queryset, page: PageQuery) -> dict:
    """A page of `queryset` in id order after the cursor, and the next page's cursor.

    Keyset paging by id: a page never repeats or skips a row when rows are added between
    requests, and costs the same deep in a list as at its start (no OFFSET)."""
    rows = queryset.order_by("pk")
    if page.cursor:
        rows = rows.filter(pk__gt=_decode(page.cursor))
    items = list(rows[: page.limit + 1])
    more = len(items) > page.limit
    items = items[: page.limit]
    next_cursor = None
    if more and items:
        next_cursor = base64.urlsafe_b64encode(f"after:{items[-1].pk}".encode()).decode()
    return {"items": items, "next_cursor": next_cursor}


def by_slug(model, slug: str | None, field: str):
    """The active reference row named `slug` (None for None/""), or a 422 naming `field`."""
    if not slug:
        return None
    row = model.objects.active().filter(slug=slug).first()
    if row is None:
        choices = ", ".join(model.objects.active().values_list("slug", flat=True))
        raise ValidationError({field: f"Unknown value {slug!r}; allowed: {choices}."})
    return row


def may(request, action: Action) -> None:
    """The token's user may do `action` in the token's clinic (clinics.policy via
    clinics.services.require_action, as every service asks), or NotAllowed (403)."""
    require_action(clinic=request.clinic, by=request.user, action=action)


def _ref(result) -> str:
    body = result.value if isinstance(result, Status) else result
    pk = body.get("id") if isinstance(body, dict) else getattr(body, "pk", None)
    return str(pk) if pk is not None else ""


def audited(action: str):
    """Record a write endpoint's every call — success or refusal — with the token's name,
    and name the token in the history rows the services write (api/audit.py)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            token = request.auth
            try:
                with acting_with(token):
                    result = view(request, *args, **kwargs)
            except Exception as exc:
                _record(request, action, status_for(exc), kwargs)
                raise
            status = result.status_code if isinstance(result, Status) else 200
            _record(request, action, status, kwargs, ref=_ref(result))
            return result

        return wrapped

    return decorator


def _record(request, action: str, status: int, kwargs: dict, ref: str = "") -> None:
    token = request.auth
    ref = ref or str(kwargs.get("pk") or kwargs.get("assessment_id") or "")
    ApiAuditEvent.objects.create(
        clinic_id=token.clinic_id,
        user_id=token.user_id,
        token=token,
        token_name=token.name,
        token_prefix=token.prefix,
        action=action,
        method=request.method,
        path=request.path[:300],
        status_code=status,
        object_ref=ref[:100],
    )


__all__ = ["PageQuery", "Query", "audited", "by_slug", "cursor_page", "may"]
