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


AXES_USERNAME_MAX_CHARS = 255  # the column axes records usernames in (AccessBase.username)


def axes_username(request, credentials=None) -> str | None:
    """The username django-axes records and counts a failed log-in under.

    Axes stores it in a 255-character column, so a longer one (typed or scripted, at the
    app's log-in form or the admin's) was a server error on PostgreSQL. Cut to what the
    column holds, with any NUL replaced, the attempt is recorded and the form shows its usual
    error. No account is affected: usernames are at most 150 characters.
    """
    field = str(settings.AXES_USERNAME_FORM_FIELD)
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(field)
    if not isinstance(username, str):
        return username
    return username.replace("\x00", "\ufffd")[:AXES_USERNAME_MAX_CHARS]
