"""The versioned JSON API, /api/v1/: django-ninja (docs/api.md says why).

Token auth on every operation (api/auth.py), errors as problem+json (api/problems.py) — also
a method a path does not offer (405, below) and a NUL in the address (400, registered with
core/input_guard.py in api/apps.py) — the schema at /api/v1/schema/ and the docs page at
/api/v1/docs/ (api/views.py).
"""

from functools import wraps

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestInvalid

from api.auth import read_auth
from api.endpoints import assessments, files, lookups, products, suppliers
from api.problems import CONTENT_TYPE, RateLimited, method_not_allowed, to_problem
from assessments.errors import AssessmentError
from assessments.facts import FactsInputError

DESCRIPTION = (
    "ExoCheck's supplier due-diligence records for the systems a clinic already runs. "
    "Authenticate with `Authorization: Bearer exo_…` (make a token under *API tokens* in "
    "the account menu). Every call sees only the token's clinic, with the user's role "
    "there; `write` scope is needed for POST and PATCH (except `/evaluate`). Errors are "
    "RFC 9457 problem details. Sign-off stays in the web app."
)


def answering_methods(view):
    """`view` (one of the API's URLs) with HEAD answered as GET wherever GET is offered, and a
    method the path does not offer answered 405 as problem+json with `Allow` (ninja answers
    it with an HTML-typed 405 of its own)."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        method = request.method
        # As Django's class-based views do: HEAD runs GET's code, with the same token check,
        # rate limit and headers; the server sends no body (RFC 9110, section 9.3.2).
        request.method = "GET" if method == "HEAD" else method
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = method
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(request, response["Allow"].split(", "))
        return response

    return answer


class ExoCheckAPI(NinjaAPI):
    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        answering = [
            URLPattern(p.pattern, answering_methods(p.callback), p.default_args, p.name)
            if isinstance(p, URLPattern)
            else p
            for p in patterns
        ]
        return answering, app_name, namespace

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's schema, with error responses declared as the problem+json they are."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        content[CONTENT_TYPE] = content.pop("application/json")
        return schema


api = ExoCheckAPI(
    title="ExoCheck API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url=None,
    auth=read_auth,
)
for handled in (
    Exception,
    Http404,
    HttpError,
    RequestInvalid,
    PermissionDenied,
    ObjectDoesNotExist,
    ValidationError,
    FactsInputError,
    AssessmentError,
    RateLimited,
):
    api.add_exception_handler(handled, to_problem)

api.add_router("", suppliers.router)
api.add_router("", products.router)
api.add_router("", assessments.router)
api.add_router("", files.router)
api.add_router("", lookups.router)
