"""The project's URLs plus `/__bench__/bare/`: a bare Django page of 50 table rows.

The yardstick of `bench_pages.py`: a plain function view, no database read of its own, a
template compiled once (as the cached loader does for the app's templates) rendering 50
rows of five cells. It passes the same middleware as every page (session, user, clinic),
so "1.0 × bare" means a page costs no more than that fixed price plus a 50-row table.
"""

from datetime import datetime

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

BARE_ROWS = 50
BARE_TEMPLATE = engines["django"].from_string(
    """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bare page</title></head>
<body>
<main>
<h1>Fifty rows</h1>
<table>
<thead><tr><th>Product</th><th>Supplier</th><th>Lot</th><th>Status</th><th>Updated</th></tr></thead>
<tbody>
{% for row in rows %}<tr>
<td><a href="/rows/{{ row.id }}/">{{ row.product }}</a></td>
<td>{{ row.supplier }}</td><td>{{ row.lot|default:"—" }}</td>
<td>{{ row.status }}</td><td>{{ row.updated|date:"j M Y H:i" }}</td>
</tr>{% endfor %}
</tbody>
</table>
</main>
</body>
</html>"""
)
ROWS = [
    {
        "id": n,
        "product": f"Green Tea Exosome Serum {n}",
        "supplier": f"Verdant Botanics {n % 7} Ltd",
        "lot": f"LOT-{n:05d}",
        "status": "Finalised",
        "updated": datetime(2026, 11, 1, 9, n % 60),
    }
    for n in range(BARE_ROWS)
]


def bare_page(request):
    return HttpResponse(BARE_TEMPLATE.render({"rows": ROWS}, request))


urlpatterns = [path("__bench__/bare/", bare_page), *project_urlpatterns]
