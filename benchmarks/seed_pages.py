"""Seed data for bench_pages.py: many clinics, and measured clinics of a chosen size, fast.

Rows go in with bulk_create (explicit primary keys, so a finalised row's signed record can
name its own document id in the same INSERT), modelled on one assessment made the way the
app makes it: by the factories, evaluated by the rules, and finalised with the real signed
record (build_signed_record) and its evidence. Bulk rows copy its answers, findings and
record, with their own product, supplier, lot, status and dates. No history rows and no
PDF files for bulk rows: the pages measured never read them.
"""

from datetime import date, timedelta

EVIDENCE_SLUGS = ("certificate-of-analysis", "gmp-certificate", "sterility", "endotoxin")
WORDS = ("Green Tea", "Rose Stem", "Centella", "Peptide", "Lily", "Ginseng", "Bakuchiol")
FORMS = ("Exosome Serum", "Skin Booster", "Recovery Mask", "Vesicle Ampoule")
ASSESSMENTS_PER_PRODUCT = 20  # batches over the years: 10,000 assessments -> 500 products
PRODUCTS_PER_SUPPLIER = 5
SPREAD = 20  # the oldest assessments of a clinic, one per product (_product_index)
BATCH = 2000


def product_name(index):
    return f"{WORDS[index % len(WORDS)]} {FORMS[index // len(WORDS) % len(FORMS)]} {index:04d}"


def search_term():
    """?q= for the search page: one product's full name, so at every size it finds the
    same ~20 assessments and the figure is the cost of searching, not of showing more."""
    return product_name(3)


def _product_index(index: int, count: int) -> int:
    """ASSESSMENTS_PER_PRODUCT in a row for each product, except the oldest SPREAD, which go
    to the next SPREAD products, one each: the register's first page (25 products) then
    shows as many products with a signed assessment at 100 assessments as at 10,000 (at
    100 it showed 5 signed products and 15 never assessed; docs/performance.md)."""
    in_a_row = index // ASSESSMENTS_PER_PRODUCT
    spread_from = count - SPREAD
    if count >= 2 * SPREAD and index >= spread_from:
        return spread_from // ASSESSMENTS_PER_PRODUCT + index - spread_from
    return in_a_row


NEWEST = 40  # the newest assessments of each clinic, arranged so both sizes show full pages


def _among_newest(index: int, count: int) -> bool:
    """Whether an assessment is one of a measured clinic's arranged newest (a measured
    clinic has at least twice NEWEST; the crowd's ten keep the plain mix)."""
    return index < NEWEST <= count // 2


def _status(index: int, count: int) -> str:
    """90 % finalised, 5 % waiting for review, 5 % drafts; and among a measured clinic's
    newest 40 the odd ones wait for review and the even ones are drafts. So the review queue
    (20 rows) and the dashboard's "returned to you" and "drafts to finish" (8 each;
    _returned) are full at every size: with the 5 % alone, the 100-assessment clinic's queue
    showed 5 rows against 20 at 10,000 and its dashboard 2 returned drafts and 3 others
    against 8 and 8, and part of those pages' "growth" was a page filling up
    (docs/performance.md)."""
    if _among_newest(index, count):
        return "submitted" if index % 2 else "draft"
    if index % 20 == 0:
        return "draft"
    if index % 20 == 1:
        return "submitted"
    return "finalised"


def _returned(index: int, count: int) -> bool:
    """A draft sent back with a comment: every other draft among a measured clinic's newest,
    and one in 80 of the rest."""
    if _status(index, count) != "draft":
        return False
    return index % 4 == 0 if _among_newest(index, count) else index % 80 == 0


class Seeder:
    def __init__(self):
        from django.db import connection
        from django.utils import timezone

        from products.models import EvidenceType

        self.connection = connection
        self.now = timezone.now()
        self.types = list(EvidenceType.objects.filter(slug__in=EVIDENCE_SLUGS))

    # --- people and clinics --------------------------------------------------------------

    def manager(self, clinic, username, password):
        from clinics.models import Membership, Role, User
        from tests.factories import enrol_totp

        user = User.objects.create_user(username, password=password, first_name="Bench")
        Membership.objects.create(user=user, clinic=clinic, role=Role.PRACTICE_MANAGER)
        return user, enrol_totp(user)  # practice managers sign with two-factor (clinics/mfa.py)

    def clinic(self, slug):
        from clinics.models import Clinic

        return Clinic.objects.create(name=f"{slug.title()} Clinic", slug=slug, address="1 St")

    def catalogue(self, clinics, *, products_per_clinic, suppliers_per_clinic=0):
        """Suppliers and products for each clinic (bulk); returns {clinic pk: [products]}.
        PRODUCTS_PER_SUPPLIER products each, or `suppliers_per_clinic` suppliers if more."""
        supplier_count = max(
            1, suppliers_per_clinic, -(-products_per_clinic // PRODUCTS_PER_SUPPLIER)
        )
        per_supplier = max(1, products_per_clinic // supplier_count)
        from products.models import ExosomeProduct, SourceCategory
        from suppliers.models import Supplier

        category = SourceCategory.objects.get(slug="plant")
        suppliers = Supplier.objects.bulk_create(
            [
                Supplier(
                    clinic=clinic,
                    legal_name=f"Verdant Botanics {clinic.pk}-{s} Ltd",
                    trading_name=f"Verdant {s}",
                    company_number=f"{clinic.pk:05d}{s:03d}",
                    country="United Kingdom",
                    contact_name="Alex Supplier",
                    created_at=self.now,
                    updated_at=self.now - timedelta(hours=s),
                )
                for clinic in clinics
                for s in range(supplier_count)
            ],
            batch_size=BATCH,
        )
        by_clinic = {c.pk: [s for s in suppliers if s.clinic_id == c.pk] for c in clinics}
        products = ExosomeProduct.objects.bulk_create(
            [
                ExosomeProduct(
                    clinic=clinic,
                    supplier=by_clinic[clinic.pk][min(p // per_supplier, supplier_count - 1)],
                    name=product_name(p),
                    brand="Verdant",
                    marketed_as="cosmetic",
                    source_category=category,
                    inci="Aqua, Glycerin, Camellia Sinensis Leaf Extract",
                    claims="Supports skin renewal\nSoothes after microneedling",
                    created_at=self.now,
                    updated_at=self.now - timedelta(hours=p),
                )
                for clinic in clinics
                for p in range(products_per_clinic)
            ],
            batch_size=BATCH,
        )
        return {c.pk: [p for p in products if p.clinic_id == c.pk] for c in clinics}

    # --- the model assessment --------------------------------------------------------------

    def prototype(self, product, manager):
        """One assessment made as the app makes it, finalised with its real signed record."""
        from assessments.signed_record import build_signed_record
        from products.models import Route
        from tests.factories import AssessmentFactory, EvidenceItemFactory, evaluated

        item = AssessmentFactory(
            product=product,
            created_by=manager,
            batch_lot="LOT-PROTO",
            route=Route.objects.get(slug="topical-compromised-skin"),
            submitted=True,
        )
        evidence = [EvidenceItemFactory(assessment=item, slug=slug) for slug in EVIDENCE_SLUGS]
        evaluated(item)
        item.signed_record = build_signed_record(item, evidence=evidence)
        item.status = "finalised"
        item.finalised_at = self.now
        item.signed_by, item.signed_name, item.signed_role = manager, "Bench Manager", "PM"
        item.signature_meaning = "approved"
        item.save()
        self.proto = item
        return item

    # --- bulk assessments ------------------------------------------------------------------

    def assessments(self, plan):
        """For each (clinic, products, count, user) in `plan`, `count` assessments of
        `products` made (and signed) by `user`: mostly finalised, some waiting for review
        and drafts (`_status`; some drafts returned with a comment, `_returned`); index 0
        is the newest.
        Which product each one is of: `_product_index` (mostly ASSESSMENTS_PER_PRODUCT in a
        row, so a product's name finds as many at every size: search_term)."""
        from assessments.models import Assessment, EvidenceItem

        self.next_pk = {
            model: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            for model in (Assessment, EvidenceItem)
        }
        rows, evidence = [], []
        for clinic, products, count, by in plan:
            for index in range(count):
                product = products[_product_index(index, count) % len(products)]
                rows.append(self._row(clinic, product, index, count, by))
                evidence.extend(self._evidence(rows[-1]))
                if len(rows) >= BATCH:
                    self._insert(rows, evidence)
                    rows, evidence = [], []
        self._insert(rows, evidence)
        self._reset_sequences(Assessment, EvidenceItem)

    def _row(self, clinic, product, index, count, manager):
        from assessments.models import Assessment
        from assessments.record_names import product_values, supplier_values

        proto, pk = self.proto, self._take(Assessment)
        status = _status(index, count)
        updated = self.now - timedelta(minutes=7 * index + 1)
        row = Assessment(
            pk=pk,
            clinic=clinic,
            product=product,
            status=status,
            batch_lot=f"LOT-{pk:06d}",
            **{name: getattr(proto, name) for name in COPIED},
            created_by=manager,
            created_at=updated - timedelta(days=2),
            updated_at=updated,
            review_comment="Please attach this lot's CoA." if _returned(index, count) else "",
        )
        if status != "draft":
            row.submitted_by, row.submitted_at = manager, updated - timedelta(days=1)
        if status == "finalised":
            row.finalised_at, row.signed_by = updated, manager
            row.signed_name, row.signed_role, row.signature_meaning = (
                "Bench Manager",
                "PM",
                "approved",
            )
            row.report_sha256 = "0" * 64
            row.signed_record = {
                **proto.signed_record,
                "document_id": f"EXO-{clinic.pk:03d}-{pk:06d}-v1",
                "product": product_values(product),
                "supplier": supplier_values(product.supplier),
                "batch_lot": row.batch_lot,
            }
        return row

    def _evidence(self, row):
        from assessments.models import EvidenceItem

        issued = date(2026, 1, 1) + timedelta(days=row.pk % 300)
        return [
            EvidenceItem(
                pk=self._take(EvidenceItem),
                clinic_id=row.clinic_id,
                assessment_id=row.pk,
                evidence_type=kind,
                file=f"evidence/{row.clinic_id}/{row.pk}-{kind.slug}.pdf",
                original_filename=f"{kind.slug}-certificate.pdf",
                content_type="application/pdf",
                size_bytes=180_000,
                sha256="0" * 64,
                lab="Eurofins Lab Ltd",
                lot=row.batch_lot,
                issued_on=issued,
                expires_on=issued + timedelta(days=365),
                result="pass",
                uploaded_by_id=row.created_by_id,
                created_at=row.created_at,
            )
            for kind in self.types
        ]

    def _take(self, model):
        pk = self.next_pk[model]
        self.next_pk[model] += 1
        return pk

    def _insert(self, rows, evidence):
        from assessments.models import Assessment, EvidenceItem

        # Bulk rows keep the dates given here (spread over months, as real ones are), not
        # the insert's time: auto_now is off for the insert only.
        dated = [
            (field, field.auto_now, field.auto_now_add)
            for model in (Assessment, EvidenceItem)
            for field in model._meta.concrete_fields
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        for field, _, _ in dated:
            field.auto_now = field.auto_now_add = False
        try:
            self._bulk(rows, evidence)
        finally:
            for field, now, now_add in dated:
                field.auto_now, field.auto_now_add = now, now_add

    def _bulk(self, rows, evidence):
        from assessments.models import Assessment, EvidenceItem

        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # The database refuses documents on a finalised record (migration 0004);
                # seeding writes both at once, so its triggers are off for this session.
                cursor.execute("SET session_replication_role = replica")
            Assessment.objects.bulk_create(rows, batch_size=BATCH)
            EvidenceItem.objects.bulk_create(evidence, batch_size=BATCH)
            if self.connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")

    def _reset_sequences(self, *models):
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), models)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def analyse(self):
        """Fresh planner statistics and visibility map, as autovacuum gives a live PostgreSQL
        after bulk loads (it vacuums insert-only tables too, since PostgreSQL 13): without
        the visibility map no count is answered from an index alone. SQLite gets none:
        nothing in the app runs ANALYZE there."""
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")


COPIED = (
    "version",
    "jurisdiction",
    "route_id",
    "marketed_as",
    "inci",
    "claims",
    "source_category_id",
    "source_answer",
    "cell_status_id",
    "cell_status_answer",
    "testing_answer",
    "ruleset_version",
    "verdict",
    "findings",
    "evaluated_at",
)
