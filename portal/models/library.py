"""The supplier's document library: documents that are not lot-specific (a GMP certificate,
an origin declaration, a CPSR…) kept for the supplier, or the supplier and one product, and
offered for reuse on the clinic's next requests until they expire. Each use is a
SupplierDocument pointing here, so the clinic sees where a document was used.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from assessments.models import EvidenceItem
from clinics.models import Clinic
from clinics.querysets import ClinicOwnedQuerySet
from products.models import EvidenceType, ExosomeProduct
from suppliers.models import Supplier

# Documents about the supplier's site or programme, not one product: shared by every product
# of the supplier. Every other document that is not lot-specific belongs to one product.
SUPPLIER_WIDE = frozenset({"gmp-certificate", "donor-screening"})


def portal_upload_path(instance, filename):
    # Never the client's filename: a server-made name under the owning clinic.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"portal/{instance.clinic_id}/{uuid.uuid4().hex}.{extension}"


class LibraryQuerySet(ClinicOwnedQuerySet):
    def offered_for(self, *, supplier, product, slugs, today):
        """What can be reused for `product`: this supplier's documents of these types, for
        this product or supplier-wide, not withdrawn and not expired on `today`."""
        return self.filter(
            supplier=supplier,
            evidence_type__slug__in=list(slugs),
            withdrawn_at__isnull=True,
        ).filter(
            (Q(product=product) | Q(product__isnull=True))
            & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        )


class LibraryDocument(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(
        ExosomeProduct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: about the supplier (site certificate, donor programme).",
    )
    evidence_type = models.ForeignKey(EvidenceType, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=portal_upload_path)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    lab = models.CharField("laboratory / issuer", max_length=200, blank=True)
    issued_on = models.DateField("issued", null=True, blank=True)
    expires_on = models.DateField("expires", null=True, blank=True)
    result = models.CharField(
        max_length=12, choices=EvidenceItem.Result.choices, default=EvidenceItem.Result.NOT_STATED
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # Set once a clinic member has opened the file and confirmed what it says; until then
    # the facts above are the supplier's.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["evidence_type__display_order", "-added_at"]

    def __str__(self):
        return f"{self.evidence_type} of {self.supplier} ({self.original_filename})"
