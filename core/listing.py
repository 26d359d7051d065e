from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int | None = None):
    """Page of `queryset` for ?page=N; out-of-range or junk page numbers give the nearest page."""
    paginator = Paginator(queryset, per_page or settings.PAGINATE_BY)
    return paginator.get_page(request.GET.get("page"))


def search_term(request) -> str:
    return request.GET.get("q", "").strip()[:200]
