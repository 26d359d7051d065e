"""Pages cost the same number of queries at 10 and at 1,000 assessments, and search finds
the same rows on SQLite and PostgreSQL (on PostgreSQL through its trigram indexes).

Timings live in benchmarks/bench_pages.py and docs/performance.md; here only what does not
drift with the machine: how many queries each list page makes as the clinic grows.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.record_names import product_values, supplier_values
from products.models import ExosomeProduct
from suppliers.models import Supplier

pytestmark = pytest.mark.django_db

LIST_PAGES = {
    "dashboard": "/",
    "assessments": "/assessments/",
    "search": "/assessments/?q=Serum",
    "filtered": "/assessments/?status=finalised&verdict=",
    "review queue": "/assessments/review/",
    "suppliers": "/suppliers/",
    "products": "/products/",
    "approved register": "/register/",
    "register filtered": "/register/?status=approved&expiring_within=400",
}


def grow(clinic, user, count, *, start=0):
    """`count` more assessments in `clinic` (bulk): 20 per product, 5 products per supplier;
    mostly finalised with their signed record's names, some submitted, some drafts."""
    products_needed = -(-count // 20)
    suppliers = Supplier.objects.bulk_create(
        Supplier(clinic=clinic, legal_name=f"Supplier {start}-{n} Ltd", trading_name=f"S{n}")
        for n in range(-(-products_needed // 5))
    )
    products = ExosomeProduct.objects.bulk_create(
        ExosomeProduct(
            clinic=clinic, supplier=suppliers[n // 5], name=f"Serum {start}-{n}", brand="B"
        )
        for n in range(products_needed)
    )
    now = timezone.now()
    rows = []
    for n in range(count):
        product = products[n // 20]
        status = ("draft", "submitted")[n % 10] if n % 10 < 2 else "finalised"
        row = Assessment(
            clinic=clinic,
            product=product,
            created_by=user,
            status=status,
            batch_lot=f"LOT-{start + n:05d}",
            review_comment="Attach the CoA." if n % 40 == 0 else "",
            findings=[{"title": "A finding", "severity": "caution"}],
        )
        if status != "draft":
            row.submitted_by, row.submitted_at = user, now - timedelta(minutes=n)
        if status == "finalised":
            row.finalised_at, row.signed_name = now - timedelta(minutes=n), "Manager"
            row.signed_record = {
                "product": product_values(product),
                "supplier": supplier_values(product.supplier),
                "batch_lot": row.batch_lot,
                "document_id": f"EXO-{n}",
            }
        rows.append(row)
    Assessment.objects.bulk_create(rows, batch_size=500)


def queries_per_page(client) -> dict[str, int]:
    counts = {}
    for name, url in LIST_PAGES.items():
        client.get(url)  # the first request may fill per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_list_pages_make_as_many_queries_at_1000_assessments_as_at_10(
    clinic, manager, manager_client
):
    grow(clinic, manager, 10)
    at_10 = queries_per_page(manager_client)

    grow(clinic, manager, 990, start=10)
    at_1000 = queries_per_page(manager_client)

    assert Assessment.objects.for_clinic(clinic).count() == 1000
    assert at_1000 == at_10


def test_the_assessment_detail_makes_as_many_queries_in_a_big_clinic(
    clinic, manager, manager_client
):
    grow(clinic, manager, 10)
    shown = Assessment.objects.for_clinic(clinic).submitted().first()
    url = reverse("assessments:detail", args=[shown.pk])
    manager_client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert manager_client.get(url).status_code == 200

    grow(clinic, manager, 990, start=10)
    with CaptureQueriesContext(connection) as large:
        assert manager_client.get(url).status_code == 200

    assert len(large) == len(small)


def _rows_bound(sql: str) -> int | None:
    """How many rows a query can return, when it says: LIMIT n, or an IN list of n ids."""
    if " LIMIT " in sql:
        return int(sql.rsplit(" LIMIT ", 1)[1].split()[0])
    if " IN (" in sql:
        return len(sql.split(" IN (", 1)[1].split(")", 1)[0].split(","))
    return None


def test_the_register_and_dashboard_read_signed_records_only_for_the_rows_shown(
    clinic, manager, manager_client
):
    # 1,000 assessments of 50 products. The register shows a page of 25 and the dashboard a
    # few recent rows: neither may fetch every product's signed record (JSON, the costly part).
    grow(clinic, manager, 1000)
    for url in ("/register/", "/"):
        manager_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url).status_code == 200
        columns = [q["sql"].split(" FROM ")[0] for q in queries]
        record_reads = [
            q["sql"] for q, c in zip(queries, columns, strict=True) if "signed_record" in c
        ]
        assert record_reads, url
        for sql in record_reads:
            bound = _rows_bound(sql)
            assert bound is not None and bound <= 25, (url, sql[-200:])


def test_a_list_row_never_loads_the_answers_or_findings(clinic, manager):
    grow(clinic, manager, 3)
    row = Assessment.objects.for_clinic(clinic).listed().first()

    assert {"findings", "inci", "claims", "source_answer"} <= row.get_deferred_fields()
    assert row.names.product.name and row.names.supplier.legal_name


# --- Search, on whichever database the suite runs -----------------------------------------


def _found(clinic, term) -> set[str]:
    matches = Assessment.objects.for_clinic(clinic).listed().search(term, clinic=clinic)
    return set(matches.values_list("batch_lot", flat=True))


def test_search_finds_by_product_supplier_lot_and_signed_names(clinic, manager, other_clinic):
    grow(clinic, manager, 40)
    grow(other_clinic, manager, 40)  # never in the clinic's results
    first = ExosomeProduct.objects.for_clinic(clinic).get(name="Serum 0-0")
    lots_of_first = {f"LOT-{n:05d}" for n in range(20)}

    assert _found(clinic, "serum 0-0") == lots_of_first  # product name, any case
    assert _found(clinic, "s0") == {f"LOT-{n:05d}" for n in range(40)}  # trading name
    assert _found(clinic, "supplier 0-0 LTD") == {f"LOT-{n:05d}" for n in range(40)}
    assert _found(clinic, "lot-00031") == {"LOT-00031"}
    assert _found(clinic, "no such thing") == set()

    # Renamed after sign-off: the finalised records are found under the name they were
    # signed with and under the new one; the drafts only under the new one.
    first.name = "Renamed Serum"
    first.save()
    finalised = {lot for n, lot in enumerate(sorted(lots_of_first)) if n % 10 >= 2}
    assert _found(clinic, "serum 0-0") == finalised
    assert _found(clinic, "renamed serum") == lots_of_first


def _many_products(clinic, count, name):
    supplier = Supplier.objects.create(clinic=clinic, legal_name=f"{name} Supplies Ltd")
    return ExosomeProduct.objects.bulk_create(
        ExosomeProduct(clinic=clinic, supplier=supplier, name=f"{name} {n}") for n in range(count)
    )


def test_other_clinics_products_never_crowd_a_clinics_own_out_of_its_search(
    clinic, manager, other_clinic, monkeypatch
):
    # Before: the matching products were looked up in every clinic and cut at the limit, so
    # in a big deployment a draft of this clinic's "Serum" went missing from its search.
    monkeypatch.setattr("assessments.querysets.SEARCH_MAX_PRODUCTS", 5)
    _many_products(other_clinic, 6, "Serum")
    (own,) = _many_products(clinic, 1, "Serum")
    draft = Assessment.objects.create(
        clinic=clinic, product=own, created_by=manager, batch_lot="OWN-1"
    )

    assert _found(clinic, "serum") == {draft.batch_lot}


def test_a_search_naming_more_products_than_the_limit_still_finds_them_all(
    clinic, manager, monkeypatch
):
    monkeypatch.setattr("assessments.querysets.SEARCH_MAX_PRODUCTS", 3)
    products = _many_products(clinic, 5, "Serum")
    Assessment.objects.bulk_create(
        Assessment(clinic=clinic, product=p, created_by=manager, batch_lot=f"L{n}")
        for n, p in enumerate(products)
    )

    assert _found(clinic, "serum") == {f"L{n}" for n in range(5)}


def test_the_search_page_shows_what_it_finds(clinic, manager, manager_client):
    grow(clinic, manager, 25)

    page = manager_client.get("/assessments/?q=LOT-00021").content.decode()

    assert "LOT-00021" in page and "LOT-00022" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
@pytest.mark.parametrize(
    "queryset, index",
    [
        (lambda: Assessment.objects.filter(batch_lot__icontains="lot-1"), "batch_lot_trgm"),
        (lambda: Assessment.objects.filter(signed_names__icontains="serum"), "signed_names_trgm"),
        (lambda: ExosomeProduct.objects.filter(name__icontains="serum"), "name_trgm"),
        (lambda: Supplier.objects.filter(legal_name__icontains="ltd"), "legal_name_trgm"),
        (lambda: Supplier.objects.filter(trading_name__icontains="s1"), "trading_name_trgm"),
    ],
)
def test_on_postgresql_icontains_matches_a_trigram_index(clinic, manager, queryset, index):
    """Each trigram index is on exactly the expression Django's icontains emits, so the
    planner can use it (whether it does depends on the data; here it is made to)."""
    grow(clinic, manager, 40)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset().explain()

    assert index in plan, plan
