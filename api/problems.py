"""Every API error as RFC 9457 problem details (application/problem+json).

One mapping from the exceptions the services and the framework raise to a status, a stable
`type` (documented in docs/api.md), a `title`, the `detail` sentence the service wrote for a
user, and the failing field(s) in `errors` — the same sentences the web pages show.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

from assessments.errors import AssessmentError
from assessments.facts import FactsInputError

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:exocheck:problem:"
logger = logging.getLogger("exocheck.api")

TITLES = {
    400: ("bad-request", "Request not understood"),
    401: ("unauthenticated", "A valid API token is needed"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Not possible in the record's current state"),
    413: ("too-large", "Request too large"),
    422: ("invalid", "Invalid input"),
    429: ("rate-limited", "Too many requests"),
    500: ("server-error", "Something went wrong"),
}


# Bodies Django will not read (over its DATA_UPLOAD_* limits: 413) and requests it cannot read
# at all (400), raised when ninja reads the body, before the endpoint runs. Never logged as
# server errors (django.request logs them as warnings, as any 4xx).
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
UNREADABLE = (MultiPartParserError, BadRequest, SuspiciousOperation)


class InsufficientScope(PermissionDenied):
    """The token is valid, but its scope does not cover this call (writes need `write`)."""


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__("This token has made too many requests; wait a minute.")


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    default_slug, title = TITLES.get(status, ("error", "Error"))
    body: dict[str, object] = {
        "type": TYPE_BASE + (slug or default_slug),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(loc: tuple | list) -> str:
    # ninja's locations start with where the value came from ("body", "query", "path",
    # "file", "form"); a client names the field itself, e.g. "payload.legal_name" -> "legal_name".
    parts = [str(part) for part in loc[1:] if part not in ("payload", "data", "filters")]
    return ".".join(parts) or str(loc[0]) if loc else ""


def _request_errors(exc: RequestInvalid) -> list[dict[str, str]]:
    return [
        {"field": _field_name(error.get("loc", ())), "detail": str(error.get("msg", ""))}
        for error in exc.errors
    ]


def _django_errors(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if field == "__all__" else field, "detail": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "detail": message} for message in exc.messages]


def _too_large(exc: Exception) -> str:
    if isinstance(exc, TooManyFieldsSent):
        return f"A request may send at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields."
    if isinstance(exc, TooManyFilesSent):
        return f"A request may send at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} files."
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return (
        f"A request body may be at most {limit:,} bytes ({limit / 2**20:.1f} MiB), not counting "
        "an uploaded file (a file has its own limit); this one is larger."
    )


def _unreadable(exc: Exception) -> str:
    # ninja answers a body it cannot parse as JSON with HttpError(400), raised from the cause.
    if isinstance(exc, HttpError) and isinstance(exc.__cause__, ValueError):
        return f"The request body is not valid JSON ({exc.__cause__})."
    if isinstance(exc, MultiPartParserError):
        return "The request body is not a readable multipart/form-data form."
    if isinstance(exc, HttpError):
        return exc.message
    return "The request could not be read."


def unreadable_address(request) -> HttpResponse:
    """The API's answer to an address holding a NUL (%00), which core.input_guard refuses
    before any view or token check (registered for /api/ in api/apps.py)."""
    detail = (
        "The address contains a NUL character (%00), which ExoCheck cannot read or store; "
        "send the path and query string without it."
    )
    return problem(400, detail)


def method_not_allowed(request, allowed: Iterable[str]) -> HttpResponse:
    """A method the path does not offer; `Allow` lists those it does (HEAD wherever GET is,
    as the API answers HEAD as GET, api/main.py)."""
    offered = set(allowed)
    if "GET" in offered:
        offered.add("HEAD")
    methods = ", ".join(sorted(offered))
    detail = f"{request.method} is not offered here; this address accepts {methods}."
    return problem(405, detail, headers={"Allow": methods})


def status_for(exc: BaseException) -> int:
    """The status `exc` is answered with (also written to the audit event of a write)."""
    for kind, status in (
        (AuthenticationError, 401),
        (HttpError, None),
        (TOO_LARGE, 413),
        (UNREADABLE, 400),
        (RequestInvalid, 422),
        (RateLimited, 429),
        (PermissionDenied, 403),
        ((Http404, ObjectDoesNotExist), 404),
        ((ValidationError, FactsInputError), 422),
        (AssessmentError, 409),
    ):
        if isinstance(exc, kind):
            return status or getattr(exc, "status_code", 500)
    return 500


def to_problem(request, exc: Exception) -> HttpResponse:
    """The problem response for `exc`; an unexpected error is logged and answered 500."""
    status = status_for(exc)
    if isinstance(exc, RequestInvalid):
        errors = _request_errors(exc)
        return problem(422, "The request has invalid or missing values.", errors=errors)
    if isinstance(exc, ValidationError):
        errors = _django_errors(exc)
        return problem(422, errors[0]["detail"], errors=errors)
    if isinstance(exc, FactsInputError):
        detail = str(exc)
        return problem(422, detail, errors=[{"field": exc.field, "detail": detail}])
    if isinstance(exc, RateLimited):
        return problem(429, str(exc), headers={"Retry-After": str(exc.retry_after)})
    if status == 401:
        detail = "Send a live API token: Authorization: Bearer exo_…"
        return problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="api"'})
    if isinstance(exc, InsufficientScope):
        return problem(403, str(exc), slug="insufficient-scope")
    if status == 404:
        return problem(404, "No such record in this token's clinic.")
    if status == 413:
        return problem(413, _too_large(exc))
    if status == 400:
        return problem(400, _unreadable(exc))
    if status == 500:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return problem(500, "The error has been logged. Please try again.")
    detail = str(exc) or TITLES.get(status, ("", "Error"))[1]
    if isinstance(exc, HttpError):
        detail = exc.message
    return problem(status, detail)
