"""Small security helpers that settings point at by dotted path."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The address login lockouts are keyed on.

    Behind a reverse proxy REMOTE_ADDR is the proxy itself, so every user would share one
    address. With TRUSTED_PROXY_COUNT=N the client is the address N hops from the right of
    X-Forwarded-For: the entries to its left were written by the client and can be forged.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
