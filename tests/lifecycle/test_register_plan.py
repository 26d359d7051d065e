"""The register's one products query keeps a plan whose cost follows the products, not the
assessments: each per-product subquery walks the (product, status, −finalised_at) index.

A plan is checked rather than a time (docs/performance.md has the times): limiting these
subqueries to the clinic once made SQLite walk the clinic's index in each of them, and the
register of a 10,000-assessment clinic never finished, while every small-data test passed.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifecycle.register import _products

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's is cost-based"
)
def test_each_per_product_subquery_uses_the_latest_signed_index(clinic):
    with CaptureQueriesContext(connection) as queries:
        _products(clinic, {})
    (query,) = queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plan = [row[-1] for row in cursor.fetchall()]

    on_assessments = [
        step
        for step in plan
        if step.startswith("SEARCH U0 USING")
        and "assessment" in step
        and "evidenceitem" not in step
    ]
    # latest pk, verdict, signature meaning, date, has_open, the documents'
    assert len(on_assessments) == 6, plan
    assert all("assessment_product_latest" in step for step in on_assessments), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
