"""Every exchange on a request, in its history and in the security log (`exocheck.security`)
with the request id and the address it came from."""

import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address

from portal.models import RequestEvent

security_log = logging.getLogger("exocheck.security")


def supplier_actor(supplier_request) -> str:
    """How the supplier is named before and after the declaration."""
    return supplier_request.supplier_person


def record(
    supplier_request,
    kind: str,
    *,
    user=None,
    actor: str = "",
    ip: str | None = None,
    detail: str = "",
) -> RequestEvent:
    actor = actor or (str(user) if user is not None else supplier_actor(supplier_request))
    event = RequestEvent.objects.create(
        clinic_id=supplier_request.clinic_id,
        request=supplier_request,
        kind=kind,
        user=user,
        actor=actor[:200],
        ip=_valid_ip(ip),
        detail=detail[:500],
    )
    security_log.info(
        "Supplier portal %s: request=%s clinic=%s actor=%r user=%r ip=%s detail=%r",
        kind,
        supplier_request.pk,
        supplier_request.clinic_id,
        actor,
        user.get_username() if user is not None else None,
        ip,
        detail,
    )
    return event


def _valid_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        validate_ipv46_address(ip)
    except ValidationError:
        return None
    return ip
