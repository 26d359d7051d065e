from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject


def page_of(items, number, per_page: int | None = None):
    """Page `number` of `items` (a queryset or a list); out-of-range or junk page numbers
    give the nearest page."""
    return Paginator(items, per_page or settings.PAGINATE_BY).get_page(number)


def paginate(request, queryset, per_page: int | None = None):
    """Page of `queryset` for ?page=N (see `page_of`)."""
    return page_of(queryset, request.GET.get("page"), per_page)


def lazy_page(request, build: Callable[[], Any], per_page: int | None = None):
    """`paginate()` of what `build()` returns, both done when a template first reads the
    page: a page kept by `{% kept %}` (clinics/templatetags/kept.py) then builds nothing
    and runs neither its count nor its rows."""
    return SimpleLazyObject(lambda: paginate(request, build(), per_page))


SEARCH_MAX_CHARS = 200


def search_term(request) -> str:
    """?q= as a search term: at most SEARCH_MAX_CHARS, without NUL (PostgreSQL cannot take
    it; core.input_guard answers such a request with a 400 before any view reads it)."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_CHARS]
