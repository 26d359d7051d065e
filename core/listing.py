from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int | None = None):
    """Page of `queryset` for ?page=N; out-of-range or junk page numbers give the nearest page."""
    paginator = Paginator(queryset, per_page or settings.PAGINATE_BY)
    return paginator.get_page(request.GET.get("page"))


SEARCH_MAX_CHARS = 200


def search_term(request) -> str:
    """?q= as a search term: at most SEARCH_MAX_CHARS, without NUL (PostgreSQL cannot take
    it; core.input_guard answers such a request with a 400 before any view reads it)."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_CHARS]
