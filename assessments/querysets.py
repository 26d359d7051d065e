"""How assessments and their documents are read: tenancy, states, lists and search.

Lists read through `listed()` (the columns a row shows, and its names) and search through
`search()`, shaped so that the indexes in `Assessment.Meta` and migration 0007 answer them:
a page of 20 costs the same for a clinic with 100 assessments as for one with 10,000
(benchmarks/bench_pages.py, docs/performance.md).
"""

from django.db import connections
from django.db.models import Q

from assessments import immutability
from clinics.querysets import ClinicOwnedQuerySet
from products.models import ExosomeProduct
from suppliers.models import Supplier

DRAFT, SUBMITTED, FINALISED = "draft", "submitted", immutability.FINALISED
# A search term as broad as "serum" names many of a clinic's products: up to this many are
# passed to the database as a list of ids; past it, as a subquery (slower, never fewer).
SEARCH_MAX_PRODUCTS = 1000

# What a list row shows (assessments/list.html, the dashboard, the review queue): its link
# and document id, state, verdict and dates, and the names it is shown under — read from
# the signed record once finalised, from the product and supplier before
# (assessments/record_names.py). Never the answers, INCI, claims or findings.
LISTED_COLUMNS = (
    "clinic_id",
    "version",
    "status",
    "current_step",
    "batch_lot",
    "verdict",
    "review_comment",
    "updated_at",
    "submitted_at",
    "submitted_by",
    "finalised_at",
    "signed_name",
    "signed_record",
    "product__name",
    "product__brand",
    "product__form",
    "product__supplier__legal_name",
    "product__supplier__trading_name",
    "product__supplier__company_number",
    "product__supplier__country",
)


def _returned_to(user) -> Q:
    return Q(created_by=user) & ~Q(review_comment="")


class AssessmentQuerySet(ClinicOwnedQuerySet):
    def drafts(self):
        return self.filter(status=DRAFT)

    def submitted(self):
        return self.filter(status=SUBMITTED)

    def finalised(self):
        return self.filter(status=FINALISED)

    def returned_to(self, user):
        """`user`'s drafts a practice manager sent back with a comment (a returned
        assessment is a draft with a review comment: services/signoff.py)."""
        return self.drafts().filter(_returned_to(user))

    def drafts_not_returned_to(self, user):
        """Every other draft. A condition, not "pk not in returned_to()": that list is read
        whole, and its cost grew with the clinic's drafts (docs/performance.md)."""
        return self.drafts().exclude(_returned_to(user))

    def of_supplier(self, supplier_id):
        """Assessments of a supplier's products; a finalised one by the supplier it was
        signed with (assessments/signed_record.py), even if its product has moved since."""
        return self.filter(
            Q(signed_record__supplier__id=supplier_id)
            | (~Q(signed_record__has_key="supplier") & Q(product__supplier_id=supplier_id))
        )

    def with_related(self):
        return self.select_related(
            "product", "product__supplier", "source_category", "cell_status", "route", "created_by"
        )

    def listed(self):
        """Rows for a list page: LISTED_COLUMNS and the product and supplier in one query.
        Sorting 10,000 full rows (answers, findings) cost more than the rest of the page."""
        listed = self.select_related("product__supplier").only(*LISTED_COLUMNS)
        listed._count_in_order = True
        return listed

    _count_in_order = False

    def _clone(self):
        clone = super()._clone()
        clone._count_in_order = self._count_in_order
        return clone

    def count(self):
        """A list's count (the paginator's). On SQLite, counted over the list's own order:
        COUNT(*) alone lets SQLite pick any index starting with the clinic, and for a search
        it picked one that reads every row (~100 ms at 10,000); in order it walks the
        index that holds the searched columns (~2 ms). PostgreSQL plans it well as is."""
        connection = connections[self.db]
        if not self._count_in_order or self._result_cache is not None:
            return super().count()
        if connection.vendor != "sqlite" or self.query.is_sliced or self.query.distinct:
            return super().count()
        sql, params = self.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql})", params)
            return cursor.fetchone()[0]

    def search(self, term: str, *, clinic):
        """By product or supplier name (live, or as signed) or lot, case-insensitively, among
        `clinic`'s products (the queryset is the clinic's too: `for_clinic`).

        Each branch has its own index on PostgreSQL (trigram GIN, migration 0007): the
        matching products come from the small product table rather than a join per
        assessment, and the signed names are one stored column (`signed_names`), not three
        JSON reads per row. On SQLite the same query scans the clinic's rows, cheaply."""
        if not term:
            return self
        suppliers = Supplier.objects.for_clinic(clinic).filter(
            Q(legal_name__icontains=term) | Q(trading_name__icontains=term)
        )
        matching = ExosomeProduct.objects.for_clinic(clinic).filter(
            Q(name__icontains=term) | Q(supplier__in=suppliers.values("pk"))
        )
        # Fetched first (one small query): a list of ids is one more index in PostgreSQL's
        # OR of bitmap scans, where a subquery made it filter every row of the clinic.
        products = list(matching.values_list("pk", flat=True)[: SEARCH_MAX_PRODUCTS + 1])
        if len(products) > SEARCH_MAX_PRODUCTS:
            products = matching.values("pk")
        return self.filter(
            Q(product__in=products)
            | Q(batch_lot__icontains=term)
            # A finalised record is found under the names it was signed with, too.
            | Q(signed_names__icontains=term)
        )

    # A finalised assessment is never changed or deleted in bulk either (see
    # assessments/immutability.py); retention erasure is the one audited exception.
    def update(self, **kwargs):
        immutability.check_assessment_queryset(self, "changed")
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        immutability.check_assessment_queryset(self, "deleted")
        return super().delete()

    delete.queryset_only = True
    delete.alters_data = True


class EvidenceQuerySet(ClinicOwnedQuerySet):
    def provided(self):
        return self.filter(provided=True)

    # Evidence of a finalised assessment is part of the record (assessments/immutability.py).
    def update(self, **kwargs):
        moving_to = kwargs.get("assessment", kwargs.get("assessment_id"))
        immutability.check_evidence_queryset(self, "changed", moving_to=moving_to)
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        immutability.check_evidence_queryset(self, "deleted")
        return super().delete()

    delete.queryset_only = True
    delete.alters_data = True
