"""Input the database cannot store is refused at the door, with a 400 page, never a 500.

PostgreSQL text cannot hold NUL (U+0000): psycopg refuses a query parameter containing one
("A string literal cannot contain NUL (0x00) characters"), so a NUL in `?q=` or in a list
filter was a server error on PostgreSQL. It is the only such character that can reach a
view: Django decodes the path and query string as UTF-8 with replacement, so invalid bytes
and lone surrogates arrive as U+FFFD, which any database stores.

Form fields already refuse NUL (Django's ProhibitNullCharactersValidator: a field error,
everything typed kept), so POSTed forms are left to their forms. Query strings and the path
are read by views directly (search, filters, ids, paging), so a request whose path or query
string holds a NUL gets the 400 page here, before any view or database query sees it.

A part of the site whose clients read no HTML pages registers its own answer for the same
refusal (`answer_refusals_under`): the JSON API answers under /api/ with problem+json
(api/apps.py). The guard stays the one door; only the answer's format differs.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.errors import bad_request

NUL = "\x00"

UNREADABLE_LINK = (
    "The address contains a character ExoCheck cannot read (a NUL, %00). "
    "Go back and search or filter again."
)


# Path prefix (of request.path_info) -> the answer to a refused request there.
_answers: dict[str, Callable[[HttpRequest], HttpResponse]] = {}


def answer_refusals_under(prefix: str, answer: Callable[[HttpRequest], HttpResponse]) -> None:
    """Under `prefix`, a refused request gets `answer(request)` instead of the 400 page."""
    _answers[prefix] = answer


def refusal(request) -> HttpResponse:
    for prefix, answer in _answers.items():
        if request.path_info.startswith(prefix):
            return answer(request)
    return bad_request(request, reason=UNREADABLE_LINK)


def has_nul(request) -> bool:
    if NUL in request.path:
        return True
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    )


class RefuseUnstorableInputMiddleware:
    """A 400 page (or a registered answer, above) for any request whose path or query string
    holds a NUL character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return refusal(request)
        return self.get_response(request)
