"""The gate in front of every supplier page (the token pages).

In order: the rate limit and the wrong-link lockout for the client's address; the token,
looked up by its hash (a wrong one is a 404 at the cost of a right one, and counts towards
the lockout); a withdrawn or expired request shows only a plain page saying to contact the
clinic. Whoever is signed in makes no difference: the page shows that request and nothing
else. Every response is private: no referrer (the link is in the address), never stored,
not indexed.
"""

import logging
from functools import wraps

from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

from config.security import client_ip
from portal import throttle, tokens

security_log = logging.getLogger("exocheck.security")

PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def private(response):
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


class TokenPageCsrf(CsrfViewMiddleware):
    """Django's CSRF check, but an `Origin: null` is not refused on its own.

    The pages are sent with `Referrer-Policy: no-referrer` (the link's token is in the
    address), and with that policy browsers send `Origin: null` when their own forms are
    posted. The CSRF token the form carries is still checked against the cookie, and the
    address itself holds the link's secret: a page elsewhere can forge neither."""

    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null":
            return True
        return super()._origin_verified(request)


csrf_protect_token_page = decorator_from_middleware(TokenPageCsrf)


def token_page(view):
    """Call `view(request, supplier_request, ip, ...)` for a usable link, else refuse."""

    @wraps(view)
    def gate(request, token, *args, **kwargs):
        ip = client_ip(request)
        key = ip or "unknown"
        try:
            throttle.admit(key)
        except throttle.Refused as refusal:
            response = render(
                request,
                "portal/supplier/refused.html",
                {"reason": refusal.reason, "minutes": -(-refusal.retry_after // 60)},
                status=429,
            )
            response["Retry-After"] = str(refusal.retry_after)
            return response
        supplier_request = tokens.find_request(token)
        if supplier_request is None:
            throttle.missed(key)
            response = render(request, "portal/supplier/not_found.html", status=404)
        elif not supplier_request.usable:
            security_log.info(
                "Closed supplier link opened: request=%s state=%s ip=%s",
                supplier_request.pk,
                supplier_request.state,
                ip,
            )
            response = render(request, "portal/supplier/closed.html", status=410)
        else:
            response = view(request, supplier_request, ip, *args, **kwargs)
        return response

    checked = csrf_protect_token_page(gate)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return private(checked(request, *args, **kwargs))

    # The site-wide check is replaced by TokenPageCsrf above, not skipped.
    return csrf_exempt(wrapped)
