"""The error pages in the app's look: 400, 403, 404, and the server error page (handler500)
with a short reference id.

The same id is logged with the traceback (logger "exocheck.errors"), so a user who quotes
it leads straight to the log entry. The page never touches the database or request.user:
the failure being reported may be the database itself.
"""

import logging
import sys
import uuid

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape

logger = logging.getLogger("exocheck.errors")

TEMPLATE = "500.html"

# Used only if the template itself cannot be rendered (a broken static manifest, say).
FALLBACK = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>Something went wrong · ExoCheck</title></head><body><main>"
    "<h1>Something went wrong</h1><p>The error has been logged. Please try again.</p>"
    "<p>Reference: <code>{reference}</code></p></main></body></html>"
)
FALLBACK_400 = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>Request not understood · ExoCheck</title></head><body><main>"
    "<h1>Request not understood</h1><p>{reason}</p></main></body></html>"
)


def new_reference() -> str:
    """Eight hex characters: short enough to read out over the phone, unique enough to find."""
    return uuid.uuid4().hex[:8]


def server_error(request, template_name: str = TEMPLATE):
    reference = new_reference()
    # Django calls handler500 while handling the exception, so sys.exc_info() is the error.
    exc_info = sys.exc_info()
    logger.error(
        "Server error %s on %s %s",
        reference,
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        exc_info=exc_info if exc_info[0] is not None else None,
    )
    try:
        # No request and no context processors: nothing here may query the database.
        body = loader.get_template(template_name).render({"reference": reference})
    except Exception:
        logger.exception("The error page for %s could not be rendered", reference)
        body = FALLBACK.format(reference=escape(reference))
    response = HttpResponseServerError(body)
    response["X-Error-Reference"] = reference
    response["Cache-Control"] = "no-store"
    return response


BAD_REQUEST = "The request could not be read. Go back and try again."


def bad_request(request, exception=None, *, reason: str = BAD_REQUEST):
    """The 400 page (handler400, and input refused by core.input_guard), in the app's look.

    Django calls handler400 for requests it finds suspicious, some before the session or the
    user is known (a forged Host header, too many fields): if the page cannot be rendered
    with the request, a plain one is sent rather than turning a 400 into a 500.
    """
    try:
        body = loader.render_to_string("errors/400.html", {"reason": reason}, request)
    except Exception:
        logger.exception("The 400 page could not be rendered")
        body = FALLBACK_400.format(reason=escape(reason))
    return HttpResponseBadRequest(body)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)
